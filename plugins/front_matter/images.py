"""Pixel sizes of the images articles use, read from the files themselves."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree


class ImageError(ValueError):
    """The file is not an image this site can measure."""


def _length(value: str) -> int:
    return round(float(value.strip().removesuffix("px")))


def image_size(path: Path) -> tuple[int, int]:
    """Pixel width and height of an SVG (from its attributes or viewBox) or a raster image."""
    if path.suffix.lower() == ".svg":
        try:
            root = ElementTree.parse(path).getroot()
            width, height = root.get("width"), root.get("height")
            if width and height:
                return _length(width), _length(height)
            view_box = (root.get("viewBox") or "").replace(",", " ").split()
            if len(view_box) == 4:
                return _length(view_box[2]), _length(view_box[3])
        except (ElementTree.ParseError, ValueError, OSError) as error:
            raise ImageError(f"{path.name} is not a readable SVG ({error})") from error
        raise ImageError(f"{path.name} has neither width/height nor a viewBox")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            return picture.size
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ImageError(f"{path.name} is not a readable image ({error})") from error
