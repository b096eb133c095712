"""Partials compiled into the templates that use them write the bytes Jinja's own includes and imports write.

With ``BUILD_INLINE_PARTIALS`` (the default) the theme's includes and its
imports of macros with context are compiled into the templates that use them
(``fast_build.templates.InlinePartials``); with it off, Jinja renders each
through a context of its own. The bundled site (both settings files) and a
synthetic archive are built both ways and compared file by file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PRODUCTION_SITEURL, build_site, built
from test_parallel_build import assert_same_tree

from tests.benchmarks.synthetic_newsroom import write_newsroom

ROOT = Path(__file__).resolve().parent.parent
AS_WRITTEN = ("--setting", "BUILD_INLINE_PARTIALS=false")


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_bundled_site_is_identical_with_partials_compiled_in(tmp_path: Path, production: bool) -> None:
    env = {"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": "1795000000"} if production else None
    included = built(tmp_path / "included", production=production, env=env, extra=AS_WRITTEN)
    compiled_in = built(tmp_path / "compiled-in", production=production, env=env)
    assert_same_tree(included.root, compiled_in.root, at_least=80)


def test_synthetic_archive_is_identical_with_partials_compiled_in(tmp_path: Path) -> None:
    content = write_newsroom(tmp_path / "content", 200, authors_file=ROOT / "content" / "authors.toml")
    env = {"SITEURL": "https://example.org/news", "SOURCE_DATE_EPOCH": "1795000000"}
    included = built(tmp_path / "included", content=content, production=True, env=env, extra=AS_WRITTEN)
    compiled_in = built(tmp_path / "compiled-in", content=content, production=True, env=env)
    # 200 articles, their tag, section, author and month pages, pagination, feeds, sitemaps.
    assert_same_tree(included.root, compiled_in.root, at_least=300)


def test_a_setting_that_is_not_true_or_false_stops_the_build(tmp_path: Path) -> None:
    result = build_site(tmp_path / "output", extra=("--setting", 'BUILD_INLINE_PARTIALS="no"'))
    assert result.returncode != 0
    assert "BUILD_INLINE_PARTIALS must be True or False, got 'no'" in result.stdout + result.stderr
    assert not (tmp_path / "output").exists()
