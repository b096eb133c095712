"""Sitemaps and robots.txt: what the site publishes, told to crawlers.

After a build, writes to the output folder:

* ``sitemap.xml`` (sitemaps.org 0.9): every HTML page the build wrote (articles,
  pages, the home page, sections, tags, authors, the archive and their
  pagination pages) with ``lastmod``: an article's or page's ``Modified`` or
  ``Date`` (a page with neither: the time git last committed its source file,
  or no ``lastmod`` outside a git checkout; never the file's modification
  time, so two checkouts of one commit build the same sitemap), a
  listing's newest article. Past ``SITEMAP_MAX_URLS`` URLs it becomes a
  sitemap index pointing at ``sitemap-1.xml``, ``sitemap-2.xml``…;
* ``news-sitemap.xml`` (Google News, ``news:`` namespace): the articles
  published in the ``NEWS_SITEMAP_HOURS`` before the build time, newest first,
  at most ``NEWS_SITEMAP_MAX_URLS``; with none it is an empty ``urlset``. The
  build time is the build clock (``plugin_support.clock``: ``SOURCE_DATE_EPOCH``
  when that environment variable is set, else when the build started), the
  same "now" that decides which articles dated in the future are held back;
* ``robots.txt`` allowing everything and naming both sitemaps.

Drafts, hidden pages, the 404 page and syndicated copies (an article whose
``Canonical:`` points elsewhere) are left out. Every URL is ``SITEURL`` plus the
page's path, so they work under a sub-path; the sitemap protocol needs absolute
URLs, so nothing is written when ``SITEURL`` is not an absolute ``http(s)`` URL
(the development build).

Settings (defaults in ``DEFAULTS``; a ``*_SAVE_AS`` of ``None`` turns that file off):

``SITEMAP_SAVE_AS``
    The sitemap (or sitemap index). Default ``"sitemap.xml"``.
``SITEMAP_CHILD_SAVE_AS``
    The files an index points at; must contain ``{number}``.
    Default ``"sitemap-{number}.xml"``.
``SITEMAP_MAX_URLS``
    URLs per sitemap file, 1 to 50,000 (the protocol's limit). Default ``50000``.
``SITEMAP_EXCLUDE``
    Output files (shell patterns, relative to the output folder) never listed.
    Default ``["404.html", "drafts/*"]``.
``NEWS_SITEMAP_SAVE_AS``
    The Google News sitemap. Default ``"news-sitemap.xml"``.
``NEWS_SITEMAP_HOURS``
    How recent an article must be to be listed. Default ``48``.
``NEWS_SITEMAP_MAX_URLS``
    At most this many articles, 1 to 1,000 (Google's limit). Default ``1000``.
``NEWS_PUBLICATION_NAME``
    ``news:name``. Default ``None``: ``SITENAME``.
``NEWS_PUBLICATION_LANGUAGE``
    ``news:language``. Default ``None``: ``DEFAULT_LANG``.
``ROBOTS_TXT_SAVE_AS``
    Default ``"robots.txt"``.
"""

from __future__ import annotations

from pelican import signals
from plugin_support import timing

from .collect import DEFAULTS, finish_build, record_page, start_build, validate_settings

__all__ = ["DEFAULTS", "register"]


def _start(pelican) -> None:
    validate_settings(pelican.settings)
    start_build(pelican.settings)


def _record(path, context) -> None:
    record_page(context)


def _finish(pelican) -> None:
    with timing.phase("sitemaps"):
        finish_build(pelican.settings)


def register() -> None:
    signals.initialized.connect(_start)
    signals.content_written.connect(_record)
    signals.finalized.connect(_finish)
