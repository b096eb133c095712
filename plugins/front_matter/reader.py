"""The strict Markdown reader and the checks it runs on front matter."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from pelican.readers import MarkdownReader

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


class StrictMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with front-matter checks and located errors."""

    def process_metadata(self, name: str, value: Any) -> Any:
        try:
            if name == "featured":
                return parse_flag(name, value)
            return super().process_metadata(name, value)
        except FrontMatterError:
            raise
        except ValueError as error:
            hint = " write it as YYYY-MM-DD HH:MM" if name in {"date", "modified"} else ""
            message = f'{name.title()}: "{value}" could not be read ({error});{hint}'.rstrip(";")
            raise FrontMatterError(message) from error

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        text = Path(source_path).read_text(encoding="utf-8-sig")
        lines = header_line_numbers(text)
        try:
            content, metadata = super().read(source_path)
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
        content_root = Path(self.settings["PATH"]).resolve()
        relative = Path(source_path).resolve().relative_to(content_root)
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
