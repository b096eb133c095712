"""Python-Markdown's inline stage without the searches that cannot find anything.

Python-Markdown turns a paragraph's text into code spans, links, images,
inline HTML, entities and emphasis by trying each of its inline patterns in
turn, one regular-expression search over the text each, whether or not the
text holds a single character the pattern could start from. Most of a news
story's text is plain words: a link needs a ``[``, a code span a backtick,
emphasis a ``*`` or an ``_``. ``TriggeredInlineProcessor`` takes the place of
Markdown's ``inline`` tree processor and skips a pattern when the text holds
none of its triggers, a test in C instead of a search and Python-Markdown's
bookkeeping around it; about a quarter of the time of converting a story.

The output is the same by construction: a pattern is skipped only where its
search would find nothing, and a search that finds nothing changes nothing
(the text, the position and the pattern's own state stay as they are). Only
Python-Markdown's own patterns are known, each by its class and its exact
regular expression (``TRIGGERS``); any other pattern, or one of these that a
later Markdown changes, is always tried. ``tests/test_inline_triggers.py``
converts arbitrary text with and without this processor and compares.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown, inlinepatterns, treeprocessors, util
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteInlineProcessor

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
TRIGGERS: dict[tuple[type, str], tuple[str, ...]] = {
    (inlinepatterns.BacktickInlineProcessor, r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): ("`",),
    (inlinepatterns.EscapeInlineProcessor, r"\\(.)"): ("\\",),
    (FootnoteInlineProcessor, r"\[\^([^\]]*)\]"): ("[^",),
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
    return TRIGGERS.get((type(pattern), pattern.getCompiledRegExp().pattern))


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


def builds_on_markdown() -> bool:
    """Whether this Markdown's inline processor has the steps this one builds on."""
    return all(callable(getattr(treeprocessors.InlineProcessor, name, None)) for name in (_APPLY, _HANDLE))


class InlineTriggersExtension(Extension):
    """Put ``TriggeredInlineProcessor`` in the place of Markdown's own ``inline`` tree processor."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        if builds_on_markdown():
            md.treeprocessors.register(TriggeredInlineProcessor(md), "inline", 20)
