"""Settings rules every plugin follows: filling in its defaults, adding its Jinja filters and Markdown extension."""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping
from typing import Any


def fill_defaults(settings: MutableMapping[str, Any], defaults: Mapping[str, Any]) -> None:
    """Give every setting the site leaves out its default.

    A list or dict default is copied, so that a plugin changing the value it
    was given (or two builds in one process) never changes the default itself.
    """
    for key, default in defaults.items():
        if key not in settings:
            settings[key] = copy.deepcopy(default)


def add_jinja_filters(settings: MutableMapping[str, Any], **filters: Any) -> None:
    """Add ``filters`` to the build's ``JINJA_FILTERS``, in a new dict (the site's own is left as it was)."""
    settings["JINJA_FILTERS"] = {**(settings.get("JINJA_FILTERS") or {}), **filters}


def use_markdown_extension(settings: MutableMapping[str, Any], kind: type, extension: Any | None) -> None:
    """Make ``extension`` the site's one Markdown extension of ``kind``, after the others (none, for None).

    Builds in one process (livereload, the tests) start from the same
    settings, so the one an earlier build added is replaced, not added again.
    """
    extensions = settings["MARKDOWN"].setdefault("extensions", [])
    extensions[:] = [each for each in extensions if not isinstance(each, kind)]
    if extension is not None:
        extensions.append(extension)
