"""The article_markup Markdown extension on Markdown strings."""

from __future__ import annotations

import markdown
import pytest
from article_markup import extension
from article_markup.extension import ArticleMarkupExtension, slugify_heading
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st


def render(text: str, **config) -> BeautifulSoup:
    md = markdown.Markdown(extensions=["meta", "extra", ArticleMarkupExtension(**config)])
    return BeautifulSoup(md.convert(text), "html.parser")


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("🎯 A Trade-Off That Wasn't", "a-trade-off-that-wasnt"),
        ("📊 By the Numbers", "by-the-numbers"),
        ("Café au lait — Zürich", "cafe-au-lait-zurich"),
        ("👩🏽‍💻 Coders", "coders"),
        ("🧭", ""),
        ("TL;DR:", "tl-dr"),
    ],
)
def test_slugify_drops_emoji_and_punctuation(heading: str, expected: str) -> None:
    assert slugify_heading(heading) == expected


def test_heading_ids_are_unique_and_never_empty() -> None:
    page = render("## 🧭\n\n## 🧭\n\n## 📊 By the Numbers\n\n## 📊 By the Numbers\n\n## Main\n")
    ids = [h["id"] for h in page.find_all("h2")]
    assert ids == ["section", "section-2", "by-the-numbers", "by-the-numbers-2", "main-2"]


def test_existing_ids_are_kept_and_avoided() -> None:
    page = render("## Chosen {: #by-the-numbers }\n\n## 📊 By the Numbers\n")
    assert [h["id"] for h in page.find_all("h2")] == ["by-the-numbers", "by-the-numbers-2"]


def test_heading_id_ignores_smart_quote_entities() -> None:
    page = render("## 🎯 A Trade-Off That Wasn't & More\n")
    assert page.h2["id"] == "a-trade-off-that-wasnt-more"
    assert page.h2.get_text() == "🎯 A Trade-Off That Wasn’t & More"


@pytest.mark.parametrize(
    "paragraph",
    [
        '🗣️ "We will not move first," said Ana Costa, trade minister.',
        "🗣️ “We will not move first,” said Ana Costa, trade minister.",
        '💬 "We will not move first," Ana Costa, trade minister, said.',
    ],
)
def test_said_paragraph_becomes_a_pull_quote(paragraph: str) -> None:
    page = render(f"Intro.\n\n{paragraph}\n\nOutro.\n")
    figure = page.select_one("figure.pull-quote")
    assert figure.blockquote.get_text(strip=True) == "We will not move first."
    assert figure.figcaption.get_text(strip=True).startswith("Ana Costa, trade minister")
    assert figure.select_one(".pull-quote-mark")["aria-hidden"] == "true"
    assert [p.get_text() for p in page.find_all("p", recursive=False)] == ["Intro.", "Outro."]


def test_inline_markdown_in_a_pull_quote_is_rendered() -> None:
    page = render('🗣️ "This is *not* a drill," said [Ana Costa](https://example.org).\n')
    assert page.select_one("figure.pull-quote blockquote em").get_text() == "not"
    assert page.select_one("figure.pull-quote figcaption a")["href"] == "https://example.org"


@pytest.mark.parametrize(
    "paragraph",
    [
        '🗣️ “We will <a href="https://example.org/vote">not</a> move first,” Ana Costa said.',
        '🗣️ “We will <a href="https://example.org/vote">not</a> move first,” said Ana Costa.',
        '🗣️ "We will <span title=\'"Go," said the memo\'>not</span> move first," said Ana Costa.',
        '🗣️ "We will <b>not</b> move first," <a href="https://example.org/ana">Ana Costa</a> said.',
    ],
)
def test_quotation_marks_inside_inline_html_do_not_end_the_quote(paragraph: str) -> None:
    page = render(paragraph + "\n")
    figure = page.select_one("figure.pull-quote")
    assert " ".join(figure.blockquote.get_text().split()) == "We will not move first."
    assert figure.blockquote.select_one("a, span, b").get_text() == "not"
    assert figure.figcaption.get_text(strip=True) == "Ana Costa"


@pytest.mark.parametrize(
    "paragraph",
    [
        '"No emoji," said Ana Costa.',
        "🗣️ No quotation here, said Ana Costa.",
        '🗣️ "A quote with no attribution."',
        '`` "We will not move first," said Ana Costa. `` is how to write one.',
        '^ "Markdown syntax is no emoji," said Ana Costa.',
    ],
)
def test_other_paragraphs_are_left_alone(paragraph: str) -> None:
    page = render(paragraph + "\n")
    assert page.find("figure") is None
    assert page.p is not None


def test_blockquote_with_dash_attribution_becomes_a_pull_quote() -> None:
    page = render('> "Freight is a lagging signal."\n>\n> — Lena Park, analyst at Northway\n\nAfter.\n')
    figure = page.select_one("figure.pull-quote")
    assert figure.blockquote.get_text(strip=True) == "“Freight is a lagging signal.”"
    assert figure.figcaption.get_text(strip=True) == "Lena Park, analyst at Northway"
    assert page.find_all("p", recursive=False)[-1].get_text() == "After."


def test_plain_blockquote_stays_a_blockquote() -> None:
    page = render("> Just a quoted passage.\n>\n> And a second paragraph.\n")
    assert page.find("figure") is None
    assert len(page.blockquote.find_all("p")) == 2


def test_reading_time_reaches_pelican_metadata() -> None:
    md = markdown.Markdown(extensions=["meta", ArticleMarkupExtension(words_per_minute=100)])
    md.convert("Title: Words\n\n" + "word " * 250)
    assert md.Meta["reading_time"] == [3]
    assert md.Meta["word_count"] == [250]


def test_short_article_reads_in_one_minute() -> None:
    md = markdown.Markdown(extensions=["meta", ArticleMarkupExtension()])
    md.convert("Title: Short\n\nTwo words.")
    assert md.Meta["reading_time"] == [1]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('She said "yes" and left.', "She said “yes” and left."),
        ("It wasn't the '90s any more.", "It wasn’t the ’90s any more."),
        ("A 'quoted' word.", "A ‘quoted’ word."),
        ("Prices rose -- sharply --- then fell...", "Prices rose – sharply — then fell…"),
        ('("Bracketed")', "(“Bracketed”)"),
    ],
)
def test_typography_in_plain_text(source: str, expected: str) -> None:
    assert render(source + "\n").p.get_text() == expected


def test_typography_follows_quotes_across_inline_elements() -> None:
    page = render('"Tariffs are *back*," she said. The *"plan"* holds.\n')
    assert page.p.get_text() == "“Tariffs are back,” she said. The “plan” holds."


def test_typography_leaves_code_as_written() -> None:
    page = render('Run `say "hi" -- now` then "quote".\n\n    literal "block" -- here\n')
    assert page.p.code.get_text() == 'say "hi" -- now'
    assert page.p.get_text().endswith("then “quote”.")
    assert page.pre.get_text() == 'literal "block" -- here\n'


def test_typography_can_be_switched_off() -> None:
    assert render('"plain" -- text\n', typography=False).p.get_text() == '"plain" -- text'


def smarten_every_time(text: str, before: str) -> str:
    """``smarten`` without its shortcut for text with nothing to change."""
    marked = before + text.replace("---", "—").replace("--", "–").replace("...", "…")
    marked = extension.APOSTROPHE.sub("’", marked)
    marked = extension.OPEN_DOUBLE.sub("“", marked).replace('"', "”")
    marked = extension.OPEN_SINGLE.sub("‘", marked).replace("'", "’")
    return marked[len(before) :]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(["'", '"', "-", ".", " ", "a", "1", "90s", "(", "\n"]) | st.text(max_size=3)).map("".join),
    st.sampled_from([" ", "x", "(", "'"]),
)
def test_typography_shortcut_changes_nothing_it_should_not(text: str, before: str) -> None:
    assert extension.smarten(text, before) == smarten_every_time(text, before)
