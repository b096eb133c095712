"""Newsroom article markup, done inside Markdown conversion.

Registers a Python-Markdown extension (``ArticleMarkupExtension``) with four
small processors, each with one job:

* heading anchors: every heading gets an id made from its words, with emoji
  and punctuation left out ("🎯 A Trade-Off That Wasn't" → ``a-trade-off-that-wasnt``);
  an emoji-only heading gets ``section``; repeats get ``-2``, ``-3``…
* pull quotes: a paragraph that opens with an emoji and a quotation followed
  by "said X" (or "X said"), and a blockquote whose last paragraph starts with
  a dash ("— X"), become ``<figure class="pull-quote">`` with the quote in a
  ``<blockquote>`` and the attribution in a ``<figcaption>``;
* typography: straight quotes become curly ones, apostrophes ’, ``--`` and
  ``---`` en and em dashes, ``...`` an ellipsis, in one pass over the text
  (code and preformatted text are left as written);
* reading time: the article's word count divided by a reading speed, handed
  to Pelican as the ``reading_time`` metadata (whole minutes, at least 1).

Settings (defaults in ``DEFAULTS``):

``ARTICLE_MARKUP_WORDS_PER_MINUTE``
    Reading speed for ``reading_time``. Default ``230``.
``ARTICLE_MARKUP_TYPOGRAPHY``
    Turn the typography processor on or off. Default ``True``.
``ARTICLE_MARKUP_RESERVED_IDS``
    The fixed ids of the theme's article page; a heading never takes one of them.
    Default ``["main", "site-nav", "keep-reading-title", "correction-notice-title"]``.
"""

from __future__ import annotations

from pelican import signals
from plugin_support.settings import use_markdown_extension

from .extension import DEFAULTS, ArticleMarkupExtension, validate_settings

__all__ = ["DEFAULTS", "ArticleMarkupExtension", "register"]


def _add_extension(pelican) -> None:
    settings = pelican.settings
    validate_settings(settings)
    use_markdown_extension(
        settings,
        ArticleMarkupExtension,
        ArticleMarkupExtension(
            words_per_minute=settings["ARTICLE_MARKUP_WORDS_PER_MINUTE"],
            reserved_ids=settings["ARTICLE_MARKUP_RESERVED_IDS"],
            typography=settings["ARTICLE_MARKUP_TYPOGRAPHY"],
        ),
    )


def register() -> None:
    signals.initialized.connect(_add_extension)
