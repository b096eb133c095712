"""An article's rendered body made ready for mail clients, shared by the HTML and the plain-text part.

Links and images get absolute URLs; SVG images, which most mail clients do
not show, give way to a raster file of the same name when the content folder
has one, else to a visible line naming the image; the HTML5 elements the
web page uses for pull quotes and the Key Takeaways box become ``div`` and
``p`` (Outlook's Word engine ignores styles on elements it does not know),
keeping their classes, which the edition's stylesheet addresses; embeds
become links; comments (the inline sign-up marker) go.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, Tag
from front_matter.images import ImageError, image_size
from plugin_support.urls import site_url

# The content column: 600 px less the side padding of render's stylesheet.
CONTENT_WIDTH = 536
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
# Elements the web page shows that a mail client should get as a plain link to the original.
EMBEDS = ("iframe", "object", "embed", "video", "audio")
RENAMED = {"figure": "div", "aside": "div", "figcaption": "p", "section": "div"}


@dataclass(frozen=True)
class Place:
    """Where the article lives: its public URL, the site's, and the content folder its files come from."""

    page_url: str
    siteurl: str
    content: Path


def prepare(fragment: str, place: Place) -> BeautifulSoup:
    """The body HTML as a parsed tree, ready for both parts of the email."""
    soup = BeautifulSoup(fragment, "html.parser")
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for embed in soup.find_all(EMBEDS):
        address = absolute(embed.get("src") or embed.get("data") or "", place)
        note = soup.new_tag("p", attrs={"class": "embed-note"})
        link = soup.new_tag("a", href=address)
        link.string = "Watch or listen on the web"
        note.append(link)
        embed.replace_with(note)
    for link in soup.find_all("a", href=True):
        link["href"] = absolute(link["href"], place)
    for image in soup.find_all("img"):
        email_image(soup, image, place)
    for figure in soup.select("figure.pull-quote"):
        caption = figure.find("figcaption")
        if caption is not None and not caption.get_text().lstrip().startswith("—"):
            caption.insert(0, "— ")
        if caption is not None:
            caption["class"] = "pull-quote-by"
    for tag in soup.find_all(list(RENAMED)):
        tag.name = RENAMED[tag.name]
        for attribute in ("aria-labelledby", "aria-hidden"):
            tag.attrs.pop(attribute, None)
    for tag in soup.find_all(id=True):
        del tag["id"]  # in-page anchors mean nothing in a mailbox
    return soup


def absolute(address: str, place: Place) -> str:
    """``address`` as an absolute URL: a root-relative path is a path of the site (which may live under a
    sub-path of its host); anything else is read from the article's page, as a browser would."""
    address = address.strip()
    if address.startswith("/") and not address.startswith("//"):
        return site_url(place.siteurl, address.lstrip("/"))
    return urljoin(place.page_url, address)


def email_image(soup: BeautifulSoup, image: Tag, place: Place) -> None:
    """Give ``image`` an absolute raster source, its pixel size fitted to the column, and its alt; or drop it.

    A dropped image leaves a visible line with its alt text (and caption),
    so the reader knows something is on the web page.
    """
    source = absolute(str(image.get("src") or ""), place)
    file = site_file(source, place)
    width, height = _number(image.get("width")), _number(image.get("height"))
    if urlsplit(source).path.lower().endswith(".svg"):
        raster = next((file.with_suffix(s) for s in RASTER_SUFFIXES if file and file.with_suffix(s).is_file()), None)
        if raster is None:
            _replace_with_note(soup, image)
            return
        source = source[: -len(".svg")] + raster.suffix
        file, width, height = raster, None, None
    if (not width or not height) and file is not None and file.is_file():
        try:
            width, height = image_size(file)
        except ImageError:
            width = height = None
    if not width or not height:
        _replace_with_note(soup, image)  # a mail client would reserve no space and might stretch it
        return
    if width > CONTENT_WIDTH:
        width, height = CONTENT_WIDTH, round(height * CONTENT_WIDTH / width)
    image["src"] = source
    image["width"], image["height"] = str(width), str(height)
    image["alt"] = str(image.get("alt") or "")
    for attribute in ("srcset", "sizes", "loading", "decoding"):
        image.attrs.pop(attribute, None)


def site_file(url: str, place: Place) -> Path | None:
    """The file under the content folder that the site publishes at ``url`` (static files keep their path)."""
    base = place.siteurl.rstrip("/") + "/"
    if not url.startswith(base):
        return None
    relative = urlsplit(url[len(base) :]).path
    path = (place.content / relative).resolve()
    return path if path.is_relative_to(place.content.resolve()) else None


def _number(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _replace_with_note(soup: BeautifulSoup, image: Tag) -> None:
    """Put a visible line naming the image where it was: in place of its figure or paragraph, keeping the caption."""
    figure = image.find_parent("figure")
    caption = figure.find("figcaption") if figure is not None else None
    words = " ".join(str(image.get("alt") or "").split()) or "an image"
    if caption is not None and caption.get_text(strip=True):
        words += f" ({' '.join(caption.get_text().split())})"
    text = f"[Image on the web page: {words}]"
    paragraph = image.parent if image.parent is not None and image.parent.name == "p" else None
    if figure is not None:
        target, kind = figure, "p"
    elif paragraph is not None and not paragraph.get_text(strip=True) and len(paragraph.find_all(True)) == 1:
        target, kind = paragraph, "p"
    else:
        target, kind = image, "span"  # inside a line of text
    note = soup.new_tag(kind, attrs={"class": "image-note"})
    note.string = text
    target.replace_with(note)
