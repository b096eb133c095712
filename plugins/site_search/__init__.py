"""Search the whole archive with Pagefind: an index written with the site, no server, no third party.

What is searchable is marked in the theme, not here: the article template
puts ``data-pagefind-body`` on the headline, the dek and the body (so the
Key Takeaways box is in, and menus, bylines, sign-up boxes and Keep Reading
are out; an inline sign-up box carries ``data-pagefind-ignore``), weighs the
headline above body text, and records the filters (section, author, year)
and result metadata (headline, dek, date, section, hero image) in
``partials/search_record.html``. Only published articles are marked.

When the build has written every page (``finalized``, after the parallel
writer has flushed: this plugin comes last in ``PLUGINS``), Pagefind indexes
the article pages into ``pagefind/`` in the output. The build writes into a
staging folder that replaces the live site only when it succeeds, so the
index and the pages it points at are always published together. The search
page (theme template ``search.html``, at ``SEARCH_URL``) loads Pagefind's
engine with ``theme/static/js/search.js``; without JavaScript its form goes
to ``SEARCH_FALLBACK_URL`` when one is set.

Indexing takes about a millisecond per article, so it runs when asked for:
``invoke publish`` (``SEARCH_INDEX = True`` in ``publishconf.py``) and
``invoke build --search``. Its time is the ``search`` phase of
``invoke build --timings``, with the pages indexed and the bundle's size.

Settings (defaults in ``settings.DEFAULTS``):

``SEARCH_INDEX``
    Build the search index at the end of the build. Default ``False``.
``SEARCH_URL`` / ``SEARCH_SAVE_AS``
    Address and file of the search page. Defaults ``"search/"`` and
    ``"search/index.html"``.
``SEARCH_FALLBACK_URL``
    A search engine's address that searches this site, used by the search
    form when the page's script cannot run: ``{host}`` or ``{site}`` is
    replaced by the site's host (or host and path) from ``SITEURL``, and the
    last parameter, left empty, takes the query, e.g.
    ``"https://duckduckgo.com/?sites={host}&q="``. Default ``None``: the page
    says that search needs JavaScript and links to the archive and sections.
    The pages' Content-Security-Policy lets forms post to its host.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from plugin_support import timing

from .pagefind_index import IndexStats, SearchIndexError, build_index, page_glob
from .settings import BUNDLE_FOLDER, DEFAULTS, FallbackForm, SearchSettingError, fallback_form, validate_settings

__all__ = [
    "BUNDLE_FOLDER",
    "DEFAULTS",
    "FallbackForm",
    "IndexStats",
    "SearchIndexError",
    "SearchSettingError",
    "fallback_form",
    "page_glob",
    "register",
]

log = logging.getLogger(__name__)
TEMPLATE = "search"


def _configure(pelican) -> None:
    settings = pelican.settings
    validate_settings(settings)
    form = fallback_form(settings)
    settings["SEARCH_FORM"] = form.as_context() if form else None
    settings["SEARCH_BUNDLE_FOLDER"] = BUNDLE_FOLDER
    if TEMPLATE not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], TEMPLATE]


def _index(pelican) -> None:
    settings = pelican.settings
    if not settings["SEARCH_INDEX"] or settings.get("BUILD_CHECK_ONLY"):
        return
    with timing.phase("search"):
        try:
            stats = build_index(Path(pelican.output_path), page_glob(settings["ARTICLE_SAVE_AS"]))
        except SearchIndexError as error:
            # Raised, not logged: the build fails and the live site stays as it was.
            raise SearchIndexError(f"Search index: {error}") from None
    timing.count("search_pages", stats.pages)
    timing.count("search_bytes", stats.bytes)
    log.info("Search index: %d pages, %d files, %.1f MB", stats.pages, stats.files, stats.bytes / 1e6)


def register() -> None:
    signals.initialized.connect(_configure)
    signals.finalized.connect(_index)
