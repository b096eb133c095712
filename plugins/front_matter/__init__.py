"""Content checks: every problem in the content becomes one ``path:line: what to fix``.

Pelican's own Markdown reader lets a bad date or a missing title through as a
bare "Could not process <file>" with the cause hidden. This plugin swaps in a
reader that checks every Markdown file and reports each problem once, with
its file and line, through ``plugin_support.problems``; a file with an error
is skipped, the other files are still checked, and before anything is
written (Pelican's ``get_writer`` signal) a build with errors stops with
``ContentProblemsError``: nothing broken is published. Pelican's own
"Could not process" line is folded into the problem it stands for.

Checks of each file (``reader.py``, ``body_checks.py``):

* the file is UTF-8 text (the byte and line that is not), has no NUL
  characters and is not empty; a byte-order mark is accepted;
* ``Title`` is present and not empty (all files); ``Date``, ``Category`` and
  ``Authors`` too for articles (``FRONT_MATTER_ARTICLE_REQUIRED``);
* ``Date`` and ``Modified`` parse, and ``Modified`` is not before ``Date``;
* ``Featured`` is a yes/no value; it becomes a boolean (default ``False``).
  The front page's lead story, the newest featured article or else the newest
  article, is chosen once and given to templates as ``lead_article``;
* ``Category`` is one of ``SECTIONS`` when that setting lists any; the
  sections that have articles reach templates, in that order, as
  ``section_categories`` (every category, in Pelican's order, when
  ``SECTIONS`` is empty);
* ``Image`` names a file under the content folder, ``Image_alt`` is given, and
  the image's pixel size is recorded as ``image_width``/``image_height``
  (``Image_focus``, the point a share card is cropped around, is read by the
  share_images plugin);
* any other key is unknown: an error when it is a misspelling of a key the
  file lacks (``Tittle`` for ``Title``), otherwise a warning with a
  did-you-mean;
* body images exist, have alt text, and get ``width`` and ``height`` from the
  file; the ones measured are listed as ``body_images`` (file, line), for
  plugins that make copies of them; ``{static}``/``{attach}`` links name files that exist;
* nothing executable: ``<script>``, ``<style>``, ``<base>``, forms,
  ``on…=`` handlers, ``javascript:``/``data:`` URLs, and
  ``<iframe>``/``<object>``/``<embed>`` from hosts not in
  ``CONTENT_EMBED_HOSTS``;
* errors raised by a Markdown extension with a ``lineno`` (takeaways blocks).

Checks across files (``site_checks.py``), once every file is read: two
sources that would write the same output file (both named); ``{filename}``
links and site-relative links (``/section/trade/``) that lead nowhere; tags
written two ways (``AI chips`` and ``Ai Chips``, a warning).

Markdown conversion runs on every core: when the article generator is
created, every article it will read starts converting in worker processes
(``plugin_support.workers``, as many as ``BUILD_JOBS``), and the front matter
of each is checked in the build process as Pelican asks for the file, while
the workers convert the next ones. Pages, a handful in a newsroom, are
converted in the build process when Pelican reads them. With a build cache
(``BUILD_CACHE_PATH``, see ``plugin_support.cache``), an article whose bytes
the last build converted under the same settings, theme, plugins and package
versions, and whose images are unchanged, is not converted again. The
articles themselves are kept between builds (``kept``): in the build cache,
for the next process, and in memory in a process that builds again and again
(``invoke livereload``). An article whose files are unchanged is then
neither converted nor checked nor made again. When fewer than one file in
``FEW_TO_READ`` (10) is left to read, those few are converted without the
conversions cache, which is neither loaded nor written again.

Settings (defaults in ``DEFAULTS``, and ``kept.DEFAULTS``):

``FRONT_MATTER_ARTICLE_REQUIRED``
    Keys every article must have. Default ``["title", "date", "category",
    "authors"]``.
``FRONT_MATTER_EXTRA_FIELDS``
    Extra front-matter keys that are valid on top of the built-in list (for
    example keys that another plugin reads). Default ``[]``.
``CONTENT_EMBED_HOSTS``
    Host names whose ``<iframe>``, ``<object>`` and ``<embed>`` (over https)
    articles may include, such as ``"www.youtube-nocookie.com"``. Default
    ``[]``: no embeds.
``BUILD_KEEP_READ_ARTICLES``
    Keep the articles a build read in memory, for the next build in the same
    process (``kept``), also without a build cache. Default ``False``;
    ``invoke livereload`` sets it.
"""

from __future__ import annotations

import os
from collections import defaultdict

from pelican import signals
from plugin_support import cache, problems, workers
from plugin_support.contents import every_content

from .kept import keep_articles, store_kept
from .kept import validate_settings as validate_keep_settings
from .reader import DEFAULTS, StrictMarkdownReader, markdown_reader_of, validate_settings
from .site_checks import OutputOwners, check_references, check_slugs, check_tag_spellings, fold_pelican_messages

# The conversions cache is skipped when fewer than one file in this many is read: the others are kept.
FEW_TO_READ = 10
# Which source writes which output file, for the build in progress (set again when a build starts).
_owners = OutputOwners()

__all__ = ["DEFAULTS", "StrictMarkdownReader", "register"]


def _use_strict_reader(readers) -> None:
    for extension in StrictMarkdownReader.file_extensions:
        readers.reader_classes[extension] = StrictMarkdownReader


def _start(pelican) -> None:
    validate_settings(pelican.settings)
    validate_keep_settings(pelican.settings)
    workers.validate_settings(pelican.settings)
    cache.validate_settings(pelican.settings)
    problems.validate_settings(pelican.settings)
    fold_pelican_messages(pelican.settings)
    _owners.owner.clear()


def _prefetch(generator) -> None:
    kept = keep_articles(generator)
    by_reader: dict[StrictMarkdownReader, list[str]] = defaultdict(list)
    files = generator.get_files(generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"])
    for relative in files:
        path = os.path.abspath(os.path.join(generator.path, relative))
        reader = markdown_reader_of(generator.readers, path)
        if reader is not None and path not in kept:
            by_reader[reader].append(path)
    # A handful of files beside thousands of kept articles convert sooner than the conversions cache loads
    # and is written again; it is left as it is.
    to_read = sum(len(paths) for paths in by_reader.values())
    use_cache = to_read * FEW_TO_READ >= to_read + len(kept)
    for reader, paths in by_reader.items():
        reader.prefetch(paths, use_cache=use_cache)


def _finish_prefetch(generator) -> None:
    for reader in generator.readers.readers.values():
        if isinstance(reader, StrictMarkdownReader):
            reader.finish_prefetch()


def _store_kept(generator) -> None:
    store_kept(generator)


def _choose_lead_and_sections(generator) -> None:
    articles = generator.articles
    generator.context["lead_article"] = next((a for a in articles if a.featured), articles[0] if articles else None)
    order = {name: number for number, name in enumerate(generator.settings.get("SECTIONS") or [])}
    in_use = [category for category, _ in generator.categories if not order or category.name in order]
    generator.context["section_categories"] = sorted(in_use, key=lambda category: order.get(category.name, 0))


def _check_articles(generator) -> None:
    articles = [*generator.articles, *generator.translations, *generator.hidden_articles, *generator.drafts]
    check_slugs(articles)
    check_tag_spellings(articles)


def _check_pages(generator) -> None:
    check_slugs([*generator.pages, *generator.translations, *generator.hidden_pages, *generator.draft_pages])


def _check_outputs(generators) -> None:
    # Once everything is read: an article dated in the future becomes a draft, with no output, only after it is created.
    for content in every_content(generators, static=True):
        _owners.claim(content)


def _check_links(generators) -> None:
    references: dict[str, list] = {}
    for generator in generators:
        for reader in getattr(getattr(generator, "readers", None), "readers", {}).values():
            if isinstance(reader, StrictMarkdownReader):
                references.update(reader.references)
    if generators:
        check_references(references, generators[0].context, generators[0].settings)


def _stop_before_writing(pelican) -> None:
    errors = problems.errors()
    if errors:
        raise problems.ContentProblemsError(errors)


def register() -> None:
    signals.initialized.connect(_start)
    signals.article_generator_finalized.connect(_check_articles)
    signals.page_generator_finalized.connect(_check_pages)
    signals.all_generators_finalized.connect(_check_outputs)
    signals.all_generators_finalized.connect(_check_links)
    signals.get_writer.connect(_stop_before_writing)
    signals.readers_init.connect(_use_strict_reader)
    signals.article_generator_init.connect(_prefetch)
    signals.article_generator_finalized.connect(_finish_prefetch)
    signals.article_generator_finalized.connect(_store_kept)
    signals.article_generator_finalized.connect(_choose_lead_and_sections)
