"""The definitions the Markdown property tests share: words, well-formedness, the site's converter, generated text."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from plugin_support.tests.markdown_properties import (
    Subject,
    Written,
    check_conversion,
    house_article,
    is_subscribe_line,
    lost_words,
    markers_as_blocks,
    site_markdown,
    unescape_entities,
    well_formed_problem,
    words,
)


def test_words_are_runs_of_letters_and_digits() -> None:
    assert words("Wasn’t a Trade-Off: snake_case, 3.5% of 日本 🎯 café") == Counter(
        ["Wasn", "t", "a", "Trade", "Off", "snake", "case", "3", "5", "of", "日本", "café"]
    )


def test_only_entities_markdown_recognises_are_decoded() -> None:
    assert unescape_entities("&copyright &copy; AT&T &amp; &#169; &#xA9; &bogus;") == "&copyright © AT&T & © © &bogus;"


def test_lost_words_count_repeats_and_allow_consumed_markers() -> None:
    assert lost_words(words("said said hello"), "<p>said hello</p>") == Counter({"said": 1})
    assert lost_words(words("said said hello"), "<p>hello</p>", Counter({"said": 2})) == Counter()


def test_the_converter_is_configured_like_the_site() -> None:
    html = site_markdown().convert("| a |\n|---|\n| b |\n\nline  \nbreak\n\n3. three\n\n* star\n")
    assert "<table>" in html
    assert "<br>" in html and "<br />" not in html  # output_format html5
    assert '<ol start="3">' in html and "<ul>" in html  # sane_lists: a new marker type starts a new list


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>Plain &amp; simple &nbsp;&copy; &bogus;</p>",
        '<p>A<br>B</p>\n<hr>\n<p><img alt="x" src="y.png"></p>',
        "<!--atlas-subscribe-inline-->",
        "",
    ],
)
def test_well_formed_fragments(fragment: str) -> None:
    assert well_formed_problem(fragment) is None


@pytest.mark.parametrize(
    ("fragment", "problem"),
    [
        ("<p><em>a</p></em>", "a strict parser rejects it"),
        ("<figcaption>b</span></figcaption>", "a strict parser rejects it"),
        ("<p>a<![CDATA[x]]></p>", "the HTML parser reads"),
        ("<script>a &amp; b</script>", "the HTML parser reads"),
        ("<p>a<div>b</div></p>", "<p> holds a <div>"),
        ("<h2><figure>q</figure></h2>", "<h2> holds a <figure>"),
    ],
)
def test_badly_formed_fragments(fragment: str, problem: str) -> None:
    assert well_formed_problem(fragment).startswith(problem)


def test_marker_lines_become_blocks_of_their_own_inside_their_quotes() -> None:
    source = "a\r\n[subscribe]\n1. b\n> c\n> [subscribe]\n> d"
    assert markers_as_blocks(source, is_subscribe_line) == "a\n\n[subscribe]\n\n1. b\n> c\n>\n> [subscribe]\n>\n> d"


class DropLastParagraph(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        paragraphs = [child for child in root if child.tag == "p"]
        if paragraphs:
            root.remove(paragraphs[-1])


class BreakNesting(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for paragraph in root.iter("p"):
            etree.SubElement(paragraph, "div").text = "x"


def toy(processor: type[Treeprocessor]) -> Subject:
    class ToyExtension(Extension):
        def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
            md.treeprocessors.register(processor(md), "toy", 1)

    return Subject([ToyExtension()], lambda source, output: Counter())


def test_the_properties_catch_a_lost_word() -> None:
    with pytest.raises(AssertionError, match="lost"):
        check_conversion(toy(DropLastParagraph), "First.\n\nLast words.\n")


def test_the_properties_catch_html_a_browser_would_take_apart() -> None:
    with pytest.raises(AssertionError, match="holds a <div>"):
        check_conversion(toy(BreakNesting), "Words.\n", "Words.")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=house_article())
def test_house_style_words_are_what_markdown_shows(article: Written) -> None:
    html = site_markdown().convert(article.source)
    assert not lost_words(words(unescape_entities(article.words)), html)
    assert well_formed_problem(html) is None
