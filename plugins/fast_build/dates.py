"""The ``date_text`` Jinja filter: a date as the site shows it, each one formatted once per build.

``{{ when|date_text }}`` is ``when.strftime(DEFAULT_DATE_FORMAT)`` and
``{{ when|date_text("%B %Y") }}`` is ``when.strftime("%B %Y")``. Pelican's
dates format through ``pelican.utils.strftime`` (for ``%-d`` and the like),
two regular-expression passes and one C ``strftime`` per directive, and a
story's date is shown on its own page and on every card of it: every listing,
tag, section and author page, and the Keep Reading of its neighbours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from plugin_support.settings import add_jinja_filters


def date_text_filter(settings: dict[str, Any]) -> Callable[..., str]:
    """The filter for one build: its ``DEFAULT_DATE_FORMAT``, and what it has formatted so far."""
    default_format = settings["DEFAULT_DATE_FORMAT"]
    formatted: dict[tuple[Any, ...], str] = {}

    def date_text(when: date, date_format: str | None = None) -> str:
        date_format = date_format or default_format
        # Aware datetimes are equal when they are the same instant: the offset and zone name shown must match too.
        zone = (when.utcoffset(), when.tzname()) if isinstance(when, datetime) else ()
        key = (type(when), when, *zone, date_format)
        text = formatted.get(key)
        if text is None:
            text = formatted[key] = when.strftime(date_format)
        return text

    return date_text


def install(settings: dict[str, Any]) -> None:
    """Add ``date_text`` to this build's Jinja filters."""
    add_jinja_filters(settings, date_text=date_text_filter(settings))
