"""The house conventions, applied to Markdown text line by line: the last step of every import.

An imported or pasted story arrives with the newsletter's habits written as
plain paragraphs: an emoji line or a bold line for a section heading, "•"
bullets, a "🔑 Key Takeaways:" label, the platform's sign-up line and its
chrome ("Reply", "Keep Reading", "No posts found"…). ``house_markdown`` turns
those into the Markdown the site's plugins recognise, and says in ``notes``
what it dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plugin_support.text import is_emoji

BULLET = re.compile(r"^\s*(?:[•◦▪●·]|[–—](?=\s))\s*(?P<text>.+)$")
MARKDOWN_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
BOLD_ONLY = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_].*?)(?:\*\*|__)\s*:?\s*$")
HEADING = re.compile(r"^\s*#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
SEPARATOR = re.compile(r"^\s*(?:…|\.{3}|\\?\*\s*\\?\*\s*\\?\*|-{3,}|_{3,}|\*{3,})\s*$")
SIGN_UP = re.compile(r"^(?:stay informed!?\s*)?(?:sign up|subscribe)\b.*\b(?:newsletter|inbox)\b", re.IGNORECASE)
TAKEAWAYS_ALIASES = ("Key Takeaways", "Takeaways", "Key points", "TL;DR")
# Whole paragraphs that are the platform's furniture, not the story (compared in lower case, without punctuation).
CHROME = frozenset(
    {
        "reply",
        "or to participate",
        "keep reading",
        "no posts found",
        "read online",
        "view in browser",
        "view online",
        "share",
        "share this post",
        "unsubscribe",
        "update your email preferences",
        "manage your subscription",
        "subscribe now",
        "subscribe",
        "share on x",
        "share on linkedin",
        "share on facebook",
        "forward to a friend",
        "login or subscribe to participate",
        "powered by beehiiv",
    }
)
MAX_HEADING_WORDS = 12


@dataclass
class Converted:
    """House Markdown for one story, and what was left out on the way."""

    markdown: str
    notes: list[str] = field(default_factory=list)


def starts_with_emoji(text: str) -> bool:
    text = text.lstrip()
    return bool(text) and is_emoji(text[0])


def plain_words(text: str) -> str:
    """Lower-case words of ``text``, without emoji, Markdown marks and punctuation: to compare labels."""
    kept = "".join(ch if ch.isalnum() or ch in ";" else " " for ch in text if not is_emoji(ch))
    return " ".join(kept.lower().split())


def is_takeaways_label(text: str, aliases: tuple[str, ...] = TAKEAWAYS_ALIASES) -> bool:
    return plain_words(text) in {plain_words(alias) for alias in aliases}


def is_chrome(text: str) -> bool:
    return plain_words(text) in CHROME


def heading_text(paragraph: str) -> str | None:
    """The heading a one-line paragraph stands for: a bold-only line or a short emoji-led line, else ``None``."""
    if "\n" in paragraph.strip():
        return None
    bold = BOLD_ONLY.match(paragraph)
    if bold:
        return bold.group("text").strip().rstrip(":").strip()
    line = paragraph.strip()
    if starts_with_emoji(line) and len(line.split()) <= MAX_HEADING_WORDS and not line.endswith((".", '"', "”")):
        return line.rstrip(":").strip()
    return None


def split_paragraphs(markdown: str) -> list[str]:
    return [block.strip("\n") for block in re.split(r"\n\s*\n", markdown.replace("\r\n", "\n")) if block.strip()]


def _bullets(paragraph: str) -> list[str] | None:
    """The items of a paragraph made of "•" lines, or ``None``."""
    lines = [line for line in paragraph.split("\n") if line.strip()]
    items = [BULLET.match(line) for line in lines]
    if lines and all(items):
        return [f"- {item.group('text').strip()}" for item in items if item]
    return None


def _is_list(paragraph: str) -> bool:
    return all(MARKDOWN_ITEM.match(line) or line.startswith("  ") for line in paragraph.split("\n") if line.strip())


def house_markdown(
    markdown: str, subscribe_marker: str = "[subscribe]", takeaways_aliases: tuple[str, ...] = TAKEAWAYS_ALIASES
) -> Converted:
    """Apply the house conventions to Markdown (or plain text split into paragraphs by blank lines).

    ``takeaways_aliases`` are the labels of a Key Takeaways list (the site's
    ``TAKEAWAYS_HEADING_ALIASES``); case, emoji and punctuation do not matter.
    """
    notes: list[str] = []
    blocks: list[str] = []
    subscribed = False
    paragraphs = split_paragraphs(markdown)
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        index += 1
        if is_chrome(paragraph):
            notes.append(f'removed the platform line "{paragraph.strip()}"')
            continue
        if SIGN_UP.search(plain_words(paragraph)) and len(paragraph) < 240:
            if not subscribed:
                blocks.append(subscribe_marker)
                subscribed = True
                notes.append("replaced the platform's sign-up line with the site's sign-up box")
            else:
                notes.append("removed a second sign-up line")
            continue
        if SEPARATOR.match(paragraph):
            blocks.append("---")
            continue
        bullets = _bullets(paragraph)
        if bullets is not None:
            # Bullets pasted one paragraph each make one list.
            if blocks and blocks[-1].startswith("- ") and _is_list(blocks[-1]):
                blocks[-1] += "\n" + "\n".join(bullets)
            else:
                blocks.append("\n".join(bullets))
            continue
        heading = HEADING.match(paragraph) if "\n" not in paragraph else None
        first, _, rest = paragraph.partition("\n")
        label = heading.group("text") if heading else first
        if is_takeaways_label(label, takeaways_aliases):
            # The list may follow the label on the next lines of the same paragraph, or in the next paragraphs.
            items = _collect_list([rest, *paragraphs[index:]] if rest.strip() else paragraphs[index:], 0)
            if items is not None:
                lines, used = items
                index += used - 1 if rest.strip() else used
                blocks.append("::: takeaways\n" + "\n".join(lines) + "\n:::")
                continue
        if heading:
            blocks.append(paragraph.strip())
            continue
        text = heading_text(paragraph)
        if text:
            blocks.append(f"## {text}")
            continue
        blocks.append(paragraph)
    text = "\n\n".join(blocks).strip()
    return Converted(re.sub(r"\n{3,}", "\n\n", text) + "\n", notes)


def _collect_list(paragraphs: list[str], index: int) -> tuple[list[str], int] | None:
    """The list items right after a takeaways label (Markdown items or "•" lines), and where they end."""
    items: list[str] = []
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        bullets = _bullets(paragraph)
        if bullets is not None:
            items += bullets
        elif _is_list(paragraph):
            items += [re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "- ", line) for line in paragraph.split("\n") if line.strip()]
        else:
            break
        index += 1
    return (items, index) if items else None
