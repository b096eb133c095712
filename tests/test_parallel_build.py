"""A build on every core writes exactly the bytes a one-process build writes.

`invoke build --jobs 1` reads, converts and renders everything in the build
process itself; it is the reference. The default build forks workers for
Markdown conversion and for rendering pages. Both are run here on the bundled
site (development and production settings) and on a synthetic archive, and the
two output trees are compared file by file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PRODUCTION_SITEURL, built

from tests.benchmarks.synthetic_newsroom import write_newsroom

ROOT = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def assert_same_tree(reference: Path, candidate: Path, at_least: int) -> None:
    expected, actual = tree(reference), tree(candidate)
    assert len(expected) >= at_least, f"the reference build wrote only {len(expected)} files"
    assert sorted(actual) == sorted(expected), "the two builds wrote different files"
    different = [name for name in expected if expected[name] != actual[name]]
    assert not different, f"{len(different)} files differ, e.g. {different[:5]}"


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_bundled_site_is_identical_on_one_and_on_two_processes(tmp_path: Path, production: bool) -> None:
    env = {"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": "1795000000"} if production else None
    one = built(tmp_path / "one", production=production, env=env, extra=("--jobs", "1"))
    two = built(tmp_path / "two", production=production, env=env, extra=("--jobs", "2"))
    assert_same_tree(one.root, two.root, at_least=80)


def test_synthetic_archive_is_identical_on_one_and_on_two_processes(tmp_path: Path) -> None:
    # More stories than Keep Reading scores in one block, so that two processes score them too.
    content = write_newsroom(tmp_path / "content", 600, authors_file=ROOT / "content" / "authors.toml")
    env = {"SITEURL": "https://example.org/news", "SOURCE_DATE_EPOCH": "1795000000"}
    one = built(tmp_path / "one", content=content, production=True, env=env, extra=("--jobs", "1"))
    two = built(tmp_path / "two", content=content, production=True, env=env, extra=("--jobs", "2"))
    # 600 articles, their tag, section, author and month pages, pagination, feeds, sitemaps.
    assert_same_tree(one.root, two.root, at_least=900)
