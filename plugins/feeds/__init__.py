"""Feeds: a JSON Feed 1.1 next to Pelican's Atom and RSS, and plain-text fixes for those.

Pelican writes the Atom and RSS feeds itself (``FEED_ALL_ATOM``,
``FEED_ALL_RSS``, ``CATEGORY_FEED_ATOM``, ``CATEGORY_FEED_RSS``). This plugin

* writes a JSON Feed 1.1 (https://jsonfeed.org/version/1.1) for the whole site
  and, when configured, one per section, with full content, plain-text
  summaries, authors with their page URLs, tags and the hero image;
* corrects every Atom and RSS item before it is written (the ``feed_generated``
  signal): Pelican treats titles as HTML and strips anything that looks like a
  tag, so ``"a <b> c"`` would lose ``<b>``; here titles, author names and
  front-matter summaries are plain text, so the item gets the title as written
  and the summary HTML-escaped (Atom's ``<summary type="html">``);
* makes every ``href``/``src`` in feed content absolute, resolved against the
  article's own URL, so a feed reader never meets a link relative to the feed.

Settings (defaults in ``DEFAULTS``):

``JSON_FEED_ALL``
    Where to write the whole-site JSON Feed, relative to the output folder,
    e.g. ``"feeds/all.json"``. Default ``None`` (no JSON Feed). Needs an
    absolute ``SITEURL``.
``JSON_FEED_CATEGORY``
    Where to write a JSON Feed per section; must contain ``{slug}``, e.g.
    ``"feeds/{slug}.json"``. Default ``None`` (none).
``JSON_FEED_MAX_ITEMS``
    Newest articles in each JSON Feed. Default ``None``: the same as Pelican's
    ``FEED_MAX_ITEMS`` (itself ``None``, every article, unless set).
"""

from __future__ import annotations

from pelican import signals
from plugin_support import timing

from .atom_rss import correct_feed
from .json_feed import DEFAULTS, validate_settings, write_json_feeds

__all__ = ["DEFAULTS", "register"]


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)


def _write(generator, writer) -> None:
    with timing.phase("feeds"):
        write_json_feeds(generator)


def _correct(context, feed) -> None:
    correct_feed(context, feed)


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.feed_generated.connect(_correct)
    signals.article_writer_finalized.connect(_write)
