"""Text rules that more than one plugin follows, each written once.

* emoji: ``is_emoji`` tells the characters that make up an emoji (symbols,
  skin tones, joiners, variation selectors) from text;
* heading ids: ``slugify_heading`` makes an id from a heading's words, emoji
  and punctuation left out ("🎯 A Trade-Off That Wasn't" →
  ``a-trade-off-that-wasnt``), and ``unique_id`` keeps ids unique on a page.
  article_markup's heading anchors and takeaways' box headings both use them,
  so a box heading gets the id any heading with its words would get;
* URL slugs of headlines: ``ascii_slug`` ("Tariffs & Chips: What's Next?" →
  ``tariffs-chips-whats-next``), for ``invoke new`` and ``invoke import``;
* tags: ``normalised_tag`` is the form in which two spellings of one tag
  ("AI chips", "Ai  Chips") are the same;
* HTML to text: ``plain_text`` is an HTML fragment as one line of plain text
  (tags dropped, those that separate words leaving a space, entities decoded,
  whitespace collapsed with ``one_line``), as feeds and meta descriptions show it;
* a Markdown element's words: ``words_of`` reads a heading's text straight from
  the element tree while a conversion runs, when nothing in it is held aside
  or written as an entity, instead of serialising it and stripping the tags again.

Two other tag strippers are different rules on purpose: Python-Markdown's
``markdown.extensions.toc.strip_tags``, which the Markdown extensions use on a
heading's rendered HTML, joins the text either side of any tag; keep_reading's
``strip_tags`` leaves a space for every tag and all whitespace as it was, since
its ranking reads a fixed number of characters of that text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from xml.etree.ElementTree import Element

from markdown.util import ETX, STX

# The variation selectors, the zero-width joiner and the keycap mark that glue multi-part emoji.
EMOJI_GLUE = frozenset({"\ufe0f", "\ufe0e", "\u200d", "\u20e3"})
# Skin tones are the only modifier symbols ("Sk") in emoji; the rest of that category
# is accents and ASCII's ^ and `, which are Markdown syntax.
SKIN_TONES = range(0x1F3FB, 0x1F3FF + 1)


def is_emoji(char: str) -> bool:
    """Whether ``char`` is part of an emoji rather than of the words around it."""
    return char in EMOJI_GLUE or unicodedata.category(char) == "So" or ord(char) in SKIN_TONES


class _HeadingCharacters(dict):
    """What each character becomes in a heading id, worked out the first time it is met.

    A mapping for ``str.translate``: accents, emoji and apostrophes ("Wasn't"
    → "wasnt", not "wasn-t") become nothing, letters and digits their lower
    case, anything else a space between words.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if unicodedata.combining(char) or is_emoji(char) or char in "'’":
            becomes = ""
        else:
            becomes = char.lower() if char.isalnum() else " "
        self[code] = becomes
        return becomes


_HEADING_CHARACTERS = _HeadingCharacters()


def slugify_heading(text: str) -> str:
    """A readable ASCII-friendly id: words kept, emoji and punctuation dropped."""
    return "-".join(unicodedata.normalize("NFKD", text).translate(_HEADING_CHARACTERS).split())


def ascii_slug(title: str) -> str:
    """ASCII slug for a headline: "Tariffs & Chips: What's Next?" → "tariffs-chips-whats-next"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    ascii_title = re.sub(r"['’]", "", ascii_title.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")


def normalised_tag(name: str) -> str:
    """A tag without its case and spacing: two names with one form would share one tag page."""
    return " ".join(name.split()).casefold()


def unique_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever ``used`` does not hold yet; it is added to ``used``."""
    candidate, counter = base, 1
    while candidate in used:
        counter += 1
        candidate = f"{base}-{counter}"
    used.add(candidate)
    return candidate


_TAG = re.compile(r"<[^>]*>")
# Tags that separate words; any other tag (em, a, code…) sits inside a word run.
_BREAKING_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|figure|figcaption|table|tr|td|th|hr|section)\b[^>]*>", re.IGNORECASE
)


def one_line(text: object) -> str:
    """``text`` on one line: each run of whitespace one space, none at either end."""
    return " ".join(str(text).split())


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment on one line: tags dropped, entities decoded."""
    return one_line(html.unescape(_TAG.sub("", _BREAKING_TAG.sub(" ", fragment))))


def words_of(element: Element) -> str | None:
    """The text in ``element`` on one line, as its rendered HTML reads with the tags joined away and entities
    decoded; ``None`` while Markdown holds part of it aside.

    Raw HTML, entities and backslash escapes stand in the tree as placeholders
    between STX and ETX until the postprocessors put them back, and a code
    span holds ``&``, ``<`` and ``>`` as entities, which the serialiser leaves
    and decoding turns back. Without either, the serialiser only escapes ``<``
    and ``>``, which decoding undoes, so the element's own text is what the
    round trip through HTML would give.
    """
    text = "".join(element.itertext())
    if STX in text or ETX in text or "&" in text:
        return None
    return one_line(text)
