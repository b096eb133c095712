"""A faster build: pages rendered on every core, and Pelican's listings built in linear time.

* ``writer.ParallelWriter`` is Pelican's writer (the ``get_writer`` signal).
  It takes every page the generators ask for in the usual order, with the
  usual pagination, overwrite checks and ``content_written`` signal, but keeps
  each page as a job instead of rendering it at once. When the build finishes
  (``finalized``), the jobs are rendered and written by worker processes
  forked from the build (``plugin_support.workers``, as many as
  ``BUILD_JOBS``), each file by exactly one process. The bytes are the same as
  with ``BUILD_JOBS = 1``, which renders the same jobs in the build process,
  one after another, in the order Pelican asked for them. Receivers of
  ``content_written`` still see pages in Pelican's order, with the full
  context, but the file itself is on disk only once the build has finished.
  Feeds are written at once, in the build process.
* ``listings`` replaces, on the article generator alone, the methods that
  build tag, section, author and month listings by scanning the whole archive
  once per listing, with ones that give the same lists from one pass; and
  works out every article's and page's URL once, when everything has been
  read, instead of on every page that links to it, and its output path too.
  Pelican's sorting of articles and pages into originals and translations
  runs once per translation group instead of looking each article up in the
  list of every original. A content's path in the content folder is worked
  out once, when it is created, not at every address Pelican formats; and a
  process that builds again takes the static files an unchanged article links
  to from its last build instead of scanning its HTML again (``sources``).
* Pelican's own content cache, when it is off (``CACHE_CONTENT`` and
  ``LOAD_CONTENT_CACHE``, both off by default), is not looked up
  (``content_cache``): Pelican would still note each file's modification
  time four times.
* Jinja is told not to re-check template files for changes during a build
  (``JINJA_ENVIRONMENT["auto_reload"] = False`` unless set otherwise), and,
  with a build cache, keeps the compiled theme in it for the next build
  (``BUILD_CACHE_PATH/templates-…/``; Jinja compiles a template again when its
  source, or that of a partial compiled into it, changes; without a build
  cache, once per process for all of Pelican's environments). Partials are
  compiled into the templates that include them or import their macros with
  context (``templates.InlinePartials``, unless ``BUILD_INLINE_PARTIALS`` is
  ``False``), instead of Jinja copying every name of the page into a context
  of their own on every page. Its own bookkeeping for every partial still
  rendered on its own is made cheaper (``templates``): the names of a
  template's globals are listed in one call, and loaded templates are kept in a plain dictionary instead of
  a least-recently-used cache (``JINJA_ENVIRONMENT["cache_size"] = -1``
  unless set otherwise).
* Markdown offers each block of a story only to the block processors that
  could take it, and tries on each piece of text only the inline patterns
  that could match it (``markdown_triggers``): a heading needs a ``#``, a
  link a ``[``, emphasis a ``*`` or an ``_``. The HTML is the same; converting
  takes about two fifths less time.
* Dates are shown with the ``date_text`` Jinja filter (``dates``), which
  formats each date once per build instead of on every page that shows it.
* Python's cycle collector is kept off what the build makes to keep
  (``plugin_support.collector``): paused from when the article generator is
  created until everything is read and ranked, then kept away from all of it.

* Pages the last build wrote that would come out the same are taken over
  instead of rendered (``incremental``): from ``BUILD_PREVIOUS_OUTPUT`` (the
  live site, default ``None``: the output folder itself), hard-linked into
  the new one; or, with ``BUILD_UPDATE_IN_PLACE`` (default ``False``), left
  where they are and named to ``plugin_support.site_update``, which moves
  only the new files into the live site once the build has succeeded.
  ``invoke build`` sets both: in place whenever the build makes no search
  index (Pagefind reads the whole new site from one folder).

Settings: ``BUILD_JOBS`` and ``BUILD_WORKER_TIMEOUT`` (``plugin_support.workers``);
``BUILD_PREVIOUS_OUTPUT``, ``BUILD_UPDATE_IN_PLACE`` and ``BUILD_INLINE_PARTIALS``
(default ``True``) (``writer``).
"""

from __future__ import annotations

from pelican import signals
from plugin_support import cache, collector, workers
from plugin_support.settings import use_markdown_extension

from . import dates, sources
from .content_cache import skip_when_off
from .listings import group_translations, remember_urls, speed_up
from .markdown_triggers import TriggersExtension
from .writer import ParallelWriter, keep_templates_compiled
from .writer import validate_settings as validate_writer_settings

__all__ = ["ParallelWriter", "register"]


def _start(pelican) -> None:
    collector.release()
    workers.validate_settings(pelican.settings)
    cache.validate_settings(pelican.settings)
    validate_writer_settings(pelican.settings)
    keep_templates_compiled(pelican.settings)
    dates.install(pelican.settings)
    use_markdown_extension(pelican.settings, TriggersExtension, TriggersExtension())
    group_translations()
    sources.remember_sources()
    sources.start_build()


def _supply_writer(pelican) -> type[ParallelWriter]:
    return ParallelWriter


def _speed_up(generator) -> None:
    speed_up(generator)


def _skip_content_cache(generator) -> None:
    skip_when_off(generator)


def _pause_collector(generator) -> None:
    collector.pause()


def _set_aside_what_was_read(generators) -> None:
    collector.set_aside()


def _resume_collector(pelican) -> None:
    collector.resume()


def _remember_urls(generators) -> None:
    remember_urls(generators)


def _flush(pelican) -> None:
    ParallelWriter.flush_for(pelican.output_path)


def register() -> None:
    signals.initialized.connect(_start)
    signals.get_writer.connect(_supply_writer)
    signals.article_generator_init.connect(_speed_up)
    signals.article_generator_init.connect(_skip_content_cache)
    signals.page_generator_init.connect(_skip_content_cache)
    signals.article_generator_init.connect(_pause_collector)
    signals.all_generators_finalized.connect(_remember_urls)
    signals.all_generators_finalized.connect(_set_aside_what_was_read)
    signals.finalized.connect(_resume_collector)
    signals.finalized.connect(_flush)
