"""Every article and page a build has read, wherever Pelican's generators keep them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# The generator attributes that hold articles and pages: published, translated, hidden and draft.
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def every_content(generators: list[Any], static: bool = False) -> Iterator[Any]:
    """Each article and page of every generator (and, with ``static``, each static file), once read."""
    names = (*CONTENT_LISTS, "staticfiles") if static else CONTENT_LISTS
    for generator in generators:
        for name in names:
            yield from getattr(generator, name, None) or ()
