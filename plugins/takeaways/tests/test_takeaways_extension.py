"""The takeaways Markdown extension on Markdown strings, with the site's Markdown extensions."""

from __future__ import annotations

import pytest
from article_markup.extension import ArticleMarkupExtension
from bs4 import BeautifulSoup
from markdown import Markdown
from takeaways.extension import Takeaway, TakeawaysError, TakeawaysExtension, alias_key, validate_settings

SITE_EXTENSIONS = ["meta", "extra", "sane_lists"]


def convert(source: str, *, anchors: bool = False, **config) -> tuple[BeautifulSoup, Markdown]:
    extensions = [*SITE_EXTENSIONS, TakeawaysExtension(**config)]
    if anchors:
        extensions.append(ArticleMarkupExtension())
    md = Markdown(extensions=extensions, output_format="html5")
    return BeautifulSoup(md.convert(source), "html.parser"), md


def boxes(soup: BeautifulSoup) -> list:
    return soup.select("aside.key-takeaways")


def box_heading(box):
    heading = box.find(id=box["aria-labelledby"])
    assert heading is not None and heading.name in {"h1", "h2", "h3", "h4", "h5", "h6"}
    assert heading is box.find(True), "the heading opens the box"
    return heading


def item_texts(box) -> list[str]:
    return [li.get_text(" ", strip=True) for li in box.ul.find_all("li", recursive=False)]


def error_from(source: str, **config) -> TakeawaysError:
    with pytest.raises(TakeawaysError) as caught:
        convert(source, **config)
    assert isinstance(caught.value, ValueError)
    return caught.value


def line_of(source: str, needle: str, occurrence: int = 1) -> int:
    lines = [number for number, line in enumerate(source.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


FENCED = """Opening paragraph.

::: takeaways
- No progress on military-use exports
- Beijing links this to chip restrictions
:::

Closing paragraph.
"""


def test_fenced_block_renders_an_aside_with_heading_and_list() -> None:
    soup, md = convert(FENCED)
    (box,) = boxes(soup)
    heading = box_heading(box)
    assert heading.get_text() == "Key Takeaways"
    assert item_texts(box) == ["No progress on military-use exports", "Beijing links this to chip restrictions"]
    assert [p.get_text() for p in soup.find_all("p", recursive=False)] == ["Opening paragraph.", "Closing paragraph."]
    assert [item.text for item in md.takeaways] == item_texts(box)
    assert "::: takeaways" not in soup.get_text() and ":::" not in soup.get_text()


@pytest.mark.parametrize(
    "opening", ['::: takeaways "What it means"', "::: takeaways “What it means”", ':::Takeaways  "What it means" ']
)
def test_custom_title(opening: str) -> None:
    soup, _ = convert(f"{opening}\n- One point\n:::\n")
    (box,) = boxes(soup)
    assert box_heading(box).get_text() == "What it means"
    assert box_heading(box)["id"] == "what-it-means"


def test_title_setting_is_the_default_title() -> None:
    soup, _ = convert("::: takeaways\n- One point\n:::\n", title="In short")
    assert box_heading(boxes(soup)[0]).get_text() == "In short"


def test_items_keep_inline_markdown() -> None:
    source = (
        "::: takeaways\n"
        "- Floors set **per model**, not per company\n"
        "- See [the summit](https://example.org/summit) and `HS 8703`\n"
        "- It's *not* a tariff & A\\*B <abbr>EU</abbr>\n"
        ":::\n"
    )
    soup, md = convert(source)
    box = boxes(soup)[0]
    assert box.ul.li.strong.get_text() == "per model"
    link = box.ul.find("a")
    assert link["href"] == "https://example.org/summit" and link.get_text() == "the summit"
    assert box.ul.find("code").get_text() == "HS 8703"
    first, second, third = md.takeaways
    assert "<strong>per model</strong>" in first.html and first.text == "Floors set per model, not per company"
    assert (
        '<a href="https://example.org/summit">the summit</a>' in second.html and "<code>HS 8703</code>" in second.html
    )
    assert second.text == "See the summit and HS 8703"
    assert "<em>not</em>" in third.html and "<abbr>EU</abbr>" in third.html
    assert third.text == "It's not a tariff & A*B EU"
    # The item HTML is a fragment that parses back to the same words as the rendered item.
    assert BeautifulSoup(third.html, "html.parser").get_text() == third.text


def test_loose_list_items_give_inline_html_without_paragraphs() -> None:
    soup, md = convert("::: takeaways\n- First point\n\n- Second point\n:::\n")
    assert [item.html for item in md.takeaways] == ["First point", "Second point"]
    assert item_texts(boxes(soup)[0]) == ["First point", "Second point"]


def test_nested_list_stays_in_the_box_but_not_in_the_item_text() -> None:
    soup, md = convert("::: takeaways\n- Outer point\n    - inner detail\n- Second\n:::\n")
    assert "inner detail" in boxes(soup)[0].get_text()
    assert [item.text for item in md.takeaways] == ["Outer point", "Second"]


@pytest.mark.parametrize(
    ("source", "needle", "message"),
    [
        ("Intro.\n\n::: takeaways\n:::\n", "::: takeaways", "empty"),
        ("Intro.\n\n::: takeaways\n\n\n:::\n", "::: takeaways", "empty"),
        ("Intro.\n\n::: takeaways\nJust a sentence.\n:::\n", "::: takeaways", "no list items"),
        ("Intro.\n\n::: takeaways\n- a point\n\nMore text.\n", "::: takeaways", "never closed"),
        ("Intro.\n\n:::\n", ":::", "closes nothing"),
        ("Intro.\n\n::: takeaways What it means\n- a\n:::\n", "::: takeaways", "double quotes"),
        ('Intro.\n\n::: takeaways ""\n- a\n:::\n', "::: takeaways", "empty"),
        ("<div>\n::: takeaways\n- a\n:::\n</div>\n", "::: takeaways", "top level"),
    ],
)
def test_bad_blocks_are_errors_with_the_line(source: str, needle: str, message: str) -> None:
    error = error_from(source)
    assert message in str(error)
    assert error.lineno == line_of(source, needle)


def test_nested_block_reports_the_inner_opening() -> None:
    source = "Intro.\n\n::: takeaways\n- a\n\n::: takeaways\n- b\n:::\n"
    error = error_from(source)
    assert error.lineno == line_of(source, "::: takeaways", occurrence=2)
    assert f"line {line_of(source, '::: takeaways')}" in str(error)


def test_line_numbers_count_the_front_matter() -> None:
    source = "Title: A story\nSummary: Something.\n\nFirst paragraph.\n\n::: takeaways\n\n:::\n"
    assert error_from(source).lineno == 6


def test_stray_paragraphs_stay_in_the_box_after_the_list() -> None:
    source = "::: takeaways\nBefore the list.\n\n- One\n- Two\n\nAfter the list.\n:::\n"
    soup, md = convert(source)
    box = boxes(soup)[0]
    children = [child.name for child in box.find_all(True, recursive=False)]
    assert children == ["h2", "ul", "p", "p"]
    assert [p.get_text() for p in box.find_all("p", recursive=False)] == ["Before the list.", "After the list."]
    assert [item.text for item in md.takeaways] == ["One", "Two"]


def test_two_boxes_both_render_with_distinct_ids() -> None:
    source = "::: takeaways\n- First box\n:::\n\nMiddle.\n\n::: takeaways\n- Second box\n:::\n"
    soup, md = convert(source, anchors=True)
    first, second = boxes(soup)
    assert box_heading(first)["id"] != box_heading(second)["id"]
    assert [item.text for item in md.takeaways] == ["First box", "Second box"]
    assert md.Meta["takeaways"] == [md.takeaways]


def test_crlf_line_endings() -> None:
    source = 'Title: CRLF\r\n\r\nIntro.\r\n\r\n::: takeaways "Windows"\r\n- One\r\n- Two\r\n:::\r\n\r\nEnd.\r\n'
    soup, md = convert(source)
    assert box_heading(boxes(soup)[0]).get_text() == "Windows"
    assert [item.text for item in md.takeaways] == ["One", "Two"]
    bad = "Title: CRLF\r\n\r\nIntro.\r\n\r\n::: takeaways\r\n- One\r\n"
    assert error_from(bad).lineno == 5


def test_block_at_the_very_start_and_end_without_newline() -> None:
    soup, md = convert("::: takeaways\n- Only point\n:::")
    assert [item.text for item in md.takeaways] == ["Only point"]
    assert item_texts(boxes(soup)[0]) == ["Only point"]
    soup, md = convert("Title: Front matter\n\n::: takeaways\n- Right after the front matter\n:::")
    assert md.Meta["title"] == ["Front matter"]
    assert [item.text for item in md.takeaways] == ["Right after the front matter"]
    assert soup.find(True) is boxes(soup)[0]


def test_fences_need_no_blank_lines_around_them() -> None:
    soup, md = convert("A paragraph.\n::: takeaways\n- One\n:::\nNext paragraph.\n")
    assert [item.text for item in md.takeaways] == ["One"]
    assert [p.get_text() for p in soup.find_all("p", recursive=False)] == ["A paragraph.", "Next paragraph."]


def test_fences_in_code_and_quotes_are_left_alone() -> None:
    source = "```\n::: takeaways\n- not a box\n:::\n```\n\n> ::: takeaways\n> - quoted\n\n    ::: takeaways\n"
    soup, md = convert(source)
    assert boxes(soup) == [] and md.takeaways == []
    assert "- not a box" in soup.pre.get_text()
    assert "::: takeaways" in soup.blockquote.get_text()


@pytest.mark.parametrize(
    "opening", ["```python extra words", "``` {.python", "``` {.python}}", "```python hl_lines='1"]
)
def test_fences_in_code_opened_after_a_line_markdown_rejects_are_left_alone(opening: str) -> None:
    # Markdown reads the first line as text, so its closing ``` opens the code block that holds the fences.
    source = f"{opening}\nprint()\n```\n::: takeaways\n- not a box\n```\n"
    soup, md = convert(source)
    assert boxes(soup) == [] and md.takeaways == []
    assert soup.pre.get_text() == "::: takeaways\n- not a box\n"


@pytest.mark.parametrize(
    "heading",
    [
        "## 🔑 Key Takeaways",
        "## 🔑 Key Takeaways:",
        "## KEY POINTS",
        "## TL;DR",
        "## TL;DR:",
        "### takeaways",
        "## Key-Takeaways!",
    ],
)
def test_alias_headings_followed_by_a_list_are_promoted(heading: str) -> None:
    source = f"Intro.\n\n{heading}\n\n- One\n- Two\n\nAfter.\n"
    soup, md = convert(source, anchors=True)
    (box,) = boxes(soup)
    title = box_heading(box)
    level, text = heading.split(" ", 1)
    assert title.name == f"h{len(level)}"
    assert title.get_text() == BeautifulSoup(Markdown().convert(text), "html.parser").get_text()
    assert item_texts(box) == ["One", "Two"]
    assert soup.find_all("p")[-1].get_text() == "After."
    assert [item.text for item in md.takeaways] == ["One", "Two"]


def test_promoted_heading_keeps_its_emoji_and_anchor() -> None:
    soup, _ = convert("## 🔑 Key Takeaways\n\n- One\n", anchors=True)
    heading = box_heading(boxes(soup)[0])
    assert heading.get_text() == "🔑 Key Takeaways"
    assert heading["id"] == "key-takeaways"


@pytest.mark.parametrize(
    "source",
    [
        "## By the Numbers\n\n- One\n- Two\n",
        "## Key Takeaways\n\nA paragraph, not a list.\n",
        "## Key Takeaways\n\n1. A numbered list\n",
        "## Key Takeaways and more\n\n- One\n",
        "> ## Key Takeaways\n>\n> - quoted\n",
    ],
)
def test_headings_that_do_not_qualify_stay_as_written(source: str) -> None:
    soup, md = convert(source, anchors=True)
    assert boxes(soup) == [] and md.takeaways == []
    assert "takeaways" not in md.Meta
    assert soup.find(["h2"]) is not None


def test_autodetect_off_leaves_alias_headings_alone() -> None:
    source = "## 🔑 Key Takeaways\n\n- One\n\n::: takeaways\n- Fenced still works\n:::\n"
    soup, _md = convert(source, autodetect=False)
    (box,) = boxes(soup)
    assert item_texts(box) == ["Fenced still works"]
    assert soup.h2.get_text() == "🔑 Key Takeaways" and soup.h2.parent is not box


def test_custom_aliases() -> None:
    soup, _ = convert("## En bref\n\n- Un\n\n## Key Takeaways\n\n- Two\n", aliases=["En bref"])
    assert [box_heading(box).get_text() for box in boxes(soup)] == ["En bref"]


SPREAD = "First.\n\n## 🔑 Key Takeaways\n\n- Promoted\n\nMiddle.\n\n::: takeaways\n- Fenced\n:::\n\nLast.\n"


@pytest.mark.parametrize(("placement", "expected"), [("top", 0), ("bottom", -1)])
def test_placement_moves_boxes_keeping_their_order(placement: str, expected: int) -> None:
    soup, md = convert(SPREAD, placement=placement)
    children = soup.find_all(True, recursive=False)
    found = boxes(soup)
    assert [item_texts(box) for box in found] == [["Promoted"], ["Fenced"]]
    if placement == "top":
        assert children[:2] == found
    else:
        assert children[-2:] == found
    assert [p.get_text() for p in soup.find_all("p", recursive=False)] == ["First.", "Middle.", "Last."]
    assert [item.text for item in md.takeaways] == ["Promoted", "Fenced"]


def test_as_authored_keeps_boxes_in_place() -> None:
    soup, _ = convert(SPREAD)
    names = [child.name for child in soup.find_all(True, recursive=False)]
    assert names == ["p", "aside", "p", "aside", "p"]


def test_box_ids_are_unique_against_heading_anchors() -> None:
    source = (
        "## Key Takeaways\n\nNot followed by a list.\n\n::: takeaways\n- One\n:::\n\n"
        "## 🔑 Key Takeaways\n\n- Two\n\n## Main\n\nText.\n"
    )
    soup, _ = convert(source, anchors=True, reserved_ids=["main"])
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert "main" not in ids
    for box in boxes(soup):
        box_heading(box)
    # Deterministic: the same source gives the same ids.
    again, _ = convert(source, anchors=True, reserved_ids=["main"])
    assert ids == [element["id"] for element in again.find_all(id=True)]


def test_explicit_heading_id_is_kept() -> None:
    soup, _ = convert("## Key Takeaways {#summary-points}\n\n- One\n", anchors=True)
    assert boxes(soup)[0]["aria-labelledby"] == "summary-points"


def test_no_takeaways_means_no_metadata() -> None:
    _, md = convert("Title: Plain\n\nJust a paragraph.\n")
    assert md.takeaways == [] and "takeaways" not in md.Meta


def test_metadata_holds_items_in_document_order() -> None:
    _, md = convert("Title: T\n\n" + SPREAD)
    (items,) = md.Meta["takeaways"]
    assert items == [Takeaway(html="Promoted", text="Promoted"), Takeaway(html="Fenced", text="Fenced")]


def test_one_markdown_instance_converts_several_documents() -> None:
    md = Markdown(extensions=[*SITE_EXTENSIONS, TakeawaysExtension()], output_format="html5")
    md.convert("::: takeaways\n- First document\n:::\n")
    md.reset()
    md.convert("Nothing here.\n")
    assert md.takeaways == []
    md.reset()
    md.convert("## TL;DR\n\n- Third document\n")
    assert [item.text for item in md.takeaways] == ["Third document"]


def test_alias_key_ignores_emoji_punctuation_and_case() -> None:
    assert alias_key("🔑 Key Takeaways:") == alias_key("KEY TAKEAWAYS") == alias_key("key-takeaways")
    assert alias_key("TL;DR:") == alias_key("tl;dr")
    assert alias_key("Key points") != alias_key("Key takeaways")


def extension_from(settings: dict) -> TakeawaysExtension:
    """The extension the plugin adds to Pelican's Markdown, from checked settings."""
    validate_settings(settings)
    return TakeawaysExtension(
        title=settings["TAKEAWAYS_TITLE"],
        aliases=list(settings["TAKEAWAYS_HEADING_ALIASES"]),
        autodetect=settings["TAKEAWAYS_AUTODETECT"],
        placement=settings["TAKEAWAYS_PLACEMENT"],
    )


EVERY_DEFAULT_ALIAS = (
    "Opening.\n\n::: takeaways\n- Fenced\n:::\n\nBetween.\n\n"
    "## Key Takeaways\n\n- One\n\n## Takeaways\n\n- Two\n\n"
    "## Key points\n\n- Three\n\n## TL;DR\n\n- Four\n\nClosing.\n"
)


@pytest.mark.parametrize("made", ["without configuration", "from empty settings"])
def test_defaults_title_fenced_boxes_promote_the_usual_headings_and_keep_boxes_in_place(made: str) -> None:
    extension = TakeawaysExtension() if made == "without configuration" else extension_from({})
    md = Markdown(extensions=[*SITE_EXTENSIONS, extension], output_format="html5")
    soup = BeautifulSoup(md.convert(EVERY_DEFAULT_ALIAS), "html.parser")
    found = boxes(soup)
    assert [box_heading(box).get_text() for box in found] == [
        "Key Takeaways",
        "Key Takeaways",
        "Takeaways",
        "Key points",
        "TL;DR",
    ]
    assert [item_texts(box) for box in found] == [["Fenced"], ["One"], ["Two"], ["Three"], ["Four"]]
    names = [child.name for child in soup.find_all(True, recursive=False)]
    assert names == ["p", "aside", "p", "aside", "aside", "aside", "aside", "p"]


def test_settings_filled_in_for_one_site_are_not_shared_with_the_next() -> None:
    first: dict = {}
    validate_settings(first)
    first["TAKEAWAYS_HEADING_ALIASES"].append("En bref")
    soup, _ = convert("## En bref\n\n- Un\n")
    assert boxes(soup) == []
    md = Markdown(extensions=[*SITE_EXTENSIONS, extension_from({})], output_format="html5")
    assert boxes(BeautifulSoup(md.convert("## En bref\n\n- Un\n"), "html.parser")) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TAKEAWAYS_TITLE", ""),
        ("TAKEAWAYS_TITLE", 3),
        ("TAKEAWAYS_HEADING_ALIASES", "Key Takeaways"),
        ("TAKEAWAYS_HEADING_ALIASES", ["Key Takeaways", "🔑"]),
        ("TAKEAWAYS_AUTODETECT", "yes"),
        ("TAKEAWAYS_PLACEMENT", "middle"),
    ],
)
def test_validate_settings_rejects_bad_values(key: str, value: object) -> None:
    with pytest.raises(ValueError, match=key):
        validate_settings({key: value})
