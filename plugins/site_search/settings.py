"""The search settings: their defaults, their checks, and the no-JavaScript form they describe."""

from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from plugin_support.settings import fill_defaults

from .installed import Pagefind, find_pagefind, platform_package

DEFAULTS: dict[str, Any] = {
    "SEARCH_INDEX": False,
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",
    "SEARCH_FALLBACK_URL": None,
    "SEARCH_INDEX_PARTS": None,
    "SEARCH_INDEX_AT_ONCE": None,
    "SEARCH_NODE_MODULES": "node_modules",
}
MAX_PARTS = 16
# A Pagefind 1.6 process holds about a quarter of a megabyte per article page it indexes
# (255 MB for 1,000 pages, 1.26 GB for 5,000): some 320 MB for a part of 1,250.
ARTICLES_PER_PART = 1250

# Where Pagefind writes its bundle, under the site; the search page's script loads it from here.
BUNDLE_FOLDER = "pagefind"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
PLACEHOLDERS = ("{host}", "{site}")


class SearchSettingError(ValueError):
    """A search setting that cannot work, named in the message."""


@dataclass(frozen=True)
class FallbackForm:
    """Where the search form sends ``q`` when the page's script does not run."""

    action: str
    query_field: str
    hidden: tuple[tuple[str, str], ...]

    def as_context(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "query_field": self.query_field,
            "hidden": [list(pair) for pair in self.hidden],
            "engine": urlsplit(self.action).hostname,
        }


def installed_pagefind(settings: Mapping[str, Any]) -> Pagefind:
    """The Pagefind that indexes this build's site (``SEARCH_NODE_MODULES``); raises when npm has not installed it."""
    node_modules = Path(settings["SEARCH_NODE_MODULES"]).resolve()
    found = find_pagefind(node_modules)
    if found is None:
        raise SearchSettingError(
            f"SEARCH_INDEX is on but Pagefind is not installed in {node_modules} (no @pagefind/{platform_package()} "
            "there): run npm ci, or invoke bootstrap, which installs the pagefind that package.json pins"
        )
    return found


def validate_settings(settings: MutableMapping[str, Any]) -> None:
    """Fill in the defaults and reject values that cannot work, naming the setting."""
    fill_defaults(settings, DEFAULTS)
    if not isinstance(settings["SEARCH_INDEX"], bool):
        raise SearchSettingError(f"SEARCH_INDEX must be True or False, got {settings['SEARCH_INDEX']!r}")
    for key in ("SEARCH_URL", "SEARCH_SAVE_AS"):
        value = settings[key]
        if not isinstance(value, str) or not value or value.startswith("/"):
            raise SearchSettingError(f"{key} must be a path in the site without a leading /, got {value!r}")
    parts = settings["SEARCH_INDEX_PARTS"]
    if parts is not None and (isinstance(parts, bool) or not isinstance(parts, int) or not 1 <= parts <= MAX_PARTS):
        raise SearchSettingError(
            f"SEARCH_INDEX_PARTS must be None or a whole number from 1 to {MAX_PARTS}, got {parts!r}"
        )
    at_once = settings["SEARCH_INDEX_AT_ONCE"]
    if at_once is not None and (isinstance(at_once, bool) or not isinstance(at_once, int) or at_once < 1):
        raise SearchSettingError(f"SEARCH_INDEX_AT_ONCE must be None or a whole number, 1 or more, got {at_once!r}")
    if not settings["SEARCH_SAVE_AS"].endswith(".html"):
        raise SearchSettingError(f"SEARCH_SAVE_AS must name an .html file, got {settings['SEARCH_SAVE_AS']!r}")
    if not isinstance(settings["SEARCH_NODE_MODULES"], str) or not settings["SEARCH_NODE_MODULES"]:
        raise SearchSettingError(f"SEARCH_NODE_MODULES must be a folder, got {settings['SEARCH_NODE_MODULES']!r}")
    if settings["SEARCH_INDEX"]:
        installed_pagefind(settings)
    fallback_form(settings)  # raises on a malformed SEARCH_FALLBACK_URL


def index_parts(settings: Mapping[str, Any], articles: int) -> int:
    """How many parts the index of ``articles`` articles is written in.

    ``SEARCH_INDEX_PARTS`` when set; else one part per ``ARTICLES_PER_PART``
    articles, at least two (two cores index a small site in half the time) and
    at most ``MAX_PARTS``. It depends on the content only, never on the
    machine, so every machine writes the same index.
    """
    parts = settings["SEARCH_INDEX_PARTS"]
    if parts is not None:
        return parts
    return min(MAX_PARTS, max(2, math.ceil(articles / ARTICLES_PER_PART)))


def fallback_form(settings: Mapping[str, Any]) -> FallbackForm | None:
    """The form for readers without JavaScript, from ``SEARCH_FALLBACK_URL`` and ``SITEURL``.

    The URL is the search engine's address with the site filled in for
    ``{host}`` (``example.org``) or ``{site}`` (``example.org/atlas-news``),
    ending in the parameter that takes the query, left empty:
    ``https://duckduckgo.com/?sites={host}&q=``. The other parameters become
    hidden fields. ``None`` when the setting is unset, or when it needs the
    site's host and ``SITEURL`` has none (development builds with relative URLs).
    """
    template = settings.get("SEARCH_FALLBACK_URL")
    if template is None:
        return None
    if not isinstance(template, str) or not template.strip():
        raise SearchSettingError(f"SEARCH_FALLBACK_URL must be None or a URL, got {template!r}")
    parts = urlsplit(template.strip())
    local = parts.hostname in LOCAL_HOSTS
    if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        raise SearchSettingError(
            "SEARCH_FALLBACK_URL must be an https:// address (http:// only for 127.0.0.1 or localhost), "
            f"got {template!r}"
        )
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    empty = [name for name, value in pairs if value == ""]
    if len(empty) != 1 or pairs[-1][1] != "":
        raise SearchSettingError(
            "SEARCH_FALLBACK_URL must end with the parameter that takes the query, left empty "
            f"(e.g. https://duckduckgo.com/?sites={{host}}&q=), got {template!r}"
        )
    site = urlsplit(str(settings.get("SITEURL") or ""))
    if not site.hostname and any(placeholder in template for placeholder in PLACEHOLDERS):
        return None
    filled = {"{host}": site.netloc, "{site}": (site.netloc + site.path).rstrip("/")}

    def fill(value: str) -> str:
        for placeholder, text in filled.items():
            value = value.replace(placeholder, text)
        return value

    hidden = tuple((name, fill(value)) for name, value in pairs[:-1])
    action = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
    return FallbackForm(action=action, query_field=empty[0], hidden=hidden)
