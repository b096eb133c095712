"""Key Takeaways boxes in articles, done inside Markdown conversion.

Registers a Python-Markdown extension (``TakeawaysExtension``) that renders
each box as ``<aside class="key-takeaways" aria-labelledby="…">`` holding a
heading (with that id) and a ``<ul>`` of the takeaways: plain HTML that reads
well without the stylesheet, in feed readers and in email.

Two ways to write one:

* a fenced block, with an optional quoted title::

      ::: takeaways "What it means"
      - First point, with *inline* Markdown
      - Second point
      :::

* a heading whose words are one of ``TAKEAWAYS_HEADING_ALIASES`` (emoji,
  punctuation, a trailing colon and case ignored: "## 🔑 Key Takeaways",
  "## TL;DR:") directly followed by a bullet list. The heading keeps the
  author's text and emoji.

An empty block, a block without list items, a block never closed, a stray
``:::`` and a block nested in another stop the build with ``path:line: what is
wrong``. Other content inside a block is kept in the box, after the list.

The items, in document order across all boxes, reach templates as
``article.takeaways``: a list of objects with ``.html`` (the item's inline
HTML, intrasite links resolved for the page being written) and ``.text``
(plain text). The attribute is absent when an article has no box.

Settings (defaults in ``DEFAULTS``):

``TAKEAWAYS_TITLE``
    Title of a fenced box written without one. Default ``"Key Takeaways"``.
``TAKEAWAYS_HEADING_ALIASES``
    Heading texts promoted to a box. Default ``["Key Takeaways", "Takeaways",
    "Key points", "TL;DR"]``.
``TAKEAWAYS_AUTODETECT``
    Promote alias headings followed by a bullet list. Default ``True``.
``TAKEAWAYS_PLACEMENT``
    ``"as-authored"`` leaves boxes where they were written; ``"top"`` and
    ``"bottom"`` move them to the start or end of the article body.
    Default ``"as-authored"``.

Box heading ids are made from the title's words and kept unique on the page;
they also avoid the theme's ids in ``ARTICLE_MARKUP_RESERVED_IDS`` when that
setting exists.
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from plugin_support.settings import use_markdown_extension

from .extension import DEFAULTS, Takeaway, TakeawaysError, TakeawaysExtension, validate_settings

__all__ = ["DEFAULTS", "LinkedTakeaway", "TakeawaysError", "TakeawaysExtension", "register"]


class LinkedTakeaway:
    """A takeaway bound to its article, so links resolve like the article's own content.

    Pelican rewrites ``{filename}`` links and relative URLs in ``content`` when a
    page is written; an item's HTML travels as metadata, so it gets the same
    treatment here, at the moment a template reads it.
    """

    def __init__(self, item: Takeaway, content: Any) -> None:
        self._item = item
        self._content = content

    @property
    def text(self) -> str:
        return self._item.text

    @property
    def html(self) -> str:
        return self._content._update_content(self._item.html, self._content.get_siteurl())

    def __repr__(self) -> str:
        return f"LinkedTakeaway({self._item.text!r})"


def _add_extension(pelican) -> None:
    settings = pelican.settings
    validate_settings(settings)
    use_markdown_extension(
        settings,
        TakeawaysExtension,
        TakeawaysExtension(
            title=settings["TAKEAWAYS_TITLE"],
            aliases=list(settings["TAKEAWAYS_HEADING_ALIASES"]),
            autodetect=settings["TAKEAWAYS_AUTODETECT"],
            placement=settings["TAKEAWAYS_PLACEMENT"],
            reserved_ids=list(settings.get("ARTICLE_MARKUP_RESERVED_IDS") or []),
        ),
    )


def _link_items(content) -> None:
    items = getattr(content, "takeaways", None)
    if not isinstance(items, list) or not all(isinstance(item, Takeaway) for item in items):
        return
    linked = [LinkedTakeaway(item, content) for item in items]
    content.takeaways = linked
    content.metadata["takeaways"] = linked


def register() -> None:
    signals.initialized.connect(_add_extension)
    signals.content_object_init.connect(_link_items)
