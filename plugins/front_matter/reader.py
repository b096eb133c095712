"""The strict Markdown reader and the checks it runs on front matter."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import SafeDatetime
from plugin_support.cache import BuildCache, content_key
from plugin_support.workers import Running, job_count

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "FRONT_MATTER_ARTICLE_REQUIRED": ["title", "date", "category", "authors"],
    "FRONT_MATTER_EXTRA_FIELDS": [],
}

# Keys Pelican itself understands, plus the ones this plugin adds.
KNOWN_FIELDS = frozenset(
    {
        "title", "date", "modified", "category", "tags", "author", "authors",
        "slug", "summary", "status", "template", "save_as", "url", "lang",
        "translation", "featured", "image", "image_alt", "image_caption",
        "image_credit",
    }
)
TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off"})
HEADER_LINE = re.compile(r"^([A-Za-z0-9_-]+):")
PLAIN_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:(?:[T_]| +)(\d{2}):(\d{2})(?::(\d{2}))?)?")


class FrontMatterError(ValueError):
    """A problem in one file, with the line it is on (1-based) when known."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults and reject settings of the wrong shape at start-up."""
    for key, default in DEFAULTS.items():
        value = settings.setdefault(key, default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{key} must be a list of front-matter keys, got {value!r}")


def header_line_numbers(text: str) -> dict[str, int]:
    """Map each front-matter key (lower case) to the line it is written on."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        match = HEADER_LINE.match(line)
        if match:
            lines.setdefault(match.group(1).lower(), number)
    return lines


def parse_flag(name: str, value: Any) -> bool:
    """Read a yes/no front-matter value."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FrontMatterError(f'{name.title()}: "{value}" is not a yes/no value; write true or false')


def image_size(path: Path) -> tuple[int, int]:
    """Pixel width and height of an SVG (from its attributes or viewBox) or a raster image."""
    if path.suffix.lower() == ".svg":
        root = ElementTree.parse(path).getroot()
        width, height = root.get("width"), root.get("height")
        if width and height:
            return round(float(width.removesuffix("px"))), round(float(height.removesuffix("px")))
        view_box = (root.get("viewBox") or "").replace(",", " ").split()
        if len(view_box) == 4:
            return round(float(view_box[2])), round(float(view_box[3]))
        raise FrontMatterError(f"Image: {path.name} has neither width/height nor a viewBox")
    from PIL import Image

    with Image.open(path) as picture:
        return picture.size


@dataclass
class Converted:
    """What Markdown made of one file: plain data, so it can come back from a worker process."""

    html: str = ""
    meta: dict[str, list[Any]] = field(default_factory=dict)
    formatted: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    error_line: int | None = None


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


class StrictMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with front-matter checks and located errors.

    Unlike Pelican's, it converts with one ``Markdown`` instance per process,
    reset between files, reads each file once, and can convert a whole folder
    on every core ahead of Pelican asking for the files one by one
    (``prefetch``); the front matter is still checked file by file, in order,
    in the build process.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._converter: Markdown | None = None
        self._field_converter: Markdown | None = None
        self._prefetching: Running[Converted] | None = None
        self._prefetch_index: dict[str, int] = {}
        self._cache: BuildCache | None = None
        self._cached: dict[str, Converted] = {}  # by source path: conversions the last build left
        self._keys: dict[str, str] = {}  # source path -> key of its bytes
        self._sources: dict[str, bytes] = {}  # source path -> bytes read for the key, until converted
        self._read: dict[str, Converted] = {}  # by key: what this build converted or reused
        self._stored: dict[str, Converted] = {}  # by key: what the last build left

    def _markdown(self) -> Markdown:
        if self._converter is None:
            self._converter = Markdown(**self.settings["MARKDOWN"])
        return self._converter.reset()

    def _field_markdown(self) -> Markdown:
        if self._field_converter is None:
            self._field_converter = Markdown(**self.settings["MARKDOWN"])
            # Front-matter fields are Markdown text, not files with front matter of their own.
            self._field_converter.preprocessors.deregister("meta")
        return self._field_converter.reset()

    def convert(self, source_path: str) -> Converted:
        """Convert one file; a problem is returned in ``error``, not raised, so workers can report it."""
        try:
            data = self._sources.pop(source_path, None)
            if data is None:
                data = Path(source_path).read_bytes()
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            return Converted(error=f"could not be read: {error}", error_line=1)
        lines = header_line_numbers(text)
        try:
            markdown = self._markdown()
            html = markdown.convert(text)
            meta = {name.lower(): value for name, value in getattr(markdown, "Meta", {}).items()}
            formatted = {
                name: self._field_markdown().convert("\n".join(value))
                for name, value in meta.items()
                if name in self.settings["FORMATTED_FIELDS"]
            }
        except Exception as error:
            return Converted(lines=lines, error=str(error), error_line=getattr(error, "lineno", None))
        return Converted(html=html, meta=meta, formatted=formatted, lines=lines)

    def prefetch(self, source_paths: list[str]) -> None:
        """Start converting ``source_paths`` on every core; ``read`` takes each result as it is ready.

        Pelican then checks the front matter of the first files while workers
        are still converting the later ones. A file whose bytes were converted
        by the last build (``BUILD_CACHE_PATH``) is not converted again.
        """
        self.finish_prefetch(save=False)
        self._cache = BuildCache(self.settings, "markdown")
        stored = self._stored = self._cache.load()
        to_convert = []
        for path in source_paths:
            try:
                data = Path(path).read_bytes()
            except OSError:  # convert() reports it
                data, key = None, ""
            else:
                key = self._keys[path] = content_key(data)
            if key in stored:
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

    def _parse_converted(self, source_path: str, converted: Converted) -> dict[str, Any]:
        """Pelican's metadata processing (``MarkdownReader._parse_metadata``) over converted data."""
        output: dict[str, Any] = {}
        for name, value in converted.meta.items():
            if name in converted.formatted:
                output[name] = self.process_metadata(name, converted.formatted[name])
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                if len(value) > 1:
                    logger.warning("Duplicate definition of `%s` for %s. Using first one.", name, source_path)
                output[name] = self.process_metadata(name, value[0])
            elif len(value) > 1:
                output[name] = self.process_metadata(name, value)
            else:
                output[name] = self.process_metadata(name, value[0])
        return output

    def process_metadata(self, name: str, value: Any) -> Any:
        try:
            if name == "featured":
                return parse_flag(name, value)
            if name in {"date", "modified"} and isinstance(value, str):
                written = plain_date(value)
                if written is not None:
                    return written
            return super().process_metadata(name, value)
        except FrontMatterError:
            raise
        except ValueError as error:
            hint = " write it as YYYY-MM-DD HH:MM" if name in {"date", "modified"} else ""
            message = f'{name.title()}: "{value}" could not be read ({error});{hint}'.rstrip(";")
            raise FrontMatterError(message) from error

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        self._source_path = source_path
        converted = self._converted(source_path)
        lines = converted.lines
        try:
            if converted.error is not None:
                raise FrontMatterError(converted.error, converted.error_line)
            metadata = self._parse_converted(source_path, converted)
            content = converted.html
            self._check(source_path, metadata, lines)
        except Exception as error:
            lineno = getattr(error, "lineno", None)
            if isinstance(error, FrontMatterError) and lineno is None:
                field = str(error).split(":", 1)[0].lower()
                lineno = lines.get(field, 1)
            location = f"{source_path}:{lineno}" if lineno else source_path
            logger.error("%s: %s", location, error)
            raise
        return content, metadata

    def _check(self, source_path: str, metadata: dict[str, Any], lines: dict[str, int]) -> None:
        if not str(metadata.get("title", "")).strip():
            raise FrontMatterError(
                'missing "Title:" line; front matter is "Key: value" lines from line 1, '
                "ended by a blank line",
                lineno=1,
            )
        if self._is_article(source_path):
            for key in self.settings["FRONT_MATTER_ARTICLE_REQUIRED"]:
                if key not in metadata and not (key == "authors" and "author" in metadata):
                    raise FrontMatterError(f'missing "{key.title()}:" line in the front matter', lineno=1)
        self._check_known_fields(source_path, lines)
        self._check_section(metadata)
        self._check_dates(metadata)
        metadata["featured"] = metadata.get("featured", False)
        if "image" in metadata:
            self._check_image(metadata)

    def _is_article(self, source_path: str) -> bool:
        # Pelican hands the reader the content folder joined with the file's path in it.
        relative = Path(os.path.relpath(os.path.abspath(source_path), os.path.abspath(self.settings["PATH"])))
        return any(relative.is_relative_to(folder) for folder in self.settings["ARTICLE_PATHS"])

    def _check_known_fields(self, source_path: str, lines: dict[str, int]) -> None:
        known = KNOWN_FIELDS | {field.lower() for field in self.settings["FRONT_MATTER_EXTRA_FIELDS"]}
        for key, number in lines.items():
            if key not in known:
                logger.warning(
                    '%s:%d: unknown front-matter key "%s"; check the spelling '
                    "or add it to FRONT_MATTER_EXTRA_FIELDS",
                    source_path,
                    number,
                    key,
                )

    def _check_section(self, metadata: dict[str, Any]) -> None:
        sections = self.settings.get("SECTIONS") or []
        category = metadata.get("category")
        if sections and category is not None and str(category) not in sections:
            raise FrontMatterError(
                f'Category: "{category}" is not a section; use one of {", ".join(sections)}'
            )

    def _check_dates(self, metadata: dict[str, Any]) -> None:
        date, modified = metadata.get("date"), metadata.get("modified")
        if date is not None and modified is not None and modified < date:
            raise FrontMatterError(f"Modified: {modified:%Y-%m-%d %H:%M} is before the Date")

    def _check_image(self, metadata: dict[str, Any]) -> None:
        relative = str(metadata["image"]).strip().lstrip("/")
        path = Path(self.settings["PATH"]) / relative
        if not path.is_file():
            raise FrontMatterError(f'Image: "{relative}" is not a file under {self.settings["PATH"]}{os.sep}')
        if not str(metadata.get("image_alt", "")).strip():
            raise FrontMatterError('Image: add an "Image_alt:" line describing the image for readers who cannot see it')
        metadata["image"] = relative
        metadata["image_width"], metadata["image_height"] = image_size(path)
