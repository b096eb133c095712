"""Working out the page's Content-Security-Policy from the site's settings."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from plugin_support.settings import fill_defaults

DEFAULTS: dict[str, Any] = {"CONTENT_SECURITY_POLICY": None, "CONTENT_SECURITY_SCRIPT_HASHES": []}
HASH = re.compile(r"sha(256|384|512)-[A-Za-z0-9+/]+={0,2}")


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in the defaults; values of the wrong shape are rejected at start-up."""
    fill_defaults(settings, DEFAULTS)
    value = settings["CONTENT_SECURITY_POLICY"]
    if value is not None and not isinstance(value, str):
        raise ValueError(f"CONTENT_SECURITY_POLICY must be None (the site's own policy) or a string, got {value!r}")
    hashes = settings["CONTENT_SECURITY_SCRIPT_HASHES"]
    if not isinstance(hashes, list | tuple) or not all(isinstance(h, str) and HASH.fullmatch(h) for h in hashes):
        raise ValueError(f'CONTENT_SECURITY_SCRIPT_HASHES must be a list of "sha256-<base64>" hashes, got {hashes!r}')


def script_hash(script: str) -> str:
    """The CSP hash source (``sha256-…``) that allows one inline script with exactly this text."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def origin(url: str) -> str | None:
    """``https://host[:port]`` of an absolute URL, or ``None``."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def policy_for(settings: Mapping[str, Any], webassembly: bool = False) -> str:
    """The policy for a site with these settings (``SUBSCRIBE_FORM``, ``SEARCH_FORM``, ``CONTENT_EMBED_HOSTS``).

    ``webassembly`` adds ``'wasm-unsafe-eval'``, which lets the page's own
    scripts compile WebAssembly (the search engine) and nothing more: no ``eval``.
    """
    form_targets = ["'self'"]
    for form in (settings.get("SUBSCRIBE_FORM"), settings.get("SEARCH_FORM")):
        target = origin((form or {}).get("action", ""))
        if target and target not in form_targets:
            form_targets.append(target)
    embeds = [f"https://{host}" for host in sorted(settings.get("CONTENT_EMBED_HOSTS") or [])] or ["'none'"]
    directives = {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            *(["'wasm-unsafe-eval'"] if webassembly else []),
            *(f"'{digest}'" for digest in settings.get("CONTENT_SECURITY_SCRIPT_HASHES") or []),
        ],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": embeds,
        "object-src": embeds,
        "base-uri": ["'self'"],
        "form-action": form_targets,
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
