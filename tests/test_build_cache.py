"""The build cache: reused when nothing it depends on changed, ignored when anything did.

The cache keeps each article's Markdown conversion, keyed by the file's bytes,
in a file fingerprinted with the settings, theme, plugins and package
versions. To see that a warm build really takes a conversion from the cache
(and not just produces the same bytes), one cached conversion is replaced with
a marker; the marker must then appear, and must disappear as soon as the
article or a setting changes.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

from conftest import CONTENT, built
from test_parallel_build import assert_same_tree

MARKER = "<p>Taken from the build cache.</p>"


def cached_build(output: Path, content: Path, cache: Path, *extra: str):
    return built(output, content=content, extra=("--setting", f'BUILD_CACHE_PATH="{cache}"', *extra), cache=True)


def plant_marker(cache: Path, source: Path) -> None:
    """Replace the cached conversion of ``source``, in every cache file, with one that says it came from the cache."""
    key = hashlib.sha256(source.read_bytes()).hexdigest()
    planted = 0
    for cache_file in cache.glob("markdown-*.pickle"):
        with cache_file.open("rb") as stream:
            file_format, fingerprint, entries = pickle.load(stream)
        if key in entries:
            entries[key].html = MARKER
            planted += 1
        with cache_file.open("wb") as stream:
            pickle.dump((file_format, fingerprint, entries), stream)
    assert planted, "the build did not keep the article's conversion"


def article_page(site_root: Path, slug: str) -> str:
    (page,) = site_root.glob(f"*/*/{slug}/index.html")
    return page.read_text(encoding="utf-8")


def test_warm_builds_reuse_conversions_until_the_article_or_a_setting_changes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    cache = tmp_path / "cache"
    source = sorted((content / "articles").rglob("*.md"))[0]
    slug = next(line.split(":", 1)[1].strip() for line in source.read_text().splitlines() if line.startswith("Slug:"))

    cold = cached_build(tmp_path / "cold", content, cache)
    warm = cached_build(tmp_path / "warm", content, cache)
    assert_same_tree(cold.root, warm.root, at_least=80)

    plant_marker(cache, source)
    planted = cached_build(tmp_path / "planted", content, cache)
    assert MARKER in article_page(planted.root, slug)

    other_setting = cached_build(tmp_path / "setting", content, cache, "--setting", "SUMMARY_MAX_LENGTH=41")
    assert MARKER not in article_page(other_setting.root, slug), "a changed setting must not reuse the cache"

    plant_marker(cache, source)
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more paragraph, added after the first build.\n")
    edited = cached_build(tmp_path / "edited", content, cache)
    assert MARKER not in article_page(edited.root, slug)
    assert "One more paragraph, added after the first build." in article_page(edited.root, slug)
    from_nothing = built(tmp_path / "from-nothing", content=content, extra=("--no-cache",))
    assert_same_tree(from_nothing.root, edited.root, at_least=80)
