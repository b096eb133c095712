"""The plugin's settings: defaults, start-up validation, and the font files they name."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from typing import Any

from PIL import features
from plugin_support.settings import fill_defaults

DEFAULTS: dict[str, Any] = {
    "IMAGES_DERIVE": False,
    "IMAGES_CACHE_PATH": None,
    "IMAGES_OUTPUT_DIR": "images/derived",
    "IMAGES_WIDTHS": [480, 800, 1200, 1600],
    "IMAGES_FORMATS": ["webp"],
    "IMAGES_QUALITY": 80,
    "IMAGES_THUMB_WIDTH": 480,
    "IMAGES_HERO_SIZES": "(min-width: 72rem) 68rem, calc(100vw - 2rem)",
    "IMAGES_BODY_SIZES": "(min-width: 44rem) 40rem, calc(100vw - 2rem)",
    "IMAGES_THUMB_SIZES": "(max-width: 30rem) 5rem, 7.5rem",
    "SHARE_CARD_DIR": "images/cards",
    "SHARE_CARD_QUALITY": 85,
    "SHARE_CARD_MARGIN": 72,
    "SHARE_CARD_COLOURS": {
        "background": "#fbfaf7",
        "ink": "#1b1b1f",
        "muted": "#54555c",
        "accent": "#9b1c1c",
        "rule": "#d9d6cf",
    },
    "SHARE_CARD_FONTS": {
        "headline": "font_source_serif_pro:SourceSerifPro-Bold.ttf",
        "kicker": "font_source_sans_pro:SourceSansPro-Bold.ttf",
        "site": "font_source_serif_pro:SourceSerifPro-Bold.ttf",
    },
}

# Formats a derived image may be written in besides the original's, with the Pillow feature each needs.
MODERN_FORMATS = {"webp": "webp", "avif": "avif"}
COLOUR_NAMES = ("background", "ink", "muted", "accent", "rule")
FONT_ROLES = ("headline", "kicker", "site")
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def font_path(spec: str) -> Path:
    """The file a font setting names: ``package:file`` (a file shipped by an installed package) or a path."""
    package, sep, name = spec.partition(":")
    if sep and "/" not in package and os.sep not in package:
        found = importlib.util.find_spec(package)
        if found is None or not found.submodule_search_locations:
            raise ValueError(f'SHARE_CARD_FONTS: the font package "{package}" is not installed')
        folder = Path(next(iter(found.submodule_search_locations)))
        candidates = [folder / name, folder / "files" / name]
        path = next((candidate for candidate in candidates if candidate.is_file()), None)
        if path is None:
            raise ValueError(f'SHARE_CARD_FONTS: the package "{package}" has no font file "{name}"')
        return path
    path = Path(spec)
    if not path.is_file():
        raise ValueError(f'SHARE_CARD_FONTS: "{spec}" is not a font file')
    return path


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in the defaults and stop the build at start-up, naming the setting, on a value of the wrong shape."""
    fill_defaults(settings, DEFAULTS)
    if not isinstance(settings["IMAGES_DERIVE"], bool):
        raise ValueError(f"IMAGES_DERIVE must be True or False, got {settings['IMAGES_DERIVE']!r}")
    cache = settings["IMAGES_CACHE_PATH"]
    if cache is not None and not isinstance(cache, str | os.PathLike):
        raise ValueError(f"IMAGES_CACHE_PATH must be a folder path or None, got {cache!r}")
    for key in ("IMAGES_OUTPUT_DIR", "SHARE_CARD_DIR"):
        value = settings[key]
        if not isinstance(value, str) or not value.strip("/") or value.startswith("/") or ".." in value.split("/"):
            raise ValueError(f"{key} must be a folder path inside the site, such as {DEFAULTS[key]!r}, got {value!r}")
    widths = settings["IMAGES_WIDTHS"]
    if (
        not isinstance(widths, list | tuple)
        or not widths
        or not all(_whole(width, 16, 8192) for width in widths)
        or len(set(widths)) != len(widths)
    ):
        raise ValueError(f"IMAGES_WIDTHS must be a list of different pixel widths (16 to 8192), got {widths!r}")
    formats = settings["IMAGES_FORMATS"]
    if not isinstance(formats, list | tuple) or not all(name in MODERN_FORMATS for name in formats):
        raise ValueError(f"IMAGES_FORMATS must be a list of {', '.join(map(repr, MODERN_FORMATS))}, got {formats!r}")
    for name in formats:
        if not features.check(MODERN_FORMATS[name]):
            raise ValueError(f"IMAGES_FORMATS: this Pillow cannot write {name}; remove it from the list")
    for key in ("IMAGES_QUALITY", "SHARE_CARD_QUALITY"):
        if not _whole(settings[key], 1, 100):
            raise ValueError(f"{key} must be a whole number from 1 to 100, got {settings[key]!r}")
    if not _whole(settings["IMAGES_THUMB_WIDTH"], 16, 8192):
        raise ValueError(f"IMAGES_THUMB_WIDTH must be a pixel width, got {settings['IMAGES_THUMB_WIDTH']!r}")
    for key in ("IMAGES_HERO_SIZES", "IMAGES_BODY_SIZES", "IMAGES_THUMB_SIZES"):
        if not isinstance(settings[key], str) or not settings[key].strip():
            raise ValueError(f"{key} must be a sizes attribute value such as '100vw', got {settings[key]!r}")
    if not _whole(settings["SHARE_CARD_MARGIN"], 16, 200):
        raise ValueError(
            f"SHARE_CARD_MARGIN must be a number of pixels from 16 to 200, got {settings['SHARE_CARD_MARGIN']!r}"
        )
    colours = settings["SHARE_CARD_COLOURS"]
    if not isinstance(colours, dict) or set(colours) != set(COLOUR_NAMES):
        raise ValueError(f"SHARE_CARD_COLOURS must give exactly {', '.join(COLOUR_NAMES)}, got {colours!r}")
    for name, value in colours.items():
        if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value):
            raise ValueError(f'SHARE_CARD_COLOURS["{name}"] must be a colour written #rrggbb, got {value!r}')
    fonts = settings["SHARE_CARD_FONTS"]
    if not isinstance(fonts, dict) or set(fonts) != set(FONT_ROLES):
        raise ValueError(f"SHARE_CARD_FONTS must give exactly {', '.join(FONT_ROLES)}, got {fonts!r}")
    for spec in fonts.values():
        if not isinstance(spec, str):
            raise ValueError(f"SHARE_CARD_FONTS: each font is a 'package:file' or path string, got {spec!r}")
        font_path(spec)


def derive(settings: dict[str, Any]) -> bool:
    """Whether this build makes share cards and resized images (``IMAGES_DERIVE``)."""
    return bool(settings.get("IMAGES_DERIVE"))
