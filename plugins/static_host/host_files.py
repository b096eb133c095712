"""Checking the host settings and writing the files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from plugin_support.settings import fill_defaults

DEFAULTS: dict[str, Any] = {"STATIC_HOST_NOJEKYLL": True, "CNAME": None}
HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def validate_settings(settings: dict[str, Any]) -> None:
    """CNAME must be a bare host name: no scheme, path or port."""
    fill_defaults(settings, DEFAULTS)
    cname = settings["CNAME"]
    if cname is not None and (not isinstance(cname, str) or not HOST_NAME.match(cname.lower())):
        raise ValueError(f"CNAME must be a bare host name such as news.example.org, got {cname!r}")


def write_host_files(settings: dict[str, Any]) -> None:
    output = Path(settings["OUTPUT_PATH"])
    if settings["STATIC_HOST_NOJEKYLL"]:
        (output / ".nojekyll").write_text("", encoding="utf-8")
    if settings["CNAME"]:
        (output / "CNAME").write_text(settings["CNAME"].lower() + "\n", encoding="utf-8")
