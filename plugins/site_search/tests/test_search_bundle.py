"""Pagefind's bundle made reproducible (the CBOR reading and writing, and a real index built twice), and the
build cache of parts."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
from pathlib import Path

from site_search.canonical import HEADER, decode, encode, make_reproducible, read
from site_search.installed import find_pagefind
from site_search.pagefind_index import trim_cache

# The pagefind that package.json pins, as npm installed it for the project.
PAGEFIND = find_pagefind(Path(__file__).resolve().parents[3] / "node_modules")


def test_cbor_round_trips_what_pagefind_writes() -> None:
    value = ["author", [["Mara Lindqvist", [0, 5, 300, 70000]], ["Tomás Okafor", [1]]], {"k": b"\x00\x01"}]
    assert decode(encode(value)) == value
    assert encode(23) == b"\x17" and encode(24) == b"\x18\x18" and encode(256) == b"\x19\x01\x00"


def site_with_filters(folder: Path, authors: list[str]) -> Path:
    for number, author in enumerate(authors):
        page = folder / f"story-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<html lang="en"><body><main data-pagefind-body><h1>Story {number}</h1><p>Words about ports.</p>'
            f'<span data-pagefind-filter="author">{author}</span></main></body></html>',
            encoding="utf-8",
        )
    return folder


def index(site: Path) -> dict[str, bytes]:
    assert PAGEFIND is not None, "npm ci installs Pagefind (package.json)"
    subprocess.run([PAGEFIND.executable, "--site", str(site), "--silent"], check=True)
    make_reproducible(site / "pagefind")
    bundle = site / "pagefind"
    return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}


def test_two_indexes_of_the_same_pages_are_the_same_bytes(tmp_path: Path) -> None:
    authors = [f"Author {letter}" for letter in "QWERTYUIOPASDFGH"]
    first = index(site_with_filters(tmp_path / "one", authors))
    second = index(site_with_filters(tmp_path / "two", authors))
    assert first == second
    (filter_file,) = [name for name in first if name.startswith("filter/")]
    name, values = read(tmp_path / "one" / "pagefind" / filter_file)
    assert name == "author"
    assert [value for value, _ in values] == sorted(authors)
    assert gzip.decompress(first[filter_file]).startswith(HEADER)


def test_the_cache_keeps_the_newest_parts_and_never_touches_what_is_not_a_part(tmp_path: Path) -> None:
    parts = [tmp_path / hashlib.sha256(str(number).encode()).hexdigest() for number in range(12)]
    for age, part in enumerate(reversed(parts)):
        part.mkdir()
        (part / "pagefind-entry.json").write_text("{}")
        os.utime(part, (1_700_000_000 + age, 1_700_000_000 + age))
    foreign = [tmp_path / "notes.txt", tmp_path / "drafts", tmp_path / ("f" * 64 + ".txt")]
    foreign[0].write_text("an editor's notes")
    foreign[1].mkdir()
    foreign[2].write_text("named like a part, but a file")
    trim_cache(tmp_path, keep={parts[-1].name})
    # The part in use, and the eight most recently used of the others (parts[0] is the newest).
    assert sorted(entry for entry in tmp_path.iterdir() if entry not in foreign) == sorted([*parts[:8], parts[-1]])
    assert all(entry.exists() for entry in foreign)
