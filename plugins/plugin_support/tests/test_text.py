"""The shared text rules: emoji, heading ids, HTML as plain text."""

from __future__ import annotations

import html
import unicodedata
from xml.etree.ElementTree import Element

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import render_inner_html, strip_tags
from markdown.treeprocessors import Treeprocessor
from plugin_support.tests.markdown_properties import markdownish, marked_up_heading, site_markdown
from plugin_support.text import is_emoji, one_line, plain_text, slugify_heading, unique_id, words_of


@pytest.mark.parametrize("char", ["🎯", "🗣", "\ufe0f", "\u200d", "\u20e3", "🏽", "🇪", "©"])
def test_emoji_parts(char: str) -> None:
    assert is_emoji(char)


@pytest.mark.parametrize("char", ["a", "Ж", "7", " ", "-", "'", "•", "—", "é", "^", "`", "´", "＾"])
def test_text_is_not_emoji(char: str) -> None:
    assert not is_emoji(char)


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("🎯 A Trade-Off That Wasn't", "a-trade-off-that-wasnt"),
        ("📊 By the Numbers", "by-the-numbers"),
        ("🔑 Key Takeaways:", "key-takeaways"),
        ("Café au lait — Zürich", "cafe-au-lait-zurich"),
        ("👩🏽‍💻 Coders", "coders"),
        ("1️⃣ First", "1-first"),
        ("Rock ’n’ Roll", "rock-n-roll"),
        ("Ｆｕｌｌ width", "full-width"),
        ("🧭", ""),
        ("TL;DR:", "tl-dr"),
        ("E=mc^2 and `grep`", "e-mc-2-and-grep"),
    ],
)
def test_heading_slugs(heading: str, expected: str) -> None:
    assert slugify_heading(heading) == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_heading_slugs_are_lowercase_words_joined_by_single_hyphens(heading: str) -> None:
    slug = slugify_heading(heading)
    assert slug == slug.lower()
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert not any(char.isspace() or is_emoji(char) for char in slug)


def slug_one_character_at_a_time(heading: str) -> str:
    """The heading-id rule, one character at a time."""
    kept = []
    for char in unicodedata.normalize("NFKD", heading):
        if unicodedata.combining(char) or is_emoji(char) or char in "'’":
            continue
        kept.append(char.lower() if char.isalnum() else " ")
    return "-".join("".join(kept).split())


@settings(max_examples=500, deadline=None)
@given(
    st.text() | st.lists(st.sampled_from(["🎯", " ", "Wasn't", "Café", "Ｆｕｌｌ", "İ", "ß", "—", "1️⃣"])).map("".join)
)
def test_heading_slugs_follow_the_rule_for_every_character(heading: str) -> None:
    assert slugify_heading(heading) == slug_one_character_at_a_time(heading)


def test_unique_ids_count_up_from_two_and_are_recorded() -> None:
    used = {"main", "trade"}
    assert [unique_id("trade", used) for _ in range(3)] == ["trade-2", "trade-3", "trade-4"]
    assert unique_id("main", used) == "main-2"
    assert unique_id("news", used) == "news"
    assert used == {"main", "main-2", "news", "trade", "trade-2", "trade-3", "trade-4"}


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>Fish &amp; <em>chips</em>\n now</p>", "Fish & chips now"),
        ("<p>One.</p><p>Two.</p>", "One. Two."),
        ("<ul><li>a</li><li>b</li></ul>", "a b"),
        ("Line<br>break<BR/>again", "Line break again"),
        ("un<em>frigging</em>believable <a href='/x'>link</a>", "unfriggingbelievable link"),
        ("<h2 id='x'>Head</h2>Text", "Head Text"),
        ("5 &lt; 6 &nbsp; &#8217;", "5 < 6 ’"),
        ("  \t\n ", ""),
    ],
)
def test_plain_text(fragment: str, expected: str) -> None:
    assert plain_text(fragment) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</li>", "<em>", "<br>", "&amp;", "&nbsp;", " ", "\n", "a", "é"])).map("".join))
def test_plain_text_is_one_line_without_tags(fragment: str) -> None:
    text = plain_text(fragment)
    assert text == one_line(text)
    assert "<" not in text


def test_one_line() -> None:
    assert one_line(" A \n\t story\u00a0here  ") == "A story here"
    assert one_line(42) == "42"


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def headings_read_both_ways(source: str) -> list[tuple[str | None, str]]:
    """For each heading of ``source``, ``words_of`` and the text of its rendered HTML, as the site's Markdown sees it
    where the heading-id processors run."""
    found: list[tuple[str | None, str]] = []

    class BothWays(Treeprocessor):
        def run(self, root: Element) -> None:
            for heading in root.iter():
                if heading.tag in HEADINGS:
                    rendered = html.unescape(strip_tags(render_inner_html(heading, self.md)))
                    found.append((words_of(heading), " ".join(rendered.split())))

    markdown = site_markdown()
    markdown.treeprocessors.register(BothWays(markdown), "both_ways", 5.5)
    markdown.convert(source)
    return found


@settings(max_examples=300, deadline=None)
@given(markdownish, marked_up_heading)
def test_a_headings_words_read_from_the_tree_are_those_of_its_html(source: str, heading: str) -> None:
    for text in (source, f"## {heading}\n"):
        for from_tree, from_html in headings_read_both_ways(text):
            assert from_tree is None or from_tree == from_html


def test_headings_with_nothing_held_aside_are_read_from_the_tree() -> None:
    source = "## 🎯 A *Trade-Off* That `grep` Wasn't\n\n## Tariffs &amp; <b>chips</b>\n\n## Escaped \\*stars\\*\n"
    source += "\n## Code `x & y` and `a < b`\n\n## 3 < 4 > 2\n"
    found = headings_read_both_ways(source)
    assert found[0] == ("🎯 A Trade-Off That grep Wasn't", "🎯 A Trade-Off That grep Wasn't")
    # An entity, raw HTML and a backslash escape are placeholders until the postprocessors run.
    assert found[1] == (None, "Tariffs & chips")
    assert found[2] == (None, "Escaped *stars*")
    # A code span keeps "&" and "<" as entities, which only the round trip through HTML decodes.
    assert found[3] == (None, "Code x & y and a < b")
    assert found[4] == ("3 < 4 > 2", "3 < 4 > 2")
