"""Text rules that more than one plugin follows, each written once.

* emoji: ``is_emoji`` tells the characters that make up an emoji (symbols,
  skin tones, joiners, variation selectors) from text;
* heading ids: ``slugify_heading`` makes an id from a heading's words, emoji
  and punctuation left out ("🎯 A Trade-Off That Wasn't" →
  ``a-trade-off-that-wasnt``), and ``unique_id`` keeps ids unique on a page.
  article_markup's heading anchors and takeaways' box headings both use them,
  so a box heading gets the id any heading with its words would get.
"""

from __future__ import annotations

import unicodedata

# The variation selectors, the zero-width joiner and the keycap mark that glue multi-part emoji.
EMOJI_GLUE = frozenset({"\ufe0f", "\ufe0e", "\u200d", "\u20e3"})


def is_emoji(char: str) -> bool:
    """Whether ``char`` is part of an emoji rather than of the words around it."""
    return char in EMOJI_GLUE or unicodedata.category(char) in {"So", "Sk"} or 0x1F3FB <= ord(char) <= 0x1F3FF


def slugify_heading(text: str) -> str:
    """A readable ASCII-friendly id: words kept, emoji and punctuation dropped."""
    kept = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char) or is_emoji(char):
            continue
        if char in "'’":
            continue  # "Wasn't" → "wasnt", not "wasn-t"
        kept.append(char.lower() if char.isalnum() else " ")
    return "-".join("".join(kept).split())


def unique_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever ``used`` does not hold yet; it is added to ``used``."""
    candidate, counter = base, 1
    while candidate in used:
        counter += 1
        candidate = f"{base}-{counter}"
    used.add(candidate)
    return candidate
