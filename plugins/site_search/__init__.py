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

Pagefind does most of its work on one core, and holds the part of the index
it writes in memory, so the index is written in parts, one Pagefind process
each, one per build process at a time (``BUILD_JOBS``, one per core): the
articles are split by the first folder of their path (the year), newest
first, into runs of about equal size, and the search page merges the parts
(``SEARCH_BUNDLES``, given to templates once the articles are read: the
first part's folder, ``pagefind``, then ``pagefind-2`` and so on). The number
of parts depends on the content, not on the machine (one per 1,250 articles,
at least two: ``settings.index_parts``), so every machine builds the same
files. A part whose pages are all the same bytes as when it was last
indexed is taken from the build cache (``BUILD_CACHE_PATH``, folder
``search/``, looked up by a digest of Pagefind's version, the part and its
pages) instead of indexed again, so a rebuild after one story changed indexes
only that story's part. Indexing takes about two and a quarter milliseconds of
CPU per article, so it runs when asked for: ``invoke publish`` (``SEARCH_INDEX =
True`` in ``publishconf.py``) and ``invoke build --search``. Its time is the
``search`` phase of ``invoke build --timings``, with the pages indexed and
the bundle's size.

Settings (defaults in ``settings.DEFAULTS``):

``SEARCH_INDEX``
    Build the search index at the end of the build. Default ``False``.
``SEARCH_INDEX_PARTS``
    How many parts (and Pagefind processes) the index is written in.
    Default ``None``: one per 1,250 articles, at least 2, at most 16, which
    keeps each process near a third of a gigabyte; ``1`` writes one index. A site
    whose articles share one first folder gets one part whatever the
    setting, and never more parts than first folders.
``SEARCH_INDEX_AT_ONCE``
    How many of those processes run at the same time. Each holds its part
    of the index in memory until it writes it (about a quarter of a megabyte
    per article), so a build short of memory runs fewer at a time and takes
    longer. Default ``None``: as many as the build's processes
    (``BUILD_JOBS``). The index is the same bytes either way.
``SEARCH_NODE_MODULES``
    The ``node_modules`` folder where npm installed the ``pagefind`` package
    (pinned in ``package.json``); the build runs the executable npm put
    there for this machine (``installed.py``) and stops at start-up, saying
    how to install it, when ``SEARCH_INDEX`` is on and it is missing.
    Default ``"node_modules"`` (in the folder the build runs from);
    ``pelicanconf.py`` gives the project's.
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
from collections import Counter
from pathlib import Path

from pelican import signals
from plugin_support import timing
from plugin_support.workers import job_count

from .pagefind_index import IndexStats, SearchIndexError, Shard, build_index, page_glob, plan_shards
from .settings import (
    BUNDLE_FOLDER,
    DEFAULTS,
    FallbackForm,
    SearchSettingError,
    fallback_form,
    index_parts,
    installed_pagefind,
    validate_settings,
)

__all__ = [
    "BUNDLE_FOLDER",
    "DEFAULTS",
    "FallbackForm",
    "IndexStats",
    "SearchIndexError",
    "SearchSettingError",
    "Shard",
    "fallback_form",
    "index_parts",
    "page_glob",
    "plan_shards",
    "register",
]

log = logging.getLogger(__name__)
TEMPLATE = "search"
# The parts of the index each build will write, by output folder: planned once the articles are read.
_plans: dict[str, list[Shard]] = {}


def _configure(pelican) -> None:
    settings = pelican.settings
    validate_settings(settings)
    form = fallback_form(settings)
    settings["SEARCH_FORM"] = form.as_context() if form else None
    if TEMPLATE not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], TEMPLATE]


def _plan(generator) -> None:
    """Split the index by the published articles' first folders, and tell the search page where the parts are."""
    settings = generator.settings
    generator.context["SEARCH_BUNDLES"] = []
    if not settings["SEARCH_INDEX"] or settings.get("BUILD_CHECK_ONLY"):
        return
    first_folders = Counter(article.save_as.partition("/")[0] for article in generator.articles)
    parts = index_parts(settings, len(generator.articles))
    shards = plan_shards(page_glob(settings["ARTICLE_SAVE_AS"]), first_folders, parts)
    _plans[settings["OUTPUT_PATH"]] = shards
    generator.context["SEARCH_BUNDLES"] = [shard.folder for shard in shards]


def _index(pelican) -> None:
    settings = pelican.settings
    shards = _plans.pop(settings["OUTPUT_PATH"], None)
    if shards is None:
        return  # not indexing (see _plan)
    with timing.phase("search"):
        try:
            cache = settings.get("BUILD_CACHE_PATH")
            kept = Path(cache) / "search" if cache else None
            at_once = settings["SEARCH_INDEX_AT_ONCE"] or job_count(settings)
            stats = build_index(installed_pagefind(settings), Path(pelican.output_path), shards, kept, at_once)
        except SearchIndexError as error:
            # Raised, not logged: the build fails and the live site stays as it was.
            raise SearchIndexError(f"Search index: {error}") from None
    timing.count("search_pages", stats.pages)
    timing.count("search_bytes", stats.bytes)
    timing.count("search_parts_reused", stats.reused)
    megabytes = stats.bytes / 1e6
    log.info("Search index: %d pages in %d parts, %d files, %.1f MB", stats.pages, len(shards), stats.files, megabytes)


def register() -> None:
    signals.initialized.connect(_configure)
    signals.article_generator_finalized.connect(_plan)
    signals.finalized.connect(_index)
