"""The newsletter edition's settings, checked before any edition is made, each message naming its setting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plugin_support.settings import fill_defaults
from subscribe.providers import UNSUBSCRIBE_TAGS

DEFAULTS: dict[str, Any] = {
    "EMAIL_ADDRESS_LINE": None,
    "EMAIL_UNSUBSCRIBE_URL": None,
    "EMAIL_MAX_BYTES": 102_000,
}


class EditionError(ValueError):
    """A setting or an article that no edition can be made from, said in one line."""


@dataclass(frozen=True)
class EditionSettings:
    """What every edition of one run shares."""

    siteurl: str
    sitename: str
    address: str
    unsubscribe: str
    max_bytes: int


def read_settings(settings: dict[str, Any]) -> EditionSettings:
    """Fill in the defaults and check every setting the edition reads; ``EditionError`` names the one that is wrong."""
    fill_defaults(settings, DEFAULTS)
    siteurl = str(settings.get("SITEURL") or "")
    if not siteurl.startswith(("https://", "http://")):
        raise EditionError(
            "SITEURL must be the site's public address (set it in the environment, as for invoke publish), "
            f"got {siteurl!r}"
        )
    address = settings["EMAIL_ADDRESS_LINE"]
    if not isinstance(address, str) or not address.strip():
        raise EditionError(f"EMAIL_ADDRESS_LINE must be the publication's postal address, got {address!r}")
    max_bytes = settings["EMAIL_MAX_BYTES"]
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise EditionError(f"EMAIL_MAX_BYTES must be a positive number of bytes, got {max_bytes!r}")
    return EditionSettings(
        siteurl=siteurl.rstrip("/"),
        sitename=str(settings.get("SITENAME") or ""),
        address=" ".join(address.split()),
        unsubscribe=unsubscribe_link(settings),
        max_bytes=max_bytes,
    )


def unsubscribe_link(settings: Mapping[str, Any]) -> str:
    """``EMAIL_UNSUBSCRIBE_URL``, else the configured provider's unsubscribe merge tag."""
    explicit = settings.get("EMAIL_UNSUBSCRIBE_URL")
    provider = str(settings.get("SUBSCRIBE_PROVIDER") or "").lower()
    if explicit is None:
        if provider in UNSUBSCRIBE_TAGS:
            return UNSUBSCRIBE_TAGS[provider]
        raise EditionError(
            f"EMAIL_UNSUBSCRIBE_URL is required with SUBSCRIBE_PROVIDER {settings.get('SUBSCRIBE_PROVIDER')!r}: "
            "give the unsubscribe merge tag of the service that sends the newsletter"
        )
    if not isinstance(explicit, str) or not explicit.strip() or any(char in explicit for char in '"<>\n'):
        raise EditionError(
            f"EMAIL_UNSUBSCRIBE_URL must be the sending service's unsubscribe merge tag or URL, got {explicit!r}"
        )
    return explicit.strip()
