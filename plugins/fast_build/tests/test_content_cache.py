"""Pelican's content cache is looked up only when it is on, in a generator made as the build makes it."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import Pelican
from pelican.generators import ArticlesGenerator
from pelican.settings import read_settings

SETTINGS_FILE = Path(__file__).resolve().parents[3] / "pelicanconf.py"


def _generator(tmp_path: Path, **settings: object) -> ArticlesGenerator:
    """An article generator as this project's build makes it: its settings, every plugin started."""
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "site"), "CACHE_PATH": str(tmp_path / "cache")}
    configured = Pelican(read_settings(str(SETTINGS_FILE), override={**overrides, **settings})).settings
    return ArticlesGenerator(
        context={}, settings=configured, path=str(content), theme=configured["THEME"], output_path=str(tmp_path)
    )


def test_with_the_cache_off_nothing_is_looked_up_or_stamped(tmp_path: Path, caplog) -> None:
    generator = _generator(tmp_path)
    # Pelican stamps a file before looking it up, and warns when it cannot: here nothing is stamped.
    with caplog.at_level(logging.WARNING, logger="pelican.cache"):
        for cacher in (generator, generator.readers):
            cacher.cache_data("no-such-file.md", "kept")
            assert cacher.get_cached_data("no-such-file.md", "default") == "default"
    assert [record.getMessage() for record in caplog.records if record.name == "pelican.cache"] == []


def test_with_the_cache_on_pelican_keeps_and_finds_what_it_cached(tmp_path: Path) -> None:
    generator = _generator(tmp_path, CACHE_CONTENT=True, CONTENT_CACHING_LAYER="generator")
    story = Path(generator.path) / "story.md"
    story.write_text("Title: A\n\nText.\n")
    generator.cache_data("story.md", "kept")
    assert generator.get_cached_data("story.md", "default") == "kept"
