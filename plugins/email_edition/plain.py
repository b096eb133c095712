"""The plain-text part: the prepared body read block by block, in reading order, wrapped at 78 columns.

A link is written as its text followed by its URL in brackets (the URL alone
when it is the text); URLs are never broken across lines, so one longer than
a line stands on a line of its own. Headings are underlined, lists keep their
bullets and numbers, pull quotes and other quotations are indented, and the
Key Takeaways box is a heading and its list.
"""

from __future__ import annotations

import textwrap
import unicodedata

from bs4 import BeautifulSoup, NavigableString, Tag
from plugin_support.text import EMOJI_GLUE, is_emoji

WIDTH = 78
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
QUOTE_INDENT = "    "


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """``text`` filled to ``WIDTH`` columns; ``first`` replaces the indent of the first line (a bullet)."""
    return textwrap.fill(
        " ".join(text.split()),
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def inline(node: Tag | NavigableString) -> str:
    """The words of an inline run, links followed by their URL, images by their alt text."""
    if isinstance(node, NavigableString):
        return str(node)
    if node.name == "br":
        return "\n"
    if node.name == "img":
        alt = " ".join(str(node.get("alt") or "").split())
        return f" [Image: {alt}] " if alt else " "
    words = "".join(inline(child) for child in node.children)
    if node.name == "a" and node.get("href"):
        href = str(node["href"])
        label = " ".join(words.split())
        return href if not label or label == href else f"{words} ({href})"
    return words


def columns(text: str) -> int:
    """How many columns ``text`` takes in a monospaced font: emoji and East Asian wide characters take two."""
    width = 0
    for char in text:
        if char in EMOJI_GLUE or unicodedata.combining(char):
            continue
        width += 2 if is_emoji(char) or unicodedata.east_asian_width(char) in "WF" else 1
    return width


def heading(text: str) -> str:
    """A heading on its own lines, underlined to its width."""
    lines = wrap(text)
    return f"{lines}\n{'-' * min(WIDTH, max(columns(line) for line in lines.splitlines()))}"


def paragraph(node: Tag, indent: str = "") -> str:
    """A paragraph, each forced line break (``<br>``) starting a line of its own."""
    lines = [wrap(part, indent) for part in inline(node).split("\n") if part.strip()]
    return "\n".join(lines)


def list_block(node: Tag, indent: str = "") -> list[str]:
    out = []
    for number, item in enumerate(node.find_all("li", recursive=False), start=1):
        bullet = f"{number}. " if node.name == "ol" else "- "
        own = "".join(inline(child) for child in item.children if not _is_block(child))
        out.append(wrap(own, indent + " " * len(bullet), first=indent + bullet))
        for nested in item.find_all(["ul", "ol"], recursive=False):
            out.extend(list_block(nested, indent + " " * len(bullet)))
    return ["\n".join(out)]


def blocks(container: Tag, indent: str = "") -> list[str]:
    """Each block of ``container`` as text, in order; loose inline text counts as a paragraph."""
    out: list[str] = []
    loose: list[str] = []

    def flush() -> None:
        text = "".join(loose)
        if text.strip():
            out.append(wrap(text, indent))
        loose.clear()

    for child in container.children:
        if not _is_block(child):
            loose.append(inline(child))
            continue
        flush()
        out.extend(block(child, indent))
    flush()
    return [part for part in out if part.strip()]


def block(node: Tag, indent: str) -> list[str]:
    classes = node.get("class") or []
    if node.name in HEADINGS:
        return [heading(node.get_text())]
    if node.name == "p":
        return [paragraph(node, indent)]
    if node.name in {"ul", "ol"}:
        return list_block(node, indent)
    if "pull-quote" in classes:
        words = " ".join(quote.get_text(" ") for quote in node.find_all("blockquote"))
        caption = node.find(class_="pull-quote-by")
        quotation = " ".join(words.split())
        if not quotation.startswith(OPENING_QUOTES):  # a blockquote pull quote carries the author's own marks
            quotation = f"“{quotation}”"
        parts = [wrap(quotation, indent + QUOTE_INDENT)]
        if caption is not None:
            parts.append(wrap(caption.get_text(), indent + QUOTE_INDENT))
        return ["\n".join(parts)]
    if node.name == "blockquote":
        return blocks(node, indent + QUOTE_INDENT)
    if node.name == "pre":
        return ["\n".join(indent + line for line in node.get_text().rstrip("\n").splitlines())]
    if node.name == "hr":
        return [indent + "* * *"]
    if node.name == "table":
        rows = [" | ".join(cell.get_text(" ") for cell in row.find_all(["th", "td"])) for row in node.find_all("tr")]
        return ["\n".join(wrap(row, indent) for row in rows if row.strip())]
    return blocks(node, indent)


def _is_block(node: object) -> bool:
    return isinstance(node, Tag) and node.name in BLOCKS


# The marks a quotation can open with, in the languages the site's typography writes.
OPENING_QUOTES = ("“", "‘", '"', "'", "«", "„", "‚", "‹", "「")
BLOCKS = HEADINGS | {"p", "ul", "ol", "li", "div", "blockquote", "pre", "hr", "table", "figure", "aside", "section"}


def body_text(body: BeautifulSoup) -> str:
    """The prepared body as plain text, blocks separated by a blank line."""
    return "\n\n".join(blocks(body))
