"""Responsive images: which smaller copies of an image a page offers, and making them.

``plan_picture`` is a pure function of the file's bytes, its pixel size and
the settings: the Markdown conversion (body images) and the templates (hero,
lead and Keep Reading images) call it to write ``srcset``, and the build
calls it again to know which files to make, so the two always agree. A copy's
file name carries a digest of the original's bytes and of the encoding
settings, so a changed image gets new names and no browser keeps a stale copy.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PIL import Image
from plugin_support.files import replace_atomically

# Originals shown as they are: vector art stays sharp at any width, and a GIF may be animated.
KEPT_AS_IS = frozenset({".svg", ".gif"})
FALLBACK_FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif"}
MIME_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
# The widest fallback an <img src> names, for browsers that read no srcset.
SRC_WIDTH = 1200


@dataclass(frozen=True)
class Variant:
    """One derived copy: its path in the site, pixel size and format."""

    path: str
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class Picture:
    """An image as a page offers it: ``src`` with its size, and the derived copies by format (fallback last)."""

    src: str
    width: int
    height: int
    sources: tuple[tuple[str, tuple[Variant, ...]], ...] = ()
    origin: str = ""

    @property
    def responsive(self) -> bool:
        return bool(self.sources)

    def variants(self) -> list[Variant]:
        return [variant for _, variants in self.sources for variant in variants]

    def srcsets(self, base: str) -> list[tuple[str, str]]:
        """``(mime type, srcset)`` per format, modern formats first, URLs under ``base``."""
        prefix = f"{base.rstrip('/')}/" if base else "/"
        return [
            (MIME_TYPES[name], ", ".join(f"{prefix}{variant.path} {variant.width}w" for variant in variants))
            for name, variants in self.sources
        ]

    def at_most(self, width: int) -> Picture:
        """The picture offering only copies up to ``width`` pixels wide (thumbnails); ``src`` the widest of them."""
        if not self.sources:
            return self
        sources = tuple(
            (name, tuple(variant for variant in variants if variant.width <= width) or variants[:1])
            for name, variants in self.sources
        )
        fallback = sources[-1][1][-1]
        return replace(self, src=fallback.path, width=fallback.width, height=fallback.height, sources=sources)


def file_digest(path: Path, *extra: object) -> str:
    """A short digest of the file's bytes and of ``extra`` (the encoding settings)."""
    return _digest(str(path), *_signature(path), tuple(map(str, extra)))


@functools.lru_cache(maxsize=4096)
def _digest(path: str, size: int, mtime: int, extra: tuple[str, ...]) -> str:
    digest = hashlib.sha256(Path(path).read_bytes())
    digest.update("\0".join(extra).encode())
    return digest.hexdigest()[:12]


def _signature(path: Path) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns


def widths_for(width: int, settings: dict[str, Any]) -> list[int]:
    """The widths to offer an image ``width`` pixels wide: the configured ones it is not narrower than, never larger."""
    wanted = sorted(settings["IMAGES_WIDTHS"])
    kept = [candidate for candidate in wanted if candidate < width]
    if width <= wanted[-1] or not kept:
        kept.append(width)  # the original width, re-encoded, rather than an enlargement
    return kept


def plan_picture(path: Path, site_path: str, size: tuple[int, int], settings: dict[str, Any]) -> Picture:
    """The picture a page offers for the image at ``path`` (``site_path`` in the site), ``size`` pixels."""
    width, height = size
    suffix = path.suffix.lower()
    plain = Picture(site_path, width, height, origin=site_path)
    if not settings.get("IMAGES_DERIVE") or suffix in KEPT_AS_IS or suffix not in FALLBACK_FORMATS:
        return plain
    fallback = FALLBACK_FORMATS[suffix]
    formats = [name for name in settings["IMAGES_FORMATS"] if name != fallback] + [fallback]
    digest = file_digest(path, settings["IMAGES_QUALITY"])
    stem = path.stem[:60]
    folder = settings["IMAGES_OUTPUT_DIR"].strip("/")
    sources = []
    for name in formats:
        variants = tuple(
            Variant(f"{folder}/{stem}-{digest}-{w}.{EXTENSIONS[name]}", w, max(1, round(height * w / width)), name)
            for w in widths_for(width, settings)
        )
        sources.append((name, variants))
    fallback_variants = sources[-1][1]
    src = [variant for variant in fallback_variants if variant.width <= SRC_WIDTH] or list(fallback_variants[:1])
    return Picture(src[-1].path, src[-1].width, src[-1].height, tuple(sources), origin=site_path)


def write_variant(source: Path, variant: Variant, target: Path, quality: int) -> None:
    """Scale ``source`` to ``variant``'s size and save it at ``target`` in ``variant``'s format."""
    with Image.open(source) as original:
        original.load()
        keeps_alpha = variant.format != "jpeg" and (
            original.mode in ("RGBA", "LA", "PA") or "transparency" in original.info
        )
        picture = original.convert("RGBA" if keeps_alpha else "RGB")
    if picture.size != (variant.width, variant.height):
        picture = picture.resize((variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    save_image(picture, target, variant.format, quality)


def save_image(picture: Image.Image, target: Path, format_name: str, quality: int, full_colour: bool = False) -> None:
    """Save ``picture`` at ``target`` atomically (a half-written file never has the final name).

    ``full_colour`` keeps a JPEG's colour at full resolution (no chroma subsampling), for type and flat
    colour, and leaves out the optimised, progressive encoding, which takes five times as long for a
    tenth fewer bytes on a card of type.
    """
    options: dict[str, Any] = {}
    if format_name == "jpeg":
        options = {"quality": quality, "optimize": True, "progressive": True}
        if full_colour:
            options = {"quality": quality, "subsampling": 0}
    elif format_name in ("webp", "avif"):
        options = {"quality": quality, "method": 4} if format_name == "webp" else {"quality": quality}
    elif format_name == "png":
        options = {"compress_level": 6}
    replace_atomically(target, lambda partial: picture.save(partial, format=format_name.upper(), **options))
