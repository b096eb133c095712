"""Markdown trying only the processors and patterns a text could match: the same HTML, fewer tests."""

from __future__ import annotations

from pathlib import Path

import markdown as python_markdown
import pytest
from fast_build.markdown_triggers import (
    TriggeredBlockParser,
    TriggeredInlineProcessor,
    TriggersExtension,
    block_triggers_of,
    triggers_of,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from pelican import Pelican
from pelican.readers import Readers
from pelican.settings import read_settings
from plugin_support.tests.markdown_properties import house_article, markdownish, site_markdown, site_subject

ROOT = Path(__file__).resolve().parents[3]

# What Markdown's patterns and block processors look for, with near misses, so that generated text meets each.
SYNTAX = [
    *"`\\[]()!<>&*_^@:/",
    *("  \n", "[^1]", "[^1]: note", "![", "![alt](a.png)", "[a](/b/)", "[a][b]", "[b]: /c/", "<https://a.example/>"),
    *("<a@b.example>", "&#169;", "&#x41;", "&copy;", "&bogus", "\\`", "``", "**", "__", "***", "_a_", "*a*"),
    *("<span>", "</span>", "<!-- c -->", "<?p?>", "<![CDATA[x]]>", "{filename}a.md", "{static}a.png"),
    *("\n# ", "\n### ", "\n> ", "\n>> ", "\n===\n", "\n---\n", "\n* * *\n", "\n___\n", "\n- ", "\n+ ", "\n1. "),
    *("\n| a | b |\n|---|:-:|\n| c | d |\n", "| a |\n", "\nTerm\n:   Definition\n", "\n*[EU]: European Union\n"),
    *(
        '\n[id]: /x/ "T"\n',
        "\n[id]:/y/\n",
        "\n[^1]: A note.\n",
        "\n    code\n",
        '\n<div markdown="1">\n*a*\n</div>\n',
        "\n\n",
    ),
]
inline_text = st.lists(
    st.one_of(markdownish, st.sampled_from(SYNTAX), st.sampled_from([" ", "\n", "\n\n", "word"])),
    max_size=30,
).map("".join)


def converted(text: str, *extensions) -> str:
    """The HTML of ``text`` with the site's Markdown and our extensions, or the authoring error it raised."""
    try:
        return site_markdown(*site_subject().extensions, *extensions).convert(text)
    except Exception as error:  # an article the author must fix fails the same way either way
        return f"{type(error).__name__}: {error}"


def test_every_inline_pattern_of_the_site_is_known() -> None:
    # A newer Markdown that changed one of them makes it tried on everything again: slower, never wrong.
    markdown = site_markdown(*site_subject().extensions, TriggersExtension())
    assert [type(pattern).__name__ for pattern in markdown.inlinePatterns if triggers_of(pattern) is None] == []
    assert isinstance(markdown.treeprocessors["inline"], TriggeredInlineProcessor)


def test_every_block_processor_that_looks_for_a_text_of_its_own_is_known() -> None:
    markdown = site_markdown(*site_subject().extensions, TriggersExtension())
    assert type(markdown.parser) is TriggeredBlockParser
    offered_every_block = {
        type(each).__name__ for each in markdown.parser.blockprocessors if not block_triggers_of(each)
    }
    # Indented blocks, numbered lists and our own blocks (takeaways, sign-up markers, pull quotes) start from
    # a line's beginning or an emoji rather than from a text of their own; a paragraph takes anything.
    assert offered_every_block == {
        "TakeawaysBlockProcessor",
        "EmptyBlockProcessor",
        "ListIndentProcessor",
        "DefListIndentProcessor",
        "CodeBlockProcessor",
        "SaneOListProcessor",
        "SubscribeMarker",
        "SaidPullQuote",
        "ParagraphProcessor",
    }


def test_under_another_markdown_release_every_block_goes_to_every_processor(monkeypatch) -> None:
    markdown = site_markdown(TriggersExtension())
    monkeypatch.setattr(python_markdown, "__version__", "3.12.0")
    assert [block_triggers_of(each) for each in markdown.parser.blockprocessors] == [None] * len(
        markdown.parser.blockprocessors
    )


def test_the_build_converts_with_it() -> None:
    build = Pelican(read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(ROOT / "content")}))
    markdown = Markdown(**Readers(build.settings).readers["md"].settings["MARKDOWN"])
    assert isinstance(markdown.treeprocessors["inline"], TriggeredInlineProcessor)
    assert type(markdown.parser) is TriggeredBlockParser


def test_a_plain_paragraph_is_offered_only_to_the_processors_that_take_any_block() -> None:
    markdown = site_markdown(TriggersExtension())
    offered = []

    def noting(processor):
        test = processor.test

        def noted(parent, block):
            offered.append(type(processor).__name__)
            return test(parent, block)

        return noted

    for processor in markdown.parser.blockprocessors:
        processor.test = noting(processor)
    assert markdown.convert("Ministers met on Tuesday.") == "<p>Ministers met on Tuesday.</p>"
    assert offered == [
        "EmptyBlockProcessor",
        "ListIndentProcessor",
        "DefListIndentProcessor",
        "CodeBlockProcessor",
        "SaneOListProcessor",
        "ParagraphProcessor",
        "EmptyBlockProcessor",  # the empty block Markdown's reading leaves after the last line
    ]
    offered.clear()
    assert markdown.convert("## Heading").startswith("<h2")
    assert "HashHeaderProcessor" in offered and "TableProcessor" not in offered


def test_plain_words_meet_no_pattern_and_a_link_meets_only_its_own() -> None:
    markdown = site_markdown(TriggersExtension())
    processor = markdown.treeprocessors["inline"]
    tried = []
    apply_pattern = processor._InlineProcessor__applyPattern

    def counting(pattern, data, index, start=0):
        tried.append(type(pattern).__name__)
        return apply_pattern(pattern, data, index, start)

    processor._InlineProcessor__applyPattern = counting
    assert markdown.convert("Ministers met on Tuesday. Nothing was agreed.") == (
        "<p>Ministers met on Tuesday. Nothing was agreed.</p>"
    )
    assert tried == []
    assert markdown.convert("See [the report](/report/).") == '<p>See <a href="/report/">the report</a>.</p>'
    # The reference pattern finds no reference; once the link is held aside, no "[" is left for the others.
    assert tried == ["ReferenceInlineProcessor", "LinkInlineProcessor"]


def test_a_pattern_it_does_not_know_is_tried_on_everything() -> None:
    # Smarty's quotes start from characters no table here lists, and its own HTML pattern is stricter.
    text = 'He said "it\'s done" -- twice... <b>Yes</b> & no.'
    with_smarty = site_markdown("smarty", TriggersExtension()).convert(text)
    assert with_smarty == site_markdown("smarty").convert(text)
    assert "&ldquo;" in with_smarty and "&mdash;" not in with_smarty and "&ndash;" in with_smarty


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inline_text)
def test_arbitrary_text_converts_to_the_same_html(text: str) -> None:
    assert converted(text, TriggersExtension()) == converted(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(house_article())
def test_house_style_articles_convert_to_the_same_html(article) -> None:
    assert converted(article.source, TriggersExtension()) == converted(article.source)


@pytest.mark.parametrize("path", sorted((ROOT / "content").rglob("*.md")), ids=lambda path: path.name)
def test_every_bundled_article_converts_to_the_same_html(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert converted(text, TriggersExtension()) == converted(text)
