"""The Markdown extension behind the article_markup plugin."""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.toc import render_inner_html, strip_tags
from markdown.inlinepatterns import HTML_RE
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX
from plugin_support.settings import fill_defaults
from plugin_support.text import is_emoji, slugify_heading, unique_id, words_of

DEFAULTS: dict[str, Any] = {
    "ARTICLE_MARKUP_WORDS_PER_MINUTE": 230,
    # The fixed ids of the theme's article page (base.html, keep_reading.html, correction_notice.html).
    "ARTICLE_MARKUP_RESERVED_IDS": ["main", "site-nav", "keep-reading-title", "correction-notice-title"],
    "ARTICLE_MARKUP_TYPOGRAPHY": True,
}

HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
QUOTE_OPEN = '"“«'
QUOTE_CLOSE = '"”»'
SAID_AFTER = re.compile(
    rf"^[{QUOTE_OPEN}](?P<quote>.+?)[{QUOTE_CLOSE}]\s*,?\s*said\s+(?P<who>.+?)\s*$",
    re.DOTALL,
)
SAID_BEFORE = re.compile(
    rf"^[{QUOTE_OPEN}](?P<quote>.+?)[{QUOTE_CLOSE}]\s*,?\s*(?P<who>[^{QUOTE_OPEN}]+?)\s+said\.?\s*$",
    re.DOTALL,
)
STASHED = re.compile(f"{STX}[^{ETX}]*{ETX}")
# Inline HTML as Python-Markdown recognises it: a quotation mark in there belongs to an attribute.
INLINE_HTML = re.compile(HTML_RE, re.DOTALL)
# Typography: a character that may stand right before an opening quote.
OPENING_CONTEXT = r"\s(\[{—–/-"
OPEN_DOUBLE = re.compile(rf'(?<![^{OPENING_CONTEXT}])"')
OPEN_SINGLE = re.compile(rf"(?<![^{OPENING_CONTEXT}])'(?!\d0s)")
APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|'(?=\d0s)")
VERBATIM_TAGS = {"code", "pre", "kbd", "samp", "script", "style", "math"}
ATTRIBUTION_DASH = re.compile(r"^\s*(?:—|―|–|--)\s*(?P<who>\S.*)$", re.DOTALL)


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults and reject values of the wrong type at start-up."""
    fill_defaults(settings, DEFAULTS)
    speed = settings["ARTICLE_MARKUP_WORDS_PER_MINUTE"]
    if not isinstance(speed, int) or speed <= 0:
        raise ValueError(f"ARTICLE_MARKUP_WORDS_PER_MINUTE must be a positive whole number, got {speed!r}")
    typography = settings["ARTICLE_MARKUP_TYPOGRAPHY"]
    if not isinstance(typography, bool):
        raise ValueError(f"ARTICLE_MARKUP_TYPOGRAPHY must be True or False, got {typography!r}")
    reserved = settings["ARTICLE_MARKUP_RESERVED_IDS"]
    if not isinstance(reserved, list) or not all(isinstance(i, str) for i in reserved):
        raise ValueError(f"ARTICLE_MARKUP_RESERVED_IDS must be a list of ids, got {reserved!r}")


def strip_leading_emoji(text: str) -> tuple[str, str]:
    """Split ``text`` into its leading emoji (with spaces) and the rest."""
    index = 0
    while index < len(text) and (is_emoji(text[index]) or (index and text[index].isspace())):
        index += 1
    return text[:index].strip(), text[index:]


class HeadingAnchors(Treeprocessor):
    """Give every heading a unique id made from its words."""

    def __init__(self, md: Markdown, reserved_ids: list[str]) -> None:
        super().__init__(md)
        self.reserved_ids = reserved_ids

    def run(self, root: etree.Element) -> None:
        used = set(self.reserved_ids)
        used.update(el.get("id") for el in root.iter() if el.get("id"))
        for heading in root.iter():
            if heading.tag not in HEADING_TAGS or heading.get("id"):
                continue
            text = words_of(heading)
            if text is None:
                text = html.unescape(strip_tags(render_inner_html(heading, self.md)))
            heading.set("id", unique_id(slugify_heading(text) or "section", used))


def build_pull_quote(parent: etree.Element, mark: str, quote_blocks: list[str], who: str) -> etree.Element:
    """Append ``<figure class="pull-quote">`` holding the quote and its attribution."""
    figure = etree.SubElement(parent, "figure", {"class": "pull-quote"})
    if mark:
        etree.SubElement(figure, "span", {"class": "pull-quote-mark", "aria-hidden": "true"}).text = mark
    blockquote = etree.SubElement(figure, "blockquote")
    for block in quote_blocks:
        etree.SubElement(blockquote, "p").text = block
    etree.SubElement(figure, "figcaption").text = who
    return figure


class SaidPullQuote(BlockProcessor):
    """``🗣️ "Words," said Name, role.`` as a paragraph of its own."""

    def _match(self, block: str) -> tuple[str, str, str] | None:
        """The mark, the quotation and the attribution of a pull-quote paragraph."""
        mark, rest = strip_leading_emoji(block)
        if not mark:
            return None
        # Matched with inline tags blanked out, so the quote never ends inside one and splits it in two.
        masked = INLINE_HTML.sub(lambda tag: "x" * len(tag.group()), rest)
        match = SAID_AFTER.match(masked) or SAID_BEFORE.match(masked)
        if not match:
            return None
        return mark, rest[match.start("quote") : match.end("quote")], rest[match.start("who") : match.end("who")]

    def test(self, parent: etree.Element, block: str) -> bool:
        return self._match(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        matched = self._match(block)
        assert matched is not None  # test() accepted this block
        mark, quote, who = matched
        quote = quote.strip()
        if quote.endswith(","):
            quote = quote[:-1] + "."  # the comma led into "said"; the quote stands alone now
        build_pull_quote(parent, mark, [quote], who.strip().rstrip("."))


class AttributedBlockquote(Treeprocessor):
    """A blockquote ending in "— Name" becomes a pull quote with a caption."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "blockquote" or len(child) < 2:
                    continue
                last = child[-1]
                match = ATTRIBUTION_DASH.match(last.text or "") if last.tag == "p" and not len(last) else None
                if not match:
                    continue
                child.remove(last)
                figure = etree.Element("figure", {"class": "pull-quote"})
                figure.append(child)
                etree.SubElement(figure, "figcaption").text = match.group("who").strip()
                figure.tail = child.tail
                child.tail = None
                parent.remove(child)
                parent.insert(index, figure)


def smarten(text: str, before: str = " ") -> str:
    """Curly quotes, apostrophes, dashes and ellipses for ``text``; ``before`` is the character preceding it."""
    if "'" not in text and '"' not in text and "--" not in text and "..." not in text:
        return text  # most text runs of a story: nothing to change, and four scans in C say so
    marked = before + text.replace("---", "—").replace("--", "–").replace("...", "…")
    marked = APOSTROPHE.sub("’", marked)
    marked = OPEN_DOUBLE.sub("“", marked).replace('"', "”")
    marked = OPEN_SINGLE.sub("‘", marked).replace("'", "’")
    return marked[len(before) :]


class Typography(Treeprocessor):
    """Typographic quotes and dashes in one pass over the text, code left as written.

    Python-Markdown's smarty extension does this with a dozen inline patterns
    tried at every position, which more than doubles conversion time; here each
    text node goes through a few regular expressions once.
    """

    def run(self, root: etree.Element) -> None:
        self.previous = " "
        self._visit(root)

    def _convert(self, text: str | None) -> str | None:
        if not text:
            return text
        converted = smarten(text, self.previous)
        self.previous = converted[-1]
        return converted

    def _visit(self, element: etree.Element) -> None:
        if element.tag in VERBATIM_TAGS:
            self.previous = "x"  # code reads as a word: a quote right after it closes
        else:
            element.text = self._convert(element.text)
            for child in element:
                self._visit(child)
        if element.tail is not None:
            element.tail = self._convert(element.tail)


class ReadingTime(Treeprocessor):
    """Hand Pelican the reading time, in whole minutes, as metadata."""

    def __init__(self, md: Markdown, words_per_minute: int) -> None:
        super().__init__(md)
        self.words_per_minute = words_per_minute

    def run(self, root: etree.Element) -> None:
        # Texts are joined with a space, so a word is never made of two; stashed raw HTML and entities stand in
        # the tree as STX…ETX placeholders, each inside one text, and they are not words.
        text = " ".join(root.itertext())
        words = len((STASHED.sub(" ", text) if STX in text else text).split())
        minutes = max(1, math.ceil(words / self.words_per_minute))
        self.md.reading_time = minutes
        meta = getattr(self.md, "Meta", None)
        if isinstance(meta, dict):
            meta["reading_time"] = [minutes]
            meta["word_count"] = [words]


class ArticleMarkupExtension(Extension):
    """Heading anchors, pull quotes and reading time for news articles."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "words_per_minute": [DEFAULTS["ARTICLE_MARKUP_WORDS_PER_MINUTE"], "Reading speed in words per minute"],
            "reserved_ids": [list(DEFAULTS["ARTICLE_MARKUP_RESERVED_IDS"]), "Ids headings must not take"],
            "typography": [DEFAULTS["ARTICLE_MARKUP_TYPOGRAPHY"], "Curly quotes, dashes and ellipses"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.registerExtension(self)
        # Before the paragraph processor (10), after lists and quotes.
        md.parser.blockprocessors.register(SaidPullQuote(md.parser), "said_pull_quote", 15)
        # Before inline processing (20), so attribution text is still raw.
        md.treeprocessors.register(AttributedBlockquote(md), "attributed_blockquote", 25)
        if self.getConfig("typography"):
            # After inline processing (20), so code spans are elements it can skip.
            md.treeprocessors.register(Typography(md), "typography", 7)
        # After inline processing, so ids come from the rendered words.
        md.treeprocessors.register(HeadingAnchors(md, self.getConfig("reserved_ids")), "heading_anchors", 5)
        md.treeprocessors.register(ReadingTime(md, self.getConfig("words_per_minute")), "reading_time", 4)
