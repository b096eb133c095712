"""The strict Markdown reader and the checks it runs on every file it reads."""

from __future__ import annotations

import codecs
import difflib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime
from plugin_support import problems
from plugin_support.cache import BuildCache, content_key
from plugin_support.flags import parse_yes_no
from plugin_support.problems import ERROR, WARNING, header_line_numbers, line_of
from plugin_support.settings import fill_defaults
from plugin_support.workers import Running, job_count

from .body_checks import BodyCheckExtension, files_unchanged
from .images import ImageError, image_size

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "FRONT_MATTER_ARTICLE_REQUIRED": ["title", "date", "category", "authors"],
    "FRONT_MATTER_EXTRA_FIELDS": [],
    "CONTENT_EMBED_HOSTS": [],
}

# Keys Pelican itself understands, plus the ones this plugin adds.
KNOWN_FIELDS = frozenset(
    {
        "title",
        "date",
        "modified",
        "category",
        "tags",
        "author",
        "authors",
        "slug",
        "summary",
        "status",
        "template",
        "save_as",
        "url",
        "lang",
        "translation",
        "featured",
        "image",
        "image_alt",
        "image_caption",
        "image_credit",
        "image_focus",
    }
)
PLAIN_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:(?:[T_]| +)(\d{2}):(\d{2})(?::(\d{2}))?)?")
FRONT_MATTER_SHAPE = 'front matter is "Key: value" lines from line 1, ended by a blank line'
EMPTY = 'the file is empty; an article starts with front matter ("Title: …" lines) and then its text'
# (line, message, severity): what one file is reported for.
Found = tuple[int, str, str]


class FrontMatterError(ValueError):
    """A problem in one file, with the line it is on (1-based) when known."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults and reject settings of the wrong shape at start-up."""
    fill_defaults(settings, DEFAULTS)
    for key in DEFAULTS:
        value = settings[key]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{key} must be a list of strings, got {value!r}")


def text_problem(data: bytes) -> tuple[int, str] | None:
    """Why ``data`` is not an article's text (empty, not UTF-8, NUL bytes), with the line; ``None`` when it is text."""
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        return 1, EMPTY
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return line, (
            f"not UTF-8 text: byte {error.start} (0x{data[error.start]:02x}) on line {line} cannot be read; "
            "save the file with UTF-8 encoding"
        )
    if "\x00" in text:
        return line_of(text, "\x00"), "a NUL character (a zero byte) is in the text; remove it"
    return None


def image_dimensions(path: Path) -> tuple[int, int]:
    try:
        return image_size(path)
    except ImageError as error:
        raise FrontMatterError(f"Image: {error}") from error


@dataclass
class Converted:
    """What Markdown made of one file: plain data, so it can come back from a worker process."""

    html: str = ""
    meta: dict[str, list[Any]] = field(default_factory=dict)
    formatted: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    # The file could not be converted at all: why, and where.
    error: str | None = None
    error_line: int | None = None
    # Problems in the body, by line: broken images, unsafe HTML.
    problems: list[tuple[int, str]] = field(default_factory=list)
    # Links to resolve once every file is read: (kind, target, line).
    references: list[tuple[str, str, int]] = field(default_factory=list)
    # Images and files the body checks looked at, with their size and time, to know when to check again.
    depends_on: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    # The body's images that were measured: (file, line), in order.
    images: list[tuple[str, int]] = field(default_factory=list)


def plain_date(text: str) -> SafeDatetime | None:
    """``YYYY-MM-DD[ HH:MM[:SS]]`` read directly, or ``None`` for anything else.

    Pelican reads dates with dateutil's parser, which understands many forms
    and costs a tenth of a millisecond each; the form the house style uses is
    read here to the same value without it. Other forms, and impossible dates,
    go to Pelican's reader, which reads them or says what is wrong.
    """
    match = PLAIN_DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return SafeDatetime(*(int(part) for part in match.groups(default="0")))
    except ValueError:
        return None


def markdown_reader_of(readers: Any, path: str) -> StrictMarkdownReader | None:
    """The ``StrictMarkdownReader`` Pelican's ``readers`` use for the file at ``path``, if it is one."""
    reader = readers.readers.get(os.path.splitext(path)[1].lstrip("."))
    return reader if isinstance(reader, StrictMarkdownReader) else None


class StrictMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with every file checked and every problem reported with its line.

    Unlike Pelican's, it converts with one ``Markdown`` instance per process,
    reset between files, reads each file once, and can convert a whole folder
    on every core ahead of Pelican asking for the files one by one
    (``prefetch``); the front matter is still checked file by file, in order,
    in the build process. A file with an error is reported (``plugin_support.problems``)
    and skipped; ``references`` keeps, by file, the links that can only be
    resolved once every file is read.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._converter: Markdown | None = None
        self._field_converter: Markdown | None = None
        self._body_check = BodyCheckExtension(self.settings["PATH"], self.settings["CONTENT_EMBED_HOSTS"])
        self._prefetching: Running[Converted] | None = None
        self._prefetch_index: dict[str, int] = {}
        self._cache: BuildCache | None = None
        self._cached: dict[str, Converted] = {}  # by source path: conversions the last build left
        self._keys: dict[str, str] = {}  # source path -> key of its bytes
        self._sources: dict[str, bytes] = {}  # source path -> bytes read for the key, until converted
        self._read: dict[str, Converted] = {}  # by key: what this build converted or reused
        self._stored: dict[str, Converted] = {}  # by key: what the last build left
        self.references: dict[str, list[tuple[str, str, int]]] = {}
        self._article_folders: tuple[str, ...] | None = None
        # Pelican works out a tag's, section's or author's slug once per object; one object per
        # name slugifies each name once, not once for every story that names it.
        self._named: dict[tuple[type, str], URLWrapper] = {}

    def _markdown(self) -> Markdown:
        if self._converter is None:
            self._converter = Markdown(**self.settings["MARKDOWN"])
            self._converter.registerExtensions([self._body_check], {})
        return self._converter.reset()

    def _field_markdown(self) -> Markdown:
        if self._field_converter is None:
            self._field_converter = Markdown(**self.settings["MARKDOWN"])
            # Front-matter fields are Markdown text, not files with front matter of their own.
            self._field_converter.preprocessors.deregister("meta")
        return self._field_converter.reset()

    def convert(self, source_path: str) -> Converted:
        """Convert one file; problems are returned, not raised or logged, so workers can hand them back."""
        try:
            data = self._sources.pop(source_path, None)
            if data is None:
                data = Path(source_path).read_bytes()
        except OSError as error:
            return Converted(error=f"could not be read: {error.strerror or error}", error_line=1)
        unreadable = text_problem(data)
        if unreadable is not None:
            return Converted(error=unreadable[1], error_line=unreadable[0])
        text = data.decode("utf-8-sig")
        lines = header_line_numbers(text)
        try:
            markdown = self._markdown()
            check = self._body_check.start(source_path)
            html = markdown.convert(text)
            meta = {name.lower(): value for name, value in getattr(markdown, "Meta", {}).items()}
            formatted = {
                name: self._field_markdown().convert("\n".join(value))
                for name, value in meta.items()
                if name in self.settings["FORMATTED_FIELDS"]
            }
        except Exception as error:
            return Converted(lines=lines, error=str(error), error_line=getattr(error, "lineno", None))
        return Converted(
            html=html,
            meta=meta,
            formatted=formatted,
            lines=lines,
            problems=[(line_of(text, finding.exact, finding.needle), finding.message) for finding in check.findings],
            references=[(ref.kind, ref.target, line_of(text, ref.needle)) for ref in check.references],
            depends_on=check.looked_at,
            images=[(path, line_of(text, exact, needle)) for path, needle, exact in check.images],
        )

    def prefetch(self, source_paths: list[str], use_cache: bool = True) -> None:
        """Start converting ``source_paths`` on every core; ``read`` takes each result as it is ready.

        Pelican then checks the front matter of the first files while workers
        are still converting the later ones. A file whose bytes were converted
        by the last build (``BUILD_CACHE_PATH``), and whose images have not
        changed since, is not converted again; without ``use_cache`` the
        conversions the last build left are neither read nor replaced.
        """
        self.finish_prefetch(save=False)
        self._cache = BuildCache(self.settings, "markdown") if use_cache else None
        stored = self._stored = self._cache.load() if self._cache is not None else {}
        to_convert = []
        for path in source_paths:
            try:
                data = Path(path).read_bytes()
            except OSError:  # convert() reports it
                data, key = None, ""
            else:
                key = self._keys[path] = content_key(data)
            if key in stored and files_unchanged(stored[key].depends_on):
                self._cached[path] = stored[key]
            else:
                to_convert.append(path)
                if data is not None:
                    self._sources[path] = data  # the workers convert these bytes: each file is read once
        self._prefetch_index = {path: number for number, path in enumerate(to_convert)}
        self._prefetching = Running(
            self.convert,
            to_convert,
            jobs=job_count(self.settings),
            describe=lambda path: os.path.relpath(path, self.settings["PATH"]),
            timeout=self.settings["BUILD_WORKER_TIMEOUT"],
        )

    def finish_prefetch(self, save: bool = True) -> None:
        """Stop the workers of an earlier ``prefetch`` and keep what this build converted for the next one."""
        if self._prefetching is not None:
            self._prefetching.close()
        # Nothing to write when this build used exactly what the last one left.
        if save and self._cache is not None and self._read.keys() != self._stored.keys():
            self._cache.save(self._read)
        self._prefetching, self._prefetch_index, self._cache = None, {}, None
        self._cached, self._keys, self._read, self._sources, self._stored = {}, {}, {}, {}, {}

    def _converted(self, source_path: str) -> Converted:
        converted = self._cached.pop(source_path, None)
        if converted is None:
            number = self._prefetch_index.pop(source_path, None)
            if number is None or self._prefetching is None:
                converted = self.convert(source_path)
            else:
                converted = self._prefetching.get(number)
        key = self._keys.get(source_path)
        if key and converted.error is None:
            self._read[key] = converted
        return converted

    def converted_of(self, source_path: str) -> tuple[str, Converted] | None:
        """The key of the bytes of ``source_path`` and what this build made of them, once it was read without error."""
        key = self._keys.get(source_path)
        converted = self._read.get(key) if key else None
        return None if converted is None else (key, converted)

    def take_kept(self, source_path: str, key: str, converted: Converted) -> None:
        """Count a file an earlier build in this process read as read by this build (``kept``)."""
        self._read[key] = converted
        self.references[source_path] = converted.references

    def use_names(self, named: dict[tuple[type, str], URLWrapper]) -> None:
        """Take tag, section and author objects from ``named``, and add the ones this reader makes to it."""
        self._named = named

    def _parse_converted(self, converted: Converted, found: list[Found]) -> dict[str, Any]:
        """Pelican's metadata processing (``MarkdownReader._parse_metadata``) over converted data.

        A value that cannot be read is added to ``found`` and left out, so the
        other keys are still checked.
        """
        output: dict[str, Any] = {}
        for name, value in converted.meta.items():
            line = converted.lines.get(name, 1)
            if name in converted.formatted:
                value = converted.formatted[name]
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                if len(value) > 1:
                    found.append((line, f'"{name.title()}:" is given {len(value)} times; keep one', WARNING))
                value = value[0]
            elif len(value) == 1:
                value = value[0]
            try:
                output[name] = self.process_metadata(name, value)
            except FrontMatterError as error:
                found.append((line, str(error), ERROR))
        return output

    def process_metadata(self, name: str, value: Any) -> Any:
        try:
            if name == "featured":
                return parse_yes_no(name, value)
            if name in {"date", "modified"} and isinstance(value, str):
                written = plain_date(value)
                if written is not None:
                    return written
            return self._one_per_name(super().process_metadata(name, value))
        except FrontMatterError:
            raise
        except ValueError as error:
            if str(error).startswith(f"{name.title()}:"):
                raise FrontMatterError(str(error)) from error
            hint = " write it as YYYY-MM-DD HH:MM" if name in {"date", "modified"} else ""
            message = f'{name.title()}: "{value}" could not be read ({error});{hint}'.rstrip(";")
            raise FrontMatterError(message) from error

    def _one_per_name(self, value: Any) -> Any:
        """The first tag, section or author object this reader made with the same class and name as ``value``."""
        if isinstance(value, URLWrapper):
            return self._named.setdefault((type(value), value.name), value)
        if isinstance(value, list):
            return [self._one_per_name(item) for item in value]
        return value

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        self._source_path = source_path
        converted = self._converted(source_path)
        found: list[Found] = []
        metadata: dict[str, Any] = {}
        if converted.error is not None:
            found.append((converted.error_line or 1, converted.error, ERROR))
        else:
            metadata = self._parse_converted(converted, found)
            found += [(line, message, ERROR) for line, message in converted.problems]
            found += self._check(source_path, metadata, converted)
        for line, message, severity in found:
            problems.report(source_path, line, message, severity)
        has_errors = any(severity == ERROR for _, _, severity in found)
        if has_errors and not self._can_be_made(source_path, metadata, converted):
            raise problems.AlreadyReportedError(source_path)
        self.references[source_path] = converted.references
        if converted.images:
            metadata["body_images"] = tuple(converted.images)
        return converted.html, metadata

    def _can_be_made(self, source_path: str, metadata: dict[str, Any], converted: Converted) -> bool:
        """Whether Pelican can make the article or page although an error was found in it.

        It then goes on through every check across the content (author profiles, ``Related:`` pins, links,
        slugs), so that one run reports all of a file's problems; nothing is written while an error stands.
        It can when its text was converted and it has a headline, and, for an article, a date.
        """
        if converted.error is not None or not str(metadata.get("title") or "").strip():
            return False
        return "date" in metadata or not self._is_article(source_path)

    def _check(self, source_path: str, metadata: dict[str, Any], converted: Converted) -> list[Found]:
        lines = converted.lines
        unreadable = {name for name in converted.meta if name not in metadata}
        found: list[Found] = []
        unknown = self._unknown_fields(lines)
        # "Tittle:" for "Title:" is one slip: report the misspelt key, not also the missing one.
        misspelt = {suggestion for _, _, suggestion in unknown if suggestion}
        required = ["title"]
        if self._is_article(source_path):
            required += [key for key in self.settings["FRONT_MATTER_ARTICLE_REQUIRED"] if key != "title"]
        for key in required:
            present = str(metadata.get(key, "")).strip() or (key == "authors" and "author" in metadata)
            if not present and key not in unreadable and key not in misspelt:
                found.append((1, f'missing "{key.title()}:" line; {FRONT_MATTER_SHAPE}', ERROR))
        for key, line, suggestion in unknown:
            if suggestion and suggestion not in metadata:
                found.append((line, f'unknown front-matter key "{key}"; did you mean "{suggestion.title()}"?', ERROR))
            else:
                hint = f'did you mean "{suggestion.title()}"?' if suggestion else "check the spelling"
                message = f'unknown front-matter key "{key}"; {hint} (or add it to FRONT_MATTER_EXTRA_FIELDS)'
                found.append((line, message, WARNING))
        found += self._check_section(metadata, lines)
        found += self._check_dates(metadata, lines)
        metadata["featured"] = metadata.get("featured", False)
        if "image" in metadata:
            found += self._check_image(metadata, lines)
        return found

    def _is_article(self, source_path: str) -> bool:
        # Pelican hands the reader the content folder joined with the file's path in it.
        if self._article_folders is None:
            root = os.path.abspath(self.settings["PATH"])
            self._article_folders = tuple(os.path.join(root, folder, "") for folder in self.settings["ARTICLE_PATHS"])
        return os.path.abspath(source_path).startswith(self._article_folders)

    def _unknown_fields(self, lines: dict[str, int]) -> list[tuple[str, int, str | None]]:
        known = KNOWN_FIELDS | {name.lower() for name in self.settings["FRONT_MATTER_EXTRA_FIELDS"]}
        unknown = []
        for key, number in lines.items():
            if key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
                unknown.append((key, number, close[0] if close else None))
        return unknown

    def _check_section(self, metadata: dict[str, Any], lines: dict[str, int]) -> list[Found]:
        sections = self.settings.get("SECTIONS") or []
        category = metadata.get("category")
        if sections and category is not None and str(category) not in sections:
            message = f'Category: "{category}" is not a section; use one of {", ".join(sections)}'
            return [(lines.get("category", 1), message, ERROR)]
        return []

    def _check_dates(self, metadata: dict[str, Any], lines: dict[str, int]) -> list[Found]:
        date, modified = metadata.get("date"), metadata.get("modified")
        if date is not None and modified is not None and modified < date:
            return [(lines.get("modified", 1), f"Modified: {modified:%Y-%m-%d %H:%M} is before the Date", ERROR)]
        return []

    def _check_image(self, metadata: dict[str, Any], lines: dict[str, int]) -> list[Found]:
        line = lines.get("image", 1)
        relative = str(metadata["image"]).strip().lstrip("/")
        path = Path(self.settings["PATH"]) / relative
        if not path.is_file():
            return [(line, f'Image: "{relative}" is not a file under {self.settings["PATH"]}{os.sep}', ERROR)]
        found: list[Found] = []
        if not str(metadata.get("image_alt", "")).strip():
            message = 'Image: add an "Image_alt:" line describing the image for readers who cannot see it'
            found.append((line, message, ERROR))
        metadata["image"] = relative
        try:
            metadata["image_width"], metadata["image_height"] = image_dimensions(path)
        except FrontMatterError as error:
            found.append((line, str(error), ERROR))
        return found
