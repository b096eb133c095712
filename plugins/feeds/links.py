"""Absolute links for HTML that leaves the site (feed readers have no page to resolve against)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

# A quoted href/src attribute value, as Python-Markdown and Pelican write them.
_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def absolute_links(html: str, base_url: str) -> str:
    """Resolve every quoted ``href``/``src`` value in ``html`` against ``base_url``."""

    def resolve(match: re.Match[str]) -> str:
        prefix, quote, value = match.groups()
        return f"{prefix}{quote}{urljoin(base_url, value.strip())}{quote}"

    return _URL_ATTRIBUTE.sub(resolve, html)
