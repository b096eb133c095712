"""Articles an earlier build read, taken again while nothing they were read from has changed.

A build keeps every article it read as reading left it: the ``Article``
object, its attributes once Pelican and every ``content_object_init``
receiver were done with it, the problems reported while it was read, and its
conversion. It does so in two cases (``plugin_support.cache.keeps_articles``):
with a build cache (``BUILD_CACHE_PATH``), which stores them (``kept_store``)
for the first build of the next process, and with
``BUILD_KEEP_READ_ARTICLES`` (``invoke livereload`` sets it), for the next
build in the same process. A later build takes the article again, with those
attributes put back (what later steps of a build set on it is gone) and
pointed at the new build's settings and context, when

* the settings, theme, plugins and package versions are the ones it was read
  under (``plugin_support.cache.fingerprint``);
* its file, its hero image and every file its body checks looked at have the
  same size and modification time as then (livereload's watcher looks at
  modification times too);
* it was not dated after the build clock: a scheduled story may go live with a
  later build, so it is read again; and the build clock is not earlier than
  the one it was read under (a build of an older commit, ``SOURCE_DATE_EPOCH``);
* no error was found in it: an error may go with the clock alone (a
  correction's time), so such an article is read again.

Its Markdown is not converted and its front matter not checked again, and
Pelican does not make a new ``Article`` (within one process it is the very
same object); the problems found in it are reported again, so every build
lists all of them. Whatever a build works out from all the articles together
(links between them, slugs, listings, Keep Reading) is worked out again each
time. Tags, sections and authors stay one object per name, as in a build that
reads everything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pelican.contents import Content
from plugin_support import cache, clock, collector, problems, timing
from plugin_support.settings import fill_defaults

from . import kept_store
from .body_checks import file_signature, files_unchanged
from .reader import Converted, StrictMarkdownReader, markdown_reader_of

DEFAULTS: dict[str, Any] = {"BUILD_KEEP_READ_ARTICLES": False}
# What an article holds of the build that read it, set to the new build's when it is taken again.
PER_BUILD = frozenset({"settings", "_context"})
CONTAINERS = frozenset({dict, list, set})


def validate_settings(settings: dict[str, Any]) -> None:
    fill_defaults(settings, DEFAULTS)
    value = settings["BUILD_KEEP_READ_ARTICLES"]
    if not isinstance(value, bool):
        raise ValueError(f"BUILD_KEEP_READ_ARTICLES must be True or False, got {value!r}")


@dataclass
class KeptArticle:
    """One article as reading left it, and what it was read from."""

    article: Any
    attributes: dict[str, Any]
    files: dict[str, tuple[int, int] | None]
    key: str
    converted: Converted
    found: list[problems.Problem]
    # The build clock it was read under: what reading decides by the clock (a story held back until its
    # date, a correction dated in the future) holds for any later clock, not for an earlier one.
    read_at: datetime


class KeptArticles:
    """The articles this process read, by absolute path, and the fingerprint of the build that read them.

    ``named`` is the readers' one tag, section or author object per name,
    shared by every build that keeps articles: an article read again gets the
    objects the kept ones hold.
    """

    def __init__(self) -> None:
        self.fingerprint: str | None = None
        self.by_path: dict[str, KeptArticle] = {}
        self.named: dict[tuple[type, str], Any] = {}
        # Files of the build cache's store (``kept_store``) whose articles changed since it was read or written.
        self.changed_shards: set[int] = set()

    def start_again(self, fingerprint: str | None) -> None:
        self.fingerprint, self.by_path, self.named, self.changed_shards = fingerprint, {}, {}, set()

    def drop(self, path: str) -> None:
        if self.by_path.pop(path, None) is not None:
            self.changed_shards.add(kept_store.shard_of(path))

    def put(self, path: str, entry: KeptArticle) -> None:
        self.by_path[path] = entry
        self.changed_shards.add(kept_store.shard_of(path))


_kept = KeptArticles()


def _copied(value: Any, copies: dict[int, Any]) -> Any:
    """``value`` with every dict, list and set in it copied, and two references to one container kept as one."""
    kind = type(value)
    if kind not in CONTAINERS:
        return value
    copy = copies.get(id(value))
    if copy is not None:
        return copy
    if kind is set:
        copy = copies[id(value)] = set(value)
    elif kind is dict:
        copy = copies[id(value)] = {}
        for key, item in value.items():
            copy[key] = _copied(item, copies) if type(item) in CONTAINERS else item
    else:
        copy = copies[id(value)] = []
        copy.extend(_copied(item, copies) if type(item) in CONTAINERS else item for item in value)
    return copy


def _restore(entry: KeptArticle, generator: Any, reader: StrictMarkdownReader) -> Any:
    article = entry.article
    # What the last build set on the article (its Keep Reading, its JSON-LD…) is freed between builds.
    collector.free_later(article.__dict__)
    article.__dict__ = _copied(entry.attributes, {})
    article.settings, article._context = generator.settings, generator.context
    reader.take_kept(article.source_path, entry.key, entry.converted)
    problems.report_again(entry.found)
    timing.count("articles_kept", 1)
    return article


def _files_read(article: Any, converted: Converted, settings: dict[str, Any]) -> dict[str, tuple[int, int] | None]:
    files = {article.source_path: file_signature(article.source_path), **converted.depends_on}
    image = article.metadata.get("image")
    if image:
        hero = os.path.join(settings["PATH"], str(image))
        files[hero] = file_signature(hero)
    return files


def _from_store(settings: dict[str, Any], fingerprint: str, context: dict[str, Any]) -> dict[str, KeptArticle]:
    with timing.phase("articles_loaded"):
        folder = kept_store.folder_of(settings, fingerprint)
        stored = kept_store.load(folder, fingerprint, settings, context, _kept.named)
    return {path: KeptArticle(article, *record) for path, (article, record) in stored.items()}


def keep_articles(generator: Any) -> set[str]:
    """Make ``generator`` take the articles it can from earlier builds and keep what it reads.

    Returns the absolute paths of the articles it will take, which need no
    conversion. The first build of a process, or one under new settings,
    takes them from the build cache (``kept_store``), if it has one. A build
    that keeps nothing lets go of what an earlier build kept.
    """
    settings = generator.settings
    if not cache.keeps_articles(settings):
        _kept.start_again(None)
        return set()
    fingerprint = cache.fingerprint(settings)
    if fingerprint != _kept.fingerprint:
        _kept.start_again(fingerprint)
        _kept.by_path = _from_store(settings, fingerprint, generator.context)
    for reader in generator.readers.readers.values():
        if isinstance(reader, StrictMarkdownReader):
            reader.use_names(_kept.named)
    now = clock.now(settings)
    usable = {
        path: entry for path, entry in _kept.by_path.items() if entry.read_at <= now and files_unchanged(entry.files)
    }
    for path in _kept.by_path.keys() - usable.keys():
        _kept.drop(path)
    # Pelican remembers each article's content and summary by the object; a kept object's were worked out
    # against an earlier build's links and context.
    for memoized in ("get_content", "get_summary"):
        Content.__dict__[memoized].cache.clear()
    reading: dict[str, Any] = {}

    def get_cached_data(filename: str, default: Any = None) -> Any:
        path = os.path.abspath(os.path.join(generator.path, filename))
        entry = usable.pop(path, None)
        reader = markdown_reader_of(generator.readers, path) if entry is not None else None
        if reader is None:
            reading.update(path=path, mark=problems.mark())
            return default
        return _restore(entry, generator, reader)

    def cache_data(filename: str, article: Any) -> None:
        path = os.path.abspath(os.path.join(generator.path, filename))
        reader = markdown_reader_of(generator.readers, path)
        conversion = reader.converted_of(path) if reader is not None else None
        date = getattr(article, "date", None)
        if reading.get("path") != path or conversion is None or (date is not None and date > now):
            _kept.drop(path)
            return
        found = problems.since(reading["mark"])
        # An article with an error is read again: the error may go with the clock alone (a correction's time).
        if any(problem.severity == problems.ERROR for problem in found):
            _kept.drop(path)
            return
        key, converted = conversion
        _kept.put(
            path,
            KeptArticle(
                article=article,
                attributes=_copied({name: value for name, value in vars(article).items() if name not in PER_BUILD}, {}),
                files=_files_read(article, converted, settings),
                key=key,
                converted=converted,
                found=found,
                read_at=now,
            ),
        )

    generator.get_cached_data, generator.cache_data = get_cached_data, cache_data
    return set(usable)


def store_kept(generator: Any) -> None:
    """Write the files of the build cache's store whose articles this build read again, added or dropped."""
    settings = generator.settings
    if _kept.fingerprint is None or not _kept.changed_shards:  # a build that keeps nothing has no fingerprint
        return
    entries = {
        path: (entry.article, (entry.attributes, entry.files, entry.key, entry.converted, entry.found, entry.read_at))
        for path, entry in _kept.by_path.items()
    }
    folder = kept_store.folder_of(settings, _kept.fingerprint)
    kept_store.save(folder, _kept.fingerprint, _kept.changed_shards, entries, settings, generator.context)
    _kept.changed_shards = set()
