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

from conftest import CONTENT, ROOT, built
from jinja2 import FileSystemBytecodeCache
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


def rewrite_every_article(content: Path) -> None:
    """Write every article again with the same bytes, as a fresh checkout does: the build cache's kept articles
    (``plugins/front_matter/kept_store.py``) are taken only from files untouched since, the conversions by bytes."""
    for source in (content / "articles").rglob("*.md"):
        source.write_bytes(source.read_bytes())


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
    rewrite_every_article(content)
    planted = cached_build(tmp_path / "planted", content, cache)
    assert MARKER in article_page(planted.root, slug)

    other_setting = cached_build(tmp_path / "setting", content, cache, "--setting", "SUMMARY_MAX_LENGTH=41")
    assert MARKER not in article_page(other_setting.root, slug), "a changed setting must not reuse the cache"

    plant_marker(cache, source)
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more paragraph, added after the first build.\n")
    rewrite_every_article(content)
    edited = cached_build(tmp_path / "edited", content, cache)
    assert MARKER not in article_page(edited.root, slug)
    assert "One more paragraph, added after the first build." in article_page(edited.root, slug)
    from_nothing = built(tmp_path / "from-nothing", content=content, extra=("--no-cache",))
    assert_same_tree(from_nothing.root, edited.root, at_least=80)


def compiled_templates(cache: Path) -> dict[str, tuple[int, int]]:
    """Each compiled template the build cache holds, with the inode and modification time of its file."""
    found = {}
    for path in cache.glob("templates-*/__jinja2_*.cache"):
        stamp = path.stat()
        found[path.name] = (stamp.st_ino, stamp.st_mtime_ns)
    return found


def test_the_compiled_theme_is_kept_until_a_template_changes(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    cache = tmp_path / "cache"
    with_theme = ("--setting", f'THEME="{theme}"')

    cold = cached_build(tmp_path / "cold", CONTENT, cache, *with_theme)
    first = compiled_templates(cache)
    templates = theme / "templates"

    def kept_as(path: Path) -> str:
        key = FileSystemBytecodeCache().get_cache_key(path.relative_to(templates).as_posix(), str(path))
        return f"__jinja2_{key}.cache"

    # The partials are compiled into the templates that use them (BUILD_INLINE_PARTIALS), not kept on their own.
    pages = {kept_as(path) for path in templates.glob("*.html")}
    assert pages <= first.keys(), "every page template of the theme is compiled into the cache"

    warm = cached_build(tmp_path / "warm", CONTENT, cache, *with_theme)
    assert compiled_templates(cache) == first, "a build with the same theme compiles nothing again"
    assert_same_tree(cold.root, warm.root, at_least=80)

    footer = theme / "templates" / "partials" / "footer.html"
    footer.write_text(
        footer.read_text(encoding="utf-8").replace(
            "<p>{{ SITE_DESCRIPTION }}</p>", "<p>{{ SITE_DESCRIPTION }}</p>\n    <p>Printed on recycled pixels.</p>"
        ),
        encoding="utf-8",
    )
    edited = cached_build(tmp_path / "edited", CONTENT, cache, *with_theme)
    assert "Printed on recycled pixels." in (edited.root / "index.html").read_text(encoding="utf-8")
    after_edit = compiled_templates(cache)
    recompiled = {name for name in first if after_edit.get(name) != first[name]}
    # The footer is compiled into base.html, the one template that includes it.
    assert recompiled == {kept_as(templates / "base.html")}, "only the template the edit is compiled into is compiled"
