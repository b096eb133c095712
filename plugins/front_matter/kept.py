"""Articles an earlier build in this process read, taken again while nothing they were read from has changed.

``invoke livereload`` builds again and again in one process. With
``BUILD_KEEP_READ_ARTICLES`` (livereload sets it), the article generator keeps
every article it read as reading left it: the ``Article`` object, its
attributes once Pelican and every ``content_object_init`` receiver were done
with it, the problems reported while it was read, and its conversion. A later
build in the same process takes the same object again, with those attributes
put back (what later steps of a build set on it is gone) and pointed at the
new build's settings and context, when

* the settings, theme, plugins and package versions are the ones it was read
  under (``plugin_support.cache.fingerprint``);
* its file, its hero image and every file its body checks looked at have the
  same size and modification time as then (livereload's watcher looks at
  modification times too);
* it was not dated after the build clock: a scheduled story may go live with a
  later build, so it is read again.

Its Markdown is not converted and its front matter not checked again, and
Pelican does not make a new ``Article``; the problems found in it are reported
again, so every build lists all of them. Whatever a build works out from all
the articles together (links between them, slugs, listings, Keep Reading) is
worked out again each time. Tags, sections and authors stay one object per
name, as in a build that reads everything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from pelican.contents import Content
from plugin_support import cache, clock, problems, timing
from plugin_support.settings import fill_defaults

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
    article.__dict__.clear()
    article.__dict__.update(_copied(entry.attributes, {}))
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


def keep_articles(generator: Any) -> set[str]:
    """Make ``generator`` take the articles it can from earlier builds and keep what it reads.

    Returns the absolute paths of the articles it will take, which need no
    conversion. With ``BUILD_KEEP_READ_ARTICLES`` off, nothing is kept (and
    what an earlier build kept is let go).
    """
    settings = generator.settings
    if not settings["BUILD_KEEP_READ_ARTICLES"]:
        _kept.by_path, _kept.named, _kept.fingerprint = {}, {}, None
        return set()
    fingerprint = cache.fingerprint(settings)
    if fingerprint != _kept.fingerprint:
        _kept.by_path, _kept.named = {}, {}
        _kept.fingerprint = fingerprint
    for reader in generator.readers.readers.values():
        if isinstance(reader, StrictMarkdownReader):
            reader.use_names(_kept.named)
    usable = {path: entry for path, entry in _kept.by_path.items() if files_unchanged(entry.files)}
    _kept.by_path = dict(usable)
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
        if reading.get("path") != path or conversion is None or (date is not None and date > clock.now(settings)):
            _kept.by_path.pop(path, None)
            return
        key, converted = conversion
        _kept.by_path[path] = KeptArticle(
            article=article,
            attributes=_copied({name: value for name, value in vars(article).items() if name not in PER_BUILD}, {}),
            files=_files_read(article, converted, settings),
            key=key,
            converted=converted,
            found=problems.since(reading["mark"]),
        )

    generator.get_cached_data, generator.cache_data = get_cached_data, cache_data
    return set(usable)
