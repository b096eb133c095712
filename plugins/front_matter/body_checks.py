"""A Markdown extension that checks an article's body while it is converted.

It runs inside the one conversion Pelican does of each file, on the element
tree and the raw HTML Markdown set aside, so checking costs no second parse:

* a body image must name a file that exists, must have alt text, and gets
  ``width`` and ``height`` from the file (the page does not jump as it loads);
  the images measured are listed (``BodyCheck.images``), so that the article
  can name them (``body_images``) for plugins that make copies of them;
* links to other content (``{filename}``) and site-relative links
  (``/section/trade/``) are collected, to be resolved once every file is read;
  ``{static}`` and ``{attach}`` files must exist;
* nothing executable reaches the page: ``<script>``, ``<style>``, forms,
  ``on…=`` event handlers, ``javascript:`` and ``data:`` URLs, and
  ``<iframe>``/``<object>``/``<embed>`` from hosts not in the allowlist.

Each finding keeps the text to look for in the source (``needle``), so the
reader can name the line without Markdown having to track lines.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .images import ImageError, image_size

PLACEHOLDER = re.compile(r"^\{(filename|static|attach)\}")
# Browsers ignore these characters at the start of a URL, so "java\tscript:" is still javascript:.
URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
FORBIDDEN_TAGS = {
    "script": "a <script> element; the site runs no script from articles",
    "style": "a <style> element; styles belong in the theme's stylesheet",
    "form": "a form; sign-up forms come from the subscribe settings, other forms are not published",
    "base": "a <base> element; it would change where every link on the page goes",
}
EMBED_TAGS = {"iframe": "src", "object": "data", "embed": "src"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href")


@dataclass(frozen=True)
class Finding:
    """A problem in the body: what to fix, and text of the source that shows where.

    ``exact``, when given, is the construct as Markdown most likely spelled it (an image's ``![alt](src``): looked
    for first, so that a problem of the second image of one file is not put on the line of the first.
    """

    message: str
    needle: str
    exact: str = ""


@dataclass(frozen=True)
class Reference:
    """A link to resolve once all content is known: ``{filename}`` targets and site-relative paths."""

    kind: str  # "filename" (a content file, from the content folder) or "site" (a URL path)
    target: str
    needle: str


def scheme_of(url: str) -> str:
    """The URL's scheme as a browser reads it (``"javascript"``, ``"https"``), or ``""``."""
    cleaned = URL_NOISE.sub("", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else ""


class BodyCheck:
    """What one conversion found; the extension starts a new one for every file."""

    def __init__(self, source_path: str, content_root: str, embed_hosts: frozenset[str]) -> None:
        self.source_dir = os.path.dirname(os.path.abspath(source_path))
        self.content_root = os.path.abspath(content_root)
        self.embed_hosts = embed_hosts
        self.findings: list[Finding] = []
        self.references: list[Reference] = []
        self.looked_at: dict[str, tuple[int, int] | None] = {}
        # Images measured without a problem, as (file, src written, the image as Markdown spells it): what the
        # page shows, for plugins to derive from.
        self.images: list[tuple[str, str, str]] = []

    def flag(self, message: str, needle: str, exact: str = "") -> None:
        self.findings.append(Finding(message, needle, exact))

    def exists(self, path: Path) -> bool:
        signature = self.looked_at[str(path)] = file_signature(path)
        return signature is not None

    def local_file(self, url: str) -> tuple[str, Path] | None:
        """``(kind, file)`` for a URL naming a file of the content folder, else ``None``."""
        match = PLACEHOLDER.match(url)
        path = unquote(urlsplit(url[match.end() :] if match else url).path)
        if match is None:
            if scheme_of(url) or url.startswith(("//", "#")) or not path.startswith("/"):
                return None
            return "site", Path(self.content_root, path.lstrip("/"))
        base = self.content_root if path.startswith("/") else self.source_dir
        return match.group(1), Path(base, path.lstrip("/"))

    def check_url(self, url: str, attribute: str, tag: str) -> None:
        scheme = scheme_of(url)
        if scheme == "javascript":
            self.flag(f"a javascript: URL in <{tag} {attribute}>; link to a page instead", url)
        elif scheme == "data":
            self.flag(f"a data: URL in <{tag} {attribute}>; save the file under the content folder and link to it", url)
        elif attribute == "src" and scheme == "http" and tag not in EMBED_TAGS:
            self.flag(f'"{url}" is loaded over plain http, which browsers block on an https page; use https://', url)

    def check_image(self, image: Element) -> None:
        src, alt = (image.get("src") or "").strip(), image.get("alt") or ""
        exact = f"![{alt}]({src}"
        flag = partial(self.flag, exact=exact)
        if not alt.strip():
            flag(f'the image "{src}" has no alt text; describe it: ![what the image shows]({src})', src or "![")
        local = self.local_file(src)
        if local is None:
            if not scheme_of(src) and not src.startswith("//"):
                flag(
                    f'the image "{src}" is a path relative to the page, which breaks once the story is published; '
                    f"write {{static}}/images/… for a file under the content folder",
                    src,
                )
            return
        path = local[1]
        if not self.exists(path):
            shown = os.path.relpath(path, self.content_root)
            flag(f'the image "{src}" is not a file: {shown} does not exist in the content folder', src)
            return
        try:
            width, height = image_size(path)
        except ImageError as error:
            flag(f'the image "{src}" cannot be read: {error}', src)
            return
        image.set("width", image.get("width") or str(width))
        image.set("height", image.get("height") or str(height))
        self.images.append((str(path), src, exact))

    def check_link(self, url: str) -> None:
        local = self.local_file(url)
        if local is None:
            return
        kind, path = local
        if kind in {"static", "attach"}:
            if not self.exists(path):
                shown = os.path.relpath(path, self.content_root)
                self.flag(f'the link "{url}" names {shown}, which does not exist in the content folder', url)
        elif kind == "filename":
            self.references.append(Reference("filename", os.path.relpath(path, self.content_root), url))
        else:
            self.references.append(Reference("site", unquote(urlsplit(url).path), url))

    def check_element(self, element: Element) -> None:
        tag = str(element.tag).lower()
        if tag in FORBIDDEN_TAGS:
            self.flag(f"{FORBIDDEN_TAGS[tag]}; remove it", f"<{tag}")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                self.flag(f"an event handler ({name}=) on <{tag}>; the site runs no script from articles", f"{name}=")
            elif lowered in URL_ATTRIBUTES:
                self.check_url(value, lowered, tag)
        if tag in EMBED_TAGS:
            self.check_embed(tag, element.get(EMBED_TAGS[tag]) or "")

    def check_embed(self, tag: str, url: str) -> None:
        host = (urlsplit(url.strip()).hostname or "").lower()
        if scheme_of(url) != "https" or host not in self.embed_hosts:
            allowed = ", ".join(sorted(self.embed_hosts)) or "none are allowed"
            self.flag(
                f'an <{tag}> from "{host or url}", which is not an allowed embed host '
                f"(CONTENT_EMBED_HOSTS: {allowed}); link to it instead",
                f"<{tag}",
            )


class _RawHtmlScanner(HTMLParser):
    """Feeds the start tags of raw HTML an author wrote to the same checks as Markdown's own elements."""

    def __init__(self, check: BodyCheck) -> None:
        super().__init__(convert_charrefs=True)
        self.check = check

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        before = len(self.check.findings)
        self.check.check_element(element)
        written = self.get_starttag_text() or ""
        # Point at the tag as written: the raw HTML is the author's own text.
        for number in range(before, len(self.check.findings)):
            finding = self.check.findings[number]
            if finding.needle not in written:
                self.check.findings[number] = Finding(finding.message, written or finding.needle)


class BodyCheckProcessor(Treeprocessor):
    """Walks the finished element tree and the raw HTML stash of one conversion."""

    def __init__(self, md: Markdown, extension: BodyCheckExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        check = self.extension.current
        if check is None:
            return
        for element in root.iter():
            if element.tag == "img":
                check.check_image(element)
            elif element.tag == "a" and element.get("href") is not None:
                check.check_link(element.get("href", "").strip())
            check.check_element(element)
        for block in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(block, str) and "<" in block:
                scanner = _RawHtmlScanner(check)
                scanner.feed(block)
                scanner.close()


class BodyCheckExtension(Extension):
    """Checks each converted body; call ``start`` before converting a file, read ``current`` after."""

    def __init__(self, content_root: str, embed_hosts: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__()
        self.content_root = content_root
        self.embed_hosts = frozenset(host.lower() for host in embed_hosts)
        self.current: BodyCheck | None = None

    def start(self, source_path: str) -> BodyCheck:
        self.current = BodyCheck(source_path, self.content_root, self.embed_hosts)
        return self.current

    def reset(self) -> None:
        self.current = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.registerExtension(self)
        # After the inline patterns (20) have made the <img> and <a> elements and attr_list (8) has
        # added the attributes written in braces, which may be event handlers too.
        md.treeprocessors.register(BodyCheckProcessor(md, self), "body_check", 6)


def file_signature(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """Size and modification time of a file, or ``None`` when there is no such file."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else None


def files_unchanged(looked_at: dict[str, tuple[int, int] | None]) -> bool:
    """True when every file a conversion checked is as it was then (a cached conversion is still right)."""
    return all(file_signature(path) == signature for path, signature in looked_at.items())
