"""``[subscribe]`` on a line of its own marks where an inline sign-up form goes."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.preprocessors import Preprocessor
from plugin_support.fences import fenced_code_end

from .providers import INLINE_PLACEHOLDER, MARKER


class SubscribeLines(Preprocessor):
    """Put blank lines around every ``[subscribe]`` line outside fenced code: the marker is always a block.

    Without them, a marker line right under a list item or a paragraph would
    be read as part of it, and the lines after it would change meaning.
    """

    def run(self, lines: list[str]) -> list[str]:
        output: list[str] = []
        index = 0
        while index < len(lines):
            code_end = fenced_code_end(lines, index)
            if code_end is not None:
                output.extend(lines[index : code_end + 1])
                index = code_end + 1
                continue
            if lines[index].strip() == MARKER:
                output.extend(["", lines[index], ""])
            else:
                output.append(lines[index])
            index += 1
        return output


class SubscribeMarker(BlockProcessor):
    """Replace a ``[subscribe]`` line with a placeholder the article template fills.

    The placeholder is an HTML comment, so wherever the body is shown without
    the template (feeds, summaries) the marker leaves nothing visible.
    """

    def test(self, parent: Element, block: str) -> bool:
        return any(line.strip() == MARKER for line in block.split("\n"))

    def run(self, parent: Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        at = next(i for i, line in enumerate(lines) if line.strip() == MARKER)
        before, after = "\n".join(lines[:at]), "\n".join(lines[at + 1 :])
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        # A stashed block-level fragment comes out verbatim, not inside a <p>.
        SubElement(parent, "p").text = self.parser.md.htmlStash.store(INLINE_PLACEHOLDER)
        if after.strip():
            blocks.insert(0, after)


class SubscribeExtension(Extension):
    """Registers the ``[subscribe]`` block processor."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.registerExtension(self)
        # Above paragraphs (10) so the marker never becomes text; below code
        # blocks (80), so an indented "[subscribe]" stays a code sample.
        md.parser.blockprocessors.register(SubscribeMarker(md.parser), "subscribe_marker", 16)
        # Before fenced_code (25) turns fences into placeholders, after whitespace is normalised (30).
        md.preprocessors.register(SubscribeLines(md), "subscribe_lines", 27)
