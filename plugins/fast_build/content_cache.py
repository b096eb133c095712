"""Pelican's own content cache, skipped when it is off.

Pelican's generators and readers look every file up in their content cache,
and note every file's modification time to store with it, even when
``CACHE_CONTENT`` and ``LOAD_CONTENT_CACHE`` are both off (the defaults, and
this project's settings: its own build cache, ``plugin_support.cache``, keeps
what builds reuse). Then nothing is ever stored or found, and the four
``stat`` calls per file are the only effect; at 10,000 articles they cost about
half a second of a check. An article generator that keeps the articles it
reads (the front_matter plugin, with a build cache or in livereload:
``plugin_support.cache.keeps_articles``) is left alone.
"""

from __future__ import annotations

from typing import Any

from pelican.generators import ArticlesGenerator
from plugin_support.cache import keeps_articles


def _nothing_cached(filename: str, default: Any = None) -> Any:
    return default


def _keep_nothing(filename: str, data: Any) -> None:
    return None


def skip_when_off(generator: Any) -> None:
    """Make ``generator``'s and its readers' content-cache look-ups do nothing, when Pelican's cache is off."""
    if generator.settings["CACHE_CONTENT"] or generator.settings["LOAD_CONTENT_CACHE"]:
        return
    cachers = [generator.readers]
    # An article generator that keeps its articles takes them through its own hooks (front_matter.kept).
    if not (keeps_articles(generator.settings) and isinstance(generator, ArticlesGenerator)):
        cachers.append(generator)
    for cacher in cachers:
        cacher.get_cached_data = _nothing_cached
        cacher.cache_data = _keep_nothing
