"""The Markdown extension behind the takeaways plugin.

Three processors share one ``_Run`` record per conversion:

* ``FencePreprocessor`` (priority 28, so it sees every line of the file and
  index + 1 is the file's line) checks the ``::: takeaways`` fences, records
  where each one opens, and swaps the fence lines for marker lines the author
  cannot type (Markdown strips STX/ETX from its input before this runs);
* ``TakeawaysBlockProcessor`` turns the lines between two markers into the box;
* ``TakeawaysTreeprocessor`` (priority 6: after inline Markdown and attr_list,
  before heading anchors at 5) promotes alias headings, moves boxes for
  ``placement``, gives box headings their ids and hands the items to Pelican.
"""

from __future__ import annotations

import html
import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.toc import run_postprocessors, strip_tags
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor
from markdown.util import ETX, STX
from plugin_support.fences import fenced_code_end
from plugin_support.settings import fill_defaults
from plugin_support.text import slugify_heading, unique_id, words_of

DEFAULTS: dict[str, Any] = {
    "TAKEAWAYS_TITLE": "Key Takeaways",
    "TAKEAWAYS_HEADING_ALIASES": ["Key Takeaways", "Takeaways", "Key points", "TL;DR"],
    "TAKEAWAYS_AUTODETECT": True,
    "TAKEAWAYS_PLACEMENT": "as-authored",
}
PLACEMENTS = ("as-authored", "top", "bottom")
BOX_CLASS = "key-takeaways"
TITLE_CLASS = "key-takeaways-title"
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LIST_TAGS = {"ul", "ol"}

OPEN_LINE = re.compile(r"^ {0,3}:::[ \t]*takeaways(?=\s|$)(?P<rest>.*)$", re.IGNORECASE)
CLOSE_LINE = re.compile(r"^ {0,3}:::[ \t]*$")
QUOTED_TITLE = re.compile(r'^(?:"(?P<straight>[^"]*)"|“(?P<curly>[^”]*)”)$')
OPEN_MARKER = re.compile(rf"^{STX}takeaways-open:(\d+){ETX}$")
CLOSE_MARKER = re.compile(rf"^{STX}takeaways-close:(\d+){ETX}$")
UNCLOSED = '"::: takeaways" block is never closed; end it with a line holding only :::'


class TakeawaysError(ValueError):
    """A malformed takeaways block, with the 1-based line it starts on."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


@dataclass(frozen=True)
class Takeaway:
    """One item of a takeaways box: its inline HTML and its plain text."""

    html: str
    text: str


@dataclass
class _Fence:
    lineno: int
    title: str | None
    consumed: bool = False


@dataclass
class _Run:
    """What one conversion learnt about its boxes, shared by the processors."""

    fences: list[_Fence] = field(default_factory=list)
    boxes: list[Element] = field(default_factory=list)


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults and reject values of the wrong shape at start-up."""
    fill_defaults(settings, DEFAULTS)
    title = settings["TAKEAWAYS_TITLE"]
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"TAKEAWAYS_TITLE must be a non-empty string, got {title!r}")
    aliases = settings["TAKEAWAYS_HEADING_ALIASES"]
    if (
        not isinstance(aliases, list | tuple)
        or not all(isinstance(alias, str) for alias in aliases)
        or not all(alias_key(alias) for alias in aliases)
    ):
        raise ValueError(
            "TAKEAWAYS_HEADING_ALIASES must be a list of heading texts with letters or digits, "
            f"such as ['Key Takeaways', 'TL;DR'], got {aliases!r}"
        )
    autodetect = settings["TAKEAWAYS_AUTODETECT"]
    if not isinstance(autodetect, bool):
        raise ValueError(f"TAKEAWAYS_AUTODETECT must be True or False, got {autodetect!r}")
    placement = settings["TAKEAWAYS_PLACEMENT"]
    if placement not in PLACEMENTS:
        raise ValueError(f"TAKEAWAYS_PLACEMENT must be one of {', '.join(PLACEMENTS)}, got {placement!r}")


def alias_key(text: str) -> str:
    """What a heading is compared on: letters and digits only, case folded.

    "🔑 Key Takeaways:", "KEY TAKEAWAYS" and "Key-Takeaways" all become
    ``keytakeaways``; "TL;DR:" becomes ``tldr``.
    """
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normalized if c.isalnum() and not unicodedata.combining(c)).casefold()


def parse_title(rest: str, lineno: int) -> str | None:
    """The optional quoted title after ``::: takeaways``."""
    rest = rest.strip()
    if not rest:
        return None
    match = QUOTED_TITLE.match(rest)
    if not match:
        raise TakeawaysError(
            f'unexpected text after "::: takeaways": {rest!r}; a custom title goes in double quotes, '
            'as in ::: takeaways "What it means"',
            lineno,
        )
    title = (match.group("straight") if match.group("straight") is not None else match.group("curly")).strip()
    if not title:
        raise TakeawaysError(
            'the quoted title after "::: takeaways" is empty; leave the quotes out for the default title', lineno
        )
    return title


class FencePreprocessor(Preprocessor):
    """Check the fences line by line and mark them for the block processor."""

    def __init__(self, md: Markdown, extension: TakeawaysExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        run = self.extension.start_run()
        output: list[str] = []
        open_fence: int | None = None  # index into run.fences while inside a box
        index = 0
        while index < len(lines):
            line = lines[index]
            lineno = index + 1
            code_end = fenced_code_end(lines, index)
            if code_end is not None:
                output.extend(lines[index : code_end + 1])
                index = code_end + 1
                continue
            opening = OPEN_LINE.match(line)
            if opening:
                if open_fence is not None:
                    raise TakeawaysError(
                        f'"::: takeaways" inside the takeaways block opened on line '
                        f"{run.fences[open_fence].lineno}; close that block with a line holding only ::: first",
                        lineno,
                    )
                run.fences.append(_Fence(lineno, parse_title(opening.group("rest"), lineno)))
                open_fence = len(run.fences) - 1
                # Blank lines around the marker make it a block of its own, whatever the author left around it.
                output.extend(["", f"{STX}takeaways-open:{open_fence}{ETX}", ""])
            elif CLOSE_LINE.match(line):
                if open_fence is None:
                    raise TakeawaysError('":::" closes nothing: no "::: takeaways" block is open here', lineno)
                output.extend(["", f"{STX}takeaways-close:{open_fence}{ETX}", ""])
                open_fence = None
            else:
                output.append(line)
            index += 1
        if open_fence is not None:
            raise TakeawaysError(UNCLOSED, run.fences[open_fence].lineno)
        return output


class TakeawaysBlockProcessor(BlockProcessor):
    """The blocks between an open and a close marker become the box."""

    def __init__(self, parser: Any, extension: TakeawaysExtension) -> None:
        super().__init__(parser)
        self.extension = extension

    def test(self, parent: Element, block: str) -> bool:
        return OPEN_MARKER.match(block.strip("\n")) is not None

    def run(self, parent: Element, blocks: list[str]) -> None:
        match = OPEN_MARKER.match(blocks.pop(0).strip("\n"))
        assert match is not None  # test() accepted this block
        number = int(match.group(1))
        run = self.extension.run
        fence = run.fences[number]
        inner: list[str] = []
        while blocks:
            block = blocks.pop(0)
            close = CLOSE_MARKER.match(block.strip("\n"))
            if close and int(close.group(1)) == number:
                break
            inner.append(block)
        else:
            raise TakeawaysError(UNCLOSED, fence.lineno)
        if not any(block.strip() for block in inner):
            raise TakeawaysError(
                'empty "::: takeaways" block; put bullet items ("- ...") between it and the closing :::',
                fence.lineno,
            )
        holder = Element("div")
        self.parser.parseBlocks(holder, inner)
        items = [item for child in holder if child.tag in LIST_TAGS for item in child if item.tag == "li"]
        if not items:
            raise TakeawaysError(
                '"::: takeaways" block has no list items; write each takeaway as a bullet ("- ...")',
                fence.lineno,
            )
        aside = SubElement(parent, "aside", {"class": BOX_CLASS})
        heading = SubElement(aside, "h2", {"class": TITLE_CLASS})
        heading.text = fence.title or self.extension.getConfig("title")
        listing = SubElement(aside, "ul")
        listing.extend(items)
        # Anything else the author wrote in the box stays in it, after the list, in the order written.
        aside.extend(child for child in holder if child.tag not in LIST_TAGS)
        fence.consumed = True
        run.boxes.append(aside)


class TakeawaysTreeprocessor(Treeprocessor):
    """Promote alias headings, place boxes, give them ids and report their items."""

    def __init__(self, md: Markdown, extension: TakeawaysExtension) -> None:
        super().__init__(md)
        self.extension = extension
        self.unescaper = UnescapeTreeprocessor(md)

    def run(self, root: Element) -> None:
        run = self.extension.run
        for fence in run.fences:
            if not fence.consumed:
                raise TakeawaysError(
                    '"::: takeaways" is only read at the top level of an article, '
                    "not inside raw HTML, a quote or a list item",
                    fence.lineno,
                )
        if self.extension.getConfig("autodetect"):
            self._promote_headings(root, run)
        created = {id(box) for box in run.boxes}
        boxes = [element for element in root.iter("aside") if id(element) in created]
        self._place(root, boxes)
        self._label(root, boxes)
        items = [self._item(li) for box in boxes for li in box[1] if li.tag == "li"]
        self.md.takeaways = items
        meta = getattr(self.md, "Meta", None)
        if isinstance(meta, dict) and items:
            meta["takeaways"] = [items]

    def _inner_html(self, element: Element) -> str:
        """The finished HTML inside ``element``, as it will read in the page (see ``_finished_inner_html``)."""
        return self._finished_inner_html(deepcopy(element))

    def _finished_inner_html(self, own: Element) -> str:
        """The finished HTML inside ``own``, an element no other tree holds, which this changes.

        Backslash escapes are restored in it before it is serialised (an
        escaped character must still be escaped in HTML), then the
        postprocessors put back stashed raw HTML and entities.
        """
        own.tail = None
        self.unescaper.run(own)
        serialized = self.md.serializer(own)
        inner = serialized[serialized.index(">") + 1 : serialized.rindex("<")] if len(own) or own.text else ""
        return run_postprocessors(inner, self.md)

    @staticmethod
    def _plain_text(fragment: str) -> str:
        return " ".join(html.unescape(strip_tags(fragment)).split())

    def _heading_text(self, heading: Element) -> str:
        text = words_of(heading)
        return self._plain_text(self._inner_html(heading)) if text is None else text

    def _promote_headings(self, root: Element, run: _Run) -> None:
        aliases = {alias_key(alias) for alias in self.extension.getConfig("aliases")}
        children = list(root)
        for index, heading in enumerate(children[:-1]):
            following = children[index + 1]
            if heading.tag not in HEADING_TAGS or following.tag != "ul":
                continue
            if alias_key(self._heading_text(heading)) not in aliases:
                continue
            position = list(root).index(heading)
            aside = Element("aside", {"class": BOX_CLASS})
            aside.text = "\n"
            aside.tail = following.tail or "\n"
            root.remove(heading)
            root.remove(following)
            heading.set("class", " ".join(filter(None, [heading.get("class"), TITLE_CLASS])))
            heading.tail = "\n"
            following.tail = "\n"
            aside.extend([heading, following])
            root.insert(position, aside)
            run.boxes.append(aside)

    def _place(self, root: Element, boxes: list[Element]) -> None:
        placement = self.extension.getConfig("placement")
        if placement == "as-authored" or not boxes:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for box in boxes:
            parent = parents[box]
            position = list(parent).index(box)
            if box.tail and box.tail.strip():  # keep text that trailed the box where it was
                if position:
                    previous = parent[position - 1]
                    previous.tail = (previous.tail or "") + box.tail
                else:
                    parent.text = (parent.text or "") + box.tail
            parent.remove(box)
            box.tail = "\n"
        if placement == "top":
            for offset, box in enumerate(boxes):
                root.insert(offset, box)
        else:
            root.extend(boxes)

    def _label(self, root: Element, boxes: list[Element]) -> None:
        used = set(self.extension.getConfig("reserved_ids"))
        used.update(element.get("id") for element in root.iter() if element.get("id"))
        for box in boxes:
            heading = box[0]
            if not heading.get("id"):
                heading.set("id", unique_id(slugify_heading(self._heading_text(heading)) or "takeaways", used))
            box.set("aria-labelledby", heading.get("id"))

    def _item(self, li: Element) -> Takeaway:
        """The inline part of a list item; nested lists and other blocks are left to the box."""
        copy = Element("li")
        paragraphs = [child for child in li if child.tag == "p"]
        if paragraphs:  # a loose list wraps each item in <p>
            for number, paragraph in enumerate(paragraphs):
                self._append_inline(copy, paragraph, " " if number else "")
        else:
            self._append_inline(copy, li)
        # ``copy`` holds copies of the item's elements: it is this item's own.
        inner = self._finished_inner_html(copy)
        return Takeaway(html=inner, text=self._plain_text(inner))

    @staticmethod
    def _append_inline(target: Element, source: Element, separator: str = "") -> None:
        lead = separator + (source.text or "")
        if len(target):
            target[-1].tail = (target[-1].tail or "") + lead
        else:
            target.text = (target.text or "") + lead
        for child in source:
            if child.tag in LIST_TAGS or child.tag in {"p", "div", "blockquote", "pre", "table", "aside"}:
                break
            target.append(deepcopy(child))


class TakeawaysExtension(Extension):
    """``::: takeaways`` blocks and promoted "Key Takeaways" headings as boxes."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "title": [DEFAULTS["TAKEAWAYS_TITLE"], "Title of a box written without one"],
            "aliases": [list(DEFAULTS["TAKEAWAYS_HEADING_ALIASES"]), "Heading texts promoted to a box"],
            "autodetect": [DEFAULTS["TAKEAWAYS_AUTODETECT"], "Promote alias headings followed by a list"],
            "placement": [DEFAULTS["TAKEAWAYS_PLACEMENT"], "as-authored, top or bottom"],
            "reserved_ids": [[], "Ids the page already uses outside the article body"],
        }
        super().__init__(**kwargs)
        self.run = _Run()

    def start_run(self) -> _Run:
        self.run = _Run()
        return self.run

    def reset(self) -> None:
        self.start_run()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.registerExtension(self)
        md.takeaways = []
        # After whitespace normalisation (30), before the meta preprocessor (27): every file line is still here.
        md.preprocessors.register(FencePreprocessor(md, self), "takeaways_fences", 28)
        # Markers are unforgeable, so the block processor can claim them before anything else looks.
        md.parser.blockprocessors.register(TakeawaysBlockProcessor(md.parser, self), "takeaways_block", 110)
        md.treeprocessors.register(TakeawaysTreeprocessor(md, self), "takeaways", 6)
