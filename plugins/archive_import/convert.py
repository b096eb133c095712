"""From a platform's HTML to the house Markdown: clean the HTML, convert it, apply the house conventions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter
from plugin_support.text import one_line

from .house import TAKEAWAYS_ALIASES, Converted, house_markdown, is_chrome

MERGE_TAG = re.compile(r"\{\{.*?\}\}|\*\|.*?\|\*|\{%.*?%\}", re.DOTALL)
GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|good morning)\b[\s,!]*(?:there)?[\s,!.]*$", re.IGNORECASE)
VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com")
DROPPED_TAGS = ("script", "style", "noscript", "form", "object", "embed", "template", "svg", "button", "input")
# Class names (any part) of the platforms' furniture: share bars, buttons, sign-up widgets, footers.
CHROME_CLASSES = re.compile(
    r"share|button|subscription-widget|subscribe|footer|kg-button-card|kg-signup|kg-cta|post-meta|unsubscribe|preheader",
    re.IGNORECASE,
)
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
CAPTION_CLASSES = re.compile(r"caption|image__source", re.IGNORECASE)
# The platforms' image cards: beehiiv's div.image, Substack's captioned-image-container, Ghost's kg-image-card.
IMAGE_CARD = re.compile(r"^(?:image|captioned-image-container|kg-image-card)$")


@dataclass
class Context:
    """What one conversion needs from the import: where old links go, where images are, and what it noted."""

    old_links: dict[str, str] = field(default_factory=dict)  # old slug -> {filename} link
    image: Callable[[str], str] = lambda src: src  # a body image's new address
    notes: list[str] = field(default_factory=list)


def is_video(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == video or host.endswith("." + video) for video in VIDEO_HOSTS)


def without_tracking(url: str) -> str:
    """``url`` without ``utm_…`` parameters; other parameters stay, in order."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_")
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))


# An address written out in pasted text, and the punctuation that may end the sentence it closes.
TEXT_URL = re.compile(r"https?://[^\s<>()\[\]]+?(?=[.,;:!?]*(?:\s|$|[)\]>]))")
UNSUBSCRIBE_LINE = re.compile(r"unsubscribe|update your preferences|manage (?:your )?subscription", re.IGNORECASE)


def clean_pasted_text(text: str) -> tuple[str, list[str]]:
    """A pasted story without what its newsletter added, and a note of each thing taken out.

    As for the platforms' HTML: merge tags and the greetings they leave,
    ``utm_`` parameters of addresses, and unsubscribe and preference lines.
    """
    notes: list[str] = []
    kept: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        if MERGE_TAG.search(paragraph):
            paragraph = MERGE_TAG.sub("", paragraph)
            notes.append("removed a merge tag")
        line = " ".join(paragraph.split())
        if line and GREETING.match(line):
            notes.append(f'removed the greeting "{line}"')
            continue
        if UNSUBSCRIBE_LINE.search(line) and len(line) < 240:
            notes.append(f'removed the line "{line}"')
            continue
        kept.append(TEXT_URL.sub(lambda url: without_tracking(url.group()), paragraph))
    return "\n\n".join(kept), notes


def _text(tag: Tag) -> str:
    return one_line(tag.get_text(" "))


class HouseConverter(MarkdownConverter):
    """markdownify with figures kept as figures (image and caption) for Python-Markdown's ``md_in_html``."""

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        image = el.find("img")
        if image is None:
            return text
        caption = el.find("figcaption")
        markdown_image = f"![{_escape_alt(image.get('alt', ''))}]({image.get('src', '')})"
        caption_text = _escape_inline(_text(caption)) if caption else ""
        lines = ['<figure markdown="1">', markdown_image]
        if caption_text:
            lines.append(f'<figcaption markdown="span">{caption_text}</figcaption>')
        lines.append("</figure>")
        return "\n\n" + "\n".join(lines) + "\n\n"


def _escape_alt(text: str) -> str:
    return " ".join(text.replace("[", "(").replace("]", ")").split())


def _escape_inline(text: str) -> str:
    return text.replace("<", "&lt;").replace("*", r"\*").replace("_", r"\_")


def content_root(soup: BeautifulSoup) -> Tag:
    """The story itself: beehiiv's ``#content-blocks`` when there is one, else the body, else everything."""
    return soup.find(id="content-blocks") or soup.body or soup


def clean(html: str, context: Context) -> Tag:
    """The story's HTML with the platform's furniture, tracking and anything executable taken out."""
    soup = BeautifulSoup(html, "html.parser")
    root = content_root(soup)
    notes = context.notes
    for comment in root.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for tag in root.find_all(DROPPED_TAGS):
        if tag.decomposed:
            continue
        if tag.name not in {"style", "svg", "template"}:
            notes.append(f"removed a <{tag.name}>: {_text(tag)[:60] or 'no text'}")
        tag.decompose()
    for tag in root.find_all(["iframe"]):
        src = tag.get("src", "")
        if is_video(src):
            link = soup.new_tag("a", href=src)
            link.string = tag.get("title") or "Watch the video"
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            tag.replace_with(paragraph)
        else:
            notes.append(f"removed an <iframe> from {urlsplit(src).hostname or src or 'nowhere'}")
            tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed:
            continue
        classes = " ".join(tag.get("class", []))
        if classes and CHROME_CLASSES.search(classes):
            notes.append(f'removed the platform\'s "{classes}" block: {_text(tag)[:60] or "no text"}')
            tag.decompose()
            continue
        for name in [name for name in tag.attrs if name.lower().startswith("on")]:
            notes.append(f"removed an event handler ({name}=) from a <{tag.name}>")
            del tag.attrs[name]
    _images(root, soup, context)
    _links(root, context)
    _merge_tags(root, notes)
    _chrome_paragraphs(root)
    return root


def _images(root: Tag, soup: BeautifulSoup, context: Context) -> None:
    for image in root.find_all("img"):
        if image.decomposed:
            continue
        src = image.get("src", "")
        if image.get("width") in {"0", "1"} or image.get("height") in {"0", "1"} or re.search(r"/open[^/]*\.gif", src):
            context.notes.append("removed a tracking pixel")
            image.decompose()
            continue
        link = image.find_parent("a")
        if link is not None and is_video(link.get("href", "")):
            text = image.get("alt") or "Watch the video"
            replacement = soup.new_tag("a", href=link["href"])
            replacement.string = text
            paragraph = soup.new_tag("p")
            paragraph.append(replacement)
            link.replace_with(paragraph)
            continue
        image["src"] = context.image(src)
        card = image.find_parent("figure") or image.find_parent(class_=IMAGE_CARD)
        if card is not None and len(card.find_all("img")) > 1:
            card = None  # a gallery: each image stands alone
        caption = None
        if card is not None:
            caption = card.find("figcaption") or card.find(class_=CAPTION_CLASSES)
        figure = soup.new_tag("figure")
        figure.append(soup.new_tag("img", src=image["src"], alt=image.get("alt", "")))
        if caption is not None and _text(caption):
            figcaption = soup.new_tag("figcaption")
            figcaption.string = _text(caption)
            figure.append(figcaption)
            caption.decompose()
        # An image card (or a link around the image) becomes one figure.
        outer = card or link or image
        outer.replace_with(figure)


def _links(root: Tag, context: Context) -> None:
    for link in root.find_all("a"):
        href = (link.get("href") or "").strip()
        if href.lower().replace(" ", "").startswith(UNSAFE_SCHEMES):
            context.notes.append(f'removed a {href.split(":", 1)[0]}: link around "{_text(link)[:40]}"')
            link.unwrap()
            continue
        if re.search(r"unsubscribe|/preferences|manage.?subscription|email-preferences", href, re.IGNORECASE):
            context.notes.append(f'removed the link "{_text(link)[:40]}"')
            parent = link.parent
            link.decompose()
            if parent is not None and parent.name == "p" and not _text(parent):
                parent.decompose()
            continue
        slug = _old_slug(href)
        if slug and slug in context.old_links:
            link["href"] = context.old_links[slug]
            continue
        if href:
            link["href"] = without_tracking(href)


def _old_slug(href: str) -> str | None:
    """The slug of a link to a platform post (``…/p/<slug>``, Ghost's ``__GHOST_URL__/<slug>/``), or ``None``."""
    match = re.search(r"/p/([A-Za-z0-9_-]+)/?(?:[?#].*)?$", href) or re.match(
        r"^__GHOST_URL__/([A-Za-z0-9_-]+)/?(?:[?#].*)?$", href
    )
    return match.group(1) if match else None


def _merge_tags(root: Tag, notes: list[str]) -> None:
    for text in root.find_all(string=MERGE_TAG):
        if isinstance(text, NavigableString):
            text.replace_with(MERGE_TAG.sub("", str(text)))
            notes.append("removed a merge tag")
    for paragraph in root.find_all("p"):
        if GREETING.match(_text(paragraph) or "x"):
            notes.append(f'removed the greeting "{_text(paragraph)}"')
            paragraph.decompose()


def _chrome_paragraphs(root: Tag) -> None:
    for tag in root.find_all(["p", "div", "td", "span", "h1", "h2", "h3", "h4", "a"]):
        if not tag.decomposed and is_chrome(_text(tag)) and not tag.find("img"):
            tag.decompose()


def html_to_house_markdown(html: str, context: Context, takeaways_aliases: tuple[str, ...] | None = None) -> Converted:
    """The house Markdown for a story's HTML, with every note of what was left out."""
    root = clean(html, context)
    markdown = HouseConverter(
        heading_style="ATX", bullets="-", strip=["span", "table", "tbody", "tr", "td"]
    ).convert_soup(root)
    converted = house_markdown(markdown, takeaways_aliases=takeaways_aliases or TAKEAWAYS_ALIASES)
    converted.notes = context.notes + converted.notes
    return converted
