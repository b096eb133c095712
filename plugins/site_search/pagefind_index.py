"""Running Pagefind over the finished site and measuring what it wrote."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from plugin_support.files import link_or_copy

from .canonical import make_reproducible
from .installed import Pagefind
from .settings import BUNDLE_FOLDER

# Pagefind writes ready-made search interfaces next to its engine; the theme
# has its own (theme/static/js/search.js), so these are never loaded.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
INDEXED_PAGES = re.compile(r"Indexed (\d+) pages?")
# In a part kept in the cache: how many pages it holds. Never published.
STATS_FILE = ".atlas-index-stats.json"
# Parts kept in the cache besides those the last build used: other content folders', other settings'.
KEEP_OTHER_PARTS = 8
NO_MARKED_PAGES = "Did not find a data-pagefind-body element"


class SearchIndexError(RuntimeError):
    """Pagefind failed, or found nothing the theme marked as searchable."""


@dataclass(frozen=True)
class IndexStats:
    pages: int
    files: int
    bytes: int
    reused: int = 0


def page_glob(save_as: str) -> str:
    """The files Pagefind reads: the article pages' ``ARTICLE_SAVE_AS`` with every ``{field}`` as ``*``.

    Only article pages are searchable (they carry ``data-pagefind-body``), so
    listing pages need not be parsed at all.
    """
    return re.sub(r"\{[^}]*\}", "*", save_as)


@dataclass(frozen=True)
class Shard:
    """One part of the index: the bundle folder it is written to and the article files Pagefind reads for it.

    ``first_folders`` are the folders ``glob`` picks out with braces; empty when it reads every article.
    """

    folder: str
    glob: str
    first_folders: tuple[str, ...] = ()

    def pages(self, site: Path) -> list[Path]:
        """The files Pagefind reads for this part, in a fixed order."""
        if not self.first_folders:
            return sorted(site.glob(self.glob))
        rest = self.glob.partition("/")[2]
        return sorted(path for folder in self.first_folders for path in site.glob(f"{folder}/{rest}"))


GLOB_SPECIAL = re.compile(r"[*?\[\]{},\\]")


def plan_shards(glob: str, first_folders: dict[str, int], processes: int) -> list[Shard]:
    """Split the articles into at most ``processes`` indexes, one Pagefind process each, by their first folder.

    Pagefind indexes on one core; the search page merges the parts, so a
    build on several cores indexes in a fraction of the time. ``first_folders``
    counts the articles under each first folder of their paths (a year, with
    the house URLs); the folders are taken newest first (in reverse name order)
    and cut into runs of about equal size, so that the first part holds the
    latest stories. One part when there is one folder, or a folder name a
    glob cannot spell.
    """
    head, _, rest = glob.partition("/")
    names = sorted(first_folders, reverse=True)
    if processes < 2 or len(names) < 2 or head != "*" or not rest or any(GLOB_SPECIAL.search(n) for n in names):
        return [Shard(BUNDLE_FOLDER, glob)]
    total = sum(first_folders.values())
    parts: list[list[str]] = [[]]
    done = 0
    for name in names:
        # A new part when this folder would end nearer the next cut than the last one.
        if parts[-1] and done + first_folders[name] / 2 > total * len(parts) / processes and len(parts) < processes:
            parts.append([])
        parts[-1].append(name)
        done += first_folders[name]
    return [
        Shard(
            BUNDLE_FOLDER if number == 0 else f"{BUNDLE_FOLDER}-{number + 1}",
            "{" + ",".join(part) + "}/" + rest,
            tuple(part),
        )
        for number, part in enumerate(parts)
    ]


def inputs_digest(site: Path, shard: Shard, version: str) -> str:
    """A digest of everything a part of the index is made from: Pagefind's ``version``, the part, its pages' bytes."""
    digest = hashlib.sha256(f"{version}\0{shard.folder}\0{shard.glob}".encode())
    for page in shard.pages(site):
        digest.update(page.relative_to(site).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(page.read_bytes()).digest())
    return digest.hexdigest()


def _link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of every file under ``source``, hard-linked where the file system allows."""
    for path in source.rglob("*"):
        if path.is_file():
            link_or_copy(path, target / path.relative_to(source))


def _run_in_turn(
    shards: list[Shard], start: Callable[[Shard], subprocess.Popen[str]], at_once: int | None
) -> Iterator[tuple[Shard, subprocess.Popen[str], str]]:
    """Each part's finished process and what it printed, in order, with at most ``at_once`` running (all: ``None``)."""
    waiting = list(shards)
    running: list[tuple[Shard, subprocess.Popen[str]]] = []
    while waiting or running:
        while waiting and (at_once is None or len(running) < at_once):
            shard = waiting.pop(0)
            running.append((shard, start(shard)))
        shard, process = running.pop(0)
        said = process.communicate()[0].strip()
        yield shard, process, said


def build_index(
    pagefind: Pagefind, site: Path, shards: list[Shard], cache: Path | None = None, at_once: int | None = None
) -> IndexStats:
    """Index the articles under ``site``, each part by a ``pagefind`` process of its own.

    At most ``at_once`` processes run at the same time (all of them when
    ``None``): each holds its part of the index in memory until it is
    written, so fewer at once costs time and saves memory.
    With a ``cache`` folder, a part whose pages are all the same bytes as when
    it was last indexed is taken from there instead (``IndexStats.reused``),
    and the parts indexed now are kept there for the next build. Raises
    ``SearchIndexError`` if one fails.
    """
    digests = {shard.folder: inputs_digest(site, shard, pagefind.version) for shard in shards} if cache else {}
    ready = {
        shard.folder: cache / digests[shard.folder]
        for shard in shards
        if cache and (cache / digests[shard.folder] / STATS_FILE).is_file()
    }

    def start(shard: Shard) -> subprocess.Popen[str]:
        command = [str(pagefind.executable), "--site", str(site)]
        command += ["--output-subdir", shard.folder, "--glob", shard.glob]
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    pages = files = size = 0
    failures = []
    for shard, process, said in _run_in_turn([part for part in shards if part.folder not in ready], start, at_once):
        if process.returncode != 0:
            failures.append(f"Pagefind could not index {shard.glob} in {site}:\n{said}")
            continue
        if NO_MARKED_PAGES in said:
            # Pagefind then indexes whole pages, menus and all: a theme without the markers is a mistake.
            failures.append(
                f"No page matching {shard.glob!r} marks its searchable text with data-pagefind-body; "
                "the article template must (theme/templates/article.html)"
            )
            continue
        bundle = site / shard.folder
        for name in UNUSED_FILES:
            (bundle / name).unlink(missing_ok=True)
        make_reproducible(bundle)
        match = INDEXED_PAGES.search(said)
        if cache:
            kept = cache / digests[shard.folder]
            shutil.rmtree(kept, ignore_errors=True)
            _link_tree(bundle, kept)
            # Written last: an entry without it (a build stopped half-way) is never used.
            (kept / STATS_FILE).write_text(json.dumps({"pages": int(match.group(1)) if match else 0}))
        pages += int(match.group(1)) if match else 0
        written, written_bytes = _measure(bundle)
        files, size = files + written, size + written_bytes
    if failures:
        raise SearchIndexError("\n".join(failures))
    for folder, kept in ready.items():
        _link_tree(kept, site / folder)
        (site / folder / STATS_FILE).unlink()
        pages += json.loads((kept / STATS_FILE).read_text())["pages"]
        written, written_bytes = _measure(site / folder)
        files, size = files + written, size + written_bytes
        os.utime(kept)  # recently used: kept when the cache is trimmed
    if cache:
        trim_cache(cache, keep=set(digests.values()))
    return IndexStats(pages=pages, files=files, bytes=size, reused=len(ready))


def _measure(bundle: Path) -> tuple[int, int]:
    """How many files ``bundle`` holds, and their bytes."""
    sizes = [path.stat().st_size for path in bundle.rglob("*") if path.is_file()]
    return len(sizes), sum(sizes)


PART_NAME = re.compile(r"[0-9a-f]{64}")


def trim_cache(cache: Path, keep: set[str]) -> None:
    """Drop all but the parts this build used and the most recently used others.

    Only folders named as ``inputs_digest`` names a part are ever dropped:
    anything else in the folder is left alone, whoever put it there.
    """
    others = sorted(
        (
            entry
            for entry in cache.iterdir()
            if entry.name not in keep and PART_NAME.fullmatch(entry.name) and entry.is_dir()
        ),
        key=lambda entry: entry.stat().st_mtime,
    )
    for entry in others[:-KEEP_OTHER_PARTS] if len(others) > KEEP_OTHER_PARTS else []:
        shutil.rmtree(entry, ignore_errors=True)
