"""Python-Markdown without the tests and searches that cannot find anything.

Python-Markdown reads a story in two stages, and in each it tries every one of
its processors in turn, whatever the text holds. Each block (a paragraph, a
list, a heading) is offered to some twenty block processors, most of which
look for a character of their own: a ``#`` for a heading, a ``>`` for a
quotation, a ``|`` for a table. Then each piece of text is searched by each
inline pattern: a link needs a ``[``, a code span a backtick, emphasis a
``*`` or an ``_``. Most of a news story is plain words. Here a processor or
pattern is skipped where the text holds none of its triggers (a test in C),
instead of running its test or search and Python-Markdown's bookkeeping
around it: converting a story takes about two fifths less time.

* ``TriggeredInlineProcessor`` takes the place of Markdown's ``inline`` tree
  processor. A pattern is skipped only where its search would find nothing,
  and a search that finds nothing changes nothing (the text, the position
  and the pattern's own state stay as they are); so each pattern is known by
  its class and its exact regular expression (``INLINE_TRIGGERS``), and any
  other pattern, or one of these a later Markdown changes, is always tried.
* ``TriggeredBlockParser`` is Markdown's block parser, offering each block
  only to the processors that could take it. A processor is skipped only
  where its test would say no, or its run would give the block back
  untouched (the footnote, abbreviation and reference processors take every
  block and give back those without a definition). That depends on the code
  of each processor's test and run, not only on its expression, so the
  processors (``BLOCK_TRIGGERS``, by class and expression) are skipped only
  under the Python-Markdown release they were read in (``BLOCKS_READ_IN``);
  under another, every block goes to every processor, as in Markdown itself.

``tests/test_markdown_triggers.py`` converts arbitrary text, house-style
articles and the bundled content with and without this extension and
compares the HTML.
"""

from __future__ import annotations

from typing import Any

import markdown
from markdown import Markdown, blockparser, blockprocessors, inlinepatterns, treeprocessors, util
from markdown.extensions import Extension, abbr, def_list, footnotes, md_in_html, sane_lists, tables

_NOT_AN_IMAGE = r"(?<!\!)"
_HTML = (
    r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|"""
    r"!--(?:(?!<!--|-->).)*--|"
    r"[?](?:(?!<[?]|[?]>).)*[?]|"
    r"!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\]"
    ")>)"
)

# Python-Markdown's inline patterns (3.11), by class and regular expression, with what every match of each
# holds: one of these texts. Each expression starts from its trigger or looks ahead for it.
INLINE_TRIGGERS: dict[tuple[type, str], tuple[str, ...]] = {
    (inlinepatterns.BacktickInlineProcessor, r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): ("`",),
    (inlinepatterns.EscapeInlineProcessor, r"\\(.)"): ("\\",),
    (footnotes.FootnoteInlineProcessor, r"\[\^([^\]]*)\]"): ("[^",),
    (inlinepatterns.ReferenceInlineProcessor, _NOT_AN_IMAGE + r"\["): ("[",),
    (inlinepatterns.LinkInlineProcessor, _NOT_AN_IMAGE + r"\["): ("[",),
    (inlinepatterns.ShortReferenceInlineProcessor, _NOT_AN_IMAGE + r"\["): ("[",),
    (inlinepatterns.ImageInlineProcessor, r"\!\["): ("![",),
    (inlinepatterns.ImageReferenceInlineProcessor, r"\!\["): ("![",),
    (inlinepatterns.ShortImageReferenceInlineProcessor, r"\!\["): ("![",),
    (inlinepatterns.AutolinkInlineProcessor, r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"): ("<",),
    (inlinepatterns.AutomailInlineProcessor, r"<([^<> !]+@[^@<> ]+)>"): ("<",),
    (inlinepatterns.SubstituteTagInlineProcessor, r"  \n"): ("  \n",),
    (inlinepatterns.HtmlInlineProcessor, _HTML): ("<",),
    (inlinepatterns.HtmlInlineProcessor, r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): ("&",),
    (inlinepatterns.DelimiterProcessor, r"\*|_"): ("*", "_"),
}

# The inline processor's own steps this one builds on: Python-Markdown names them privately.
_APPLY = "_InlineProcessor__applyPattern"
_HANDLE = "_InlineProcessor__handleInline"


def triggers_of(pattern: Any) -> tuple[str, ...] | None:
    """The texts one of which every match of ``pattern`` holds; None when not known (try it on everything)."""
    return INLINE_TRIGGERS.get((type(pattern), pattern.getCompiledRegExp().pattern))


class TriggeredInlineProcessor(treeprocessors.InlineProcessor):
    """Markdown's ``inline`` tree processor, trying on each text only the patterns it could match."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # In the registry's order, as the patterns' indexes are counted (a match's children go on from the
        # pattern after it); taken at each conversion, so a pattern registered later is not missed.
        self._patterns = tuple((pattern, triggers_of(pattern)) for pattern in self.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, pattern_index: int = 0) -> str:  # noqa: N802
        if isinstance(data, util.AtomicString):
            return data
        patterns = self._patterns
        apply_pattern = getattr(self, _APPLY)
        start = 0
        while pattern_index < len(patterns):
            pattern, triggers = patterns[pattern_index]
            if triggers is None or any(map(data.__contains__, triggers)):
                data, matched, start = apply_pattern(pattern, data, pattern_index, start)
                if matched:  # the same pattern again, after what it replaced
                    continue
            else:
                start = 0  # as after a search that found nothing
            pattern_index += 1
        return data


# Python-Markdown's block processors that look for something of their own, by class and the expression they
# look with (their test's, or their run's for those whose test takes every block), with what every block they
# take holds: one of these texts. Read in the release named below; the table takes a processor that does not
# look for a text of its own (an indented block, any block as a paragraph) never.
BLOCKS_READ_IN = "3.11.3"
BLOCK_TRIGGERS: dict[tuple[type, str], tuple[str, ...]] = {
    (md_in_html.MarkdownInHtmlProcessor, util.STX + "wzxhzdk:([0-9]+)" + util.ETX): (util.STX + "wzxhzdk:",),
    (tables.TableProcessor, ""): ("|",),
    (
        blockprocessors.HashHeaderProcessor,
        r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
    ): ("#",),
    (blockprocessors.SetextHeaderProcessor, r"^.*?\n(?:=+|-+)[ ]*(\n|$)"): ("\n=", "\n-"),
    (
        blockprocessors.HRProcessor,
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$",
    ): ("-", "_", "*"),
    (sane_lists.SaneUListProcessor, r"^[ ]{0,3}[*+-][ ]+(.*)"): ("*", "+", "-"),
    (def_list.DefListProcessor, r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)"): (":",),
    (blockprocessors.BlockQuoteProcessor, r"(^|\n)[ ]{0,3}>[ ]?(.*)"): (">",),
    (footnotes.FootnoteBlockProcessor, r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$"): ("[^",),
    (abbr.AbbrBlockprocessor, r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$"): ("*[",),
    (
        blockprocessors.ReferenceProcessor,
        r"""^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""",
    ): ("]:",),
}


def _expression_of(processor: Any) -> str:
    """The expression a block processor decides with, as ``BLOCK_TRIGGERS`` knows it ("" for none)."""
    if isinstance(processor, md_in_html.MarkdownInHtmlProcessor):
        return util.HTML_PLACEHOLDER_RE.pattern
    found = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return getattr(found, "pattern", "")


def block_triggers_of(processor: Any) -> tuple[str, ...] | None:
    """The texts one of which every block ``processor`` takes holds; None when not known (offer it every block)."""
    if markdown.__version__ != BLOCKS_READ_IN:
        return None
    return BLOCK_TRIGGERS.get((type(processor), _expression_of(processor)))


class TriggeredBlockParser(blockparser.BlockParser):
    """Markdown's block parser, offering each block only to the processors that could take it."""

    # The processors with their triggers, in the registry's order, worked out once per conversion (a story is
    # parsed in a few nested calls); like the inline patterns, read as the conversion starts.
    _offered: tuple[tuple[Any, tuple[str, ...] | None], ...] | None = None

    def parseDocument(self, lines: list[str]) -> Any:  # noqa: N802 (Python-Markdown's name)
        self._offered = self._with_triggers()
        try:
            return super().parseDocument(lines)
        finally:
            self._offered = None

    def _with_triggers(self) -> tuple[tuple[Any, tuple[str, ...] | None], ...]:
        return tuple((processor, block_triggers_of(processor)) for processor in self.blockprocessors)

    def parseBlocks(self, parent: Any, blocks: list[str]) -> None:  # noqa: N802 (Python-Markdown's name)
        processors = self._offered or self._with_triggers()
        while blocks:
            for processor, triggers in processors:
                block = blocks[0]
                if triggers is not None and not any(map(block.__contains__, triggers)):
                    continue
                # A processor that declines after taking the block gives it back: try the next one.
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    break


def builds_on_markdown() -> bool:
    """Whether this Markdown's inline processor has the steps this one builds on."""
    return all(callable(getattr(treeprocessors.InlineProcessor, name, None)) for name in (_APPLY, _HANDLE))


class TriggersExtension(Extension):
    """Try Markdown's processors and patterns only on the text they could match."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        if builds_on_markdown():
            md.treeprocessors.register(TriggeredInlineProcessor(md), "inline", 20)
        # Markdown makes its parser before extensions run, and every block processor keeps it: the parser
        # stays the same object, with this class's way of parsing blocks.
        if type(md.parser) is blockparser.BlockParser:
            md.parser.__class__ = TriggeredBlockParser
