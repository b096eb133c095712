"""Strict front matter: every content problem becomes ``path:line: what to fix``.

Pelican's own Markdown reader lets a bad date or a missing title through as a
bare "Could not process <file>" with the cause hidden. This plugin swaps in a
reader that checks the front matter of every Markdown file and reports each
problem as one readable line, logged at ERROR so the build exits non-zero
while the other files are still checked. It also reports, with their line, any
error raised by a Markdown extension that carries a ``lineno`` attribute.

Checks:

* ``Title`` is present and not empty (all files); ``Date`` too for articles.
* ``Date`` and ``Modified`` parse, and ``Modified`` is not before ``Date``.
* ``Featured`` is a yes/no value; it becomes a boolean (default ``False``).
  The front page's lead story, the newest featured article or else the newest
  article, is chosen once and given to templates as ``lead_article``.
* ``Category`` is one of ``SECTIONS`` when that setting lists any; the
  sections that have articles reach templates, in that order, as
  ``section_categories`` (every category, in Pelican's order, when
  ``SECTIONS`` is empty).
* ``Image`` names a file under the content folder, ``Image_alt`` is given, and
  the image's pixel size is recorded as ``image_width``/``image_height``.
* Any other key is reported as unknown (a warning) unless Pelican or a plugin
  uses it: typos such as ``Tittle:`` do not vanish silently.

Markdown conversion runs on every core: when the article generator is
created, every article it will read starts converting in worker processes
(``plugin_support.workers``, as many as ``BUILD_JOBS``), and the front matter
of each is checked in the build process as Pelican asks for the file, while
the workers convert the next ones; problems are reported in the same order
and words as in a one-process build. Pages, a handful in a newsroom, are
converted in the build process when Pelican reads them. With a build cache
(``BUILD_CACHE_PATH``, see ``plugin_support.cache``), an article whose bytes
the last build converted under the same settings, theme, plugins and package
versions is not converted again.

Settings (defaults in ``DEFAULTS``):

``FRONT_MATTER_ARTICLE_REQUIRED``
    Keys every article must have. Default ``["title", "date", "category",
    "authors"]``.
``FRONT_MATTER_EXTRA_FIELDS``
    Extra front-matter keys that are valid on top of the built-in list (for
    example keys that another plugin reads). Default ``[]``.
"""

from __future__ import annotations

import os
from collections import defaultdict

from pelican import signals
from plugin_support import cache, workers

from .reader import DEFAULTS, StrictMarkdownReader, validate_settings

__all__ = ["DEFAULTS", "StrictMarkdownReader", "register"]


def _use_strict_reader(readers) -> None:
    for extension in StrictMarkdownReader.file_extensions:
        readers.reader_classes[extension] = StrictMarkdownReader


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)
    workers.validate_settings(pelican.settings)
    cache.validate_settings(pelican.settings)


def _prefetch(generator) -> None:
    by_reader: dict[StrictMarkdownReader, list[str]] = defaultdict(list)
    files = generator.get_files(generator.settings["ARTICLE_PATHS"], exclude=generator.settings["ARTICLE_EXCLUDES"])
    for relative in files:
        reader = generator.readers.readers.get(os.path.splitext(relative)[1].lstrip("."))
        if isinstance(reader, StrictMarkdownReader):
            by_reader[reader].append(os.path.abspath(os.path.join(generator.path, relative)))
    for reader, paths in by_reader.items():
        reader.prefetch(paths)


def _finish_prefetch(generator) -> None:
    for reader in generator.readers.readers.values():
        if isinstance(reader, StrictMarkdownReader):
            reader.finish_prefetch()


def _choose_lead_and_sections(generator) -> None:
    articles = generator.articles
    generator.context["lead_article"] = next((a for a in articles if a.featured), articles[0] if articles else None)
    order = {name: number for number, name in enumerate(generator.settings.get("SECTIONS") or [])}
    in_use = [category for category, _ in generator.categories if not order or category.name in order]
    generator.context["section_categories"] = sorted(in_use, key=lambda category: order.get(category.name, 0))


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.readers_init.connect(_use_strict_reader)
    signals.article_generator_init.connect(_prefetch)
    signals.article_generator_finalized.connect(_finish_prefetch)
    signals.article_generator_finalized.connect(_choose_lead_and_sections)
