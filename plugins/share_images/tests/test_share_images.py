"""The card layout, crops, widths and settings of the share_images plugin, without a site build."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from share_images import cards
from share_images.config import DEFAULTS, validate_settings
from share_images.variants import plan_picture, widths_for

STYLE = {
    "margin": DEFAULTS["SHARE_CARD_MARGIN"],
    "fonts": DEFAULTS["SHARE_CARD_FONTS"],
    "colours": DEFAULTS["SHARE_CARD_COLOURS"],
}
WORDS = st.text(alphabet=st.characters(codec="latin-1", categories=("L", "N", "P")), min_size=1, max_size=18)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=40), st.sampled_from([cards.OG_SIZE, *cards.STRUCTURED_SIZES.values()]))
def test_any_headline_stays_inside_the_margin_in_whole_words(words: list[str], size: tuple[int, int]) -> None:
    headline = " ".join(words)
    layout = cards.layout_card("World", headline, "Atlas News", STYLE, size)
    left, top, right, bottom = layout.ink_box()
    margin = STYLE["margin"]
    assert left >= margin and top >= margin and right <= size[0] - margin and bottom <= size[1] - margin
    lines = [line.text for line in layout.lines if line.role == "headline"]
    assert len(lines) <= cards.MAX_LINES
    shown = " ".join(lines).removesuffix(cards.ELLIPSIS).split()
    expected = cards.card_text(headline, STYLE["fonts"]["headline"]).split()
    # Whole words from the start: a word is never cut, only words at the end may be left off (with an ellipsis).
    assert shown == expected[: len(shown)]
    assert layout.truncated == (shown != expected)


def test_the_layout_is_what_is_drawn() -> None:
    layout = cards.layout_card("Trade", "Port Strike Ends", "Atlas News", STYLE, cards.OG_SIZE)
    image = cards.draw_layout(layout, STYLE)
    background = Image.new("RGB", image.size, STYLE["colours"]["background"])
    from PIL import ImageChops

    drawn = ImageChops.difference(image, background).getbbox()
    assert drawn is not None
    ink = layout.ink_box()
    assert ink[0] <= drawn[0] and ink[1] <= drawn[1] and drawn[2] <= ink[2] and drawn[3] <= ink[3]


def test_emoji_are_left_out() -> None:
    assert cards.card_text("🎯 Rates 🇬🇧 held 👍🏽", STYLE["fonts"]["headline"]) == "Rates held"


@pytest.mark.parametrize(
    ("size", "focus", "box"),
    [
        ((2400, 1000), (0.5, 0.5), (248, 0, 2153, 1000)),
        ((2400, 1000), (0.0, 0.5), (0, 0, 1905, 1000)),
        ((2400, 1000), (1.0, 0.5), (495, 0, 2400, 1000)),
        ((1000, 1000), (0.5, 0.0), (0, 0, 1000, 525)),
        ((1000, 1000), (0.5, 0.9), (0, 475, 1000, 1000)),
    ],
)
def test_crop_keeps_the_focus_in_the_picture(size, focus, box) -> None:
    assert cards.crop_box(size, cards.OG_SIZE, focus) == box


@pytest.mark.parametrize("value", ["0.3,0.7", "30%,70%", " 0.3 , 0.7 "])
def test_focus_is_read_as_fractions(value: str) -> None:
    assert cards.parse_focus(value) == pytest.approx((0.3, 0.7))


@pytest.mark.parametrize("value", ["left", "0.5", "1.5,0.5", "0.5,-1", "a,b", "0.1,0.2,0.3"])
def test_a_focus_outside_the_picture_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="Image_focus"):
        cards.parse_focus(value)


def derive_settings(**changes: object) -> dict:
    values = copy.deepcopy(DEFAULTS)
    values.update({"IMAGES_DERIVE": True, "SITEURL": "", **changes})
    return values


@pytest.mark.parametrize(
    ("width", "widths"),
    [(2400, [480, 800, 1200, 1600]), (1600, [480, 800, 1200, 1600]), (1000, [480, 800, 1000]), (300, [300])],
)
def test_images_are_never_enlarged(width: int, widths: list[int]) -> None:
    assert widths_for(width, derive_settings()) == widths


def test_plan_names_copies_by_content_and_keeps_svg(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (1000, 500), "#336699").save(photo)
    first = plan_picture(photo, "images/photo.jpg", (1000, 500), derive_settings())
    assert [name for name, _ in first.sources] == ["webp", "jpeg"]
    assert (first.width, first.height) == (1000, 500) and first.src.endswith("-1000.jpg")
    Image.new("RGB", (1000, 500), "#993366").save(photo)
    second = plan_picture(photo, "images/photo.jpg", (1000, 500), derive_settings())
    assert {v.path for v in first.variants()}.isdisjoint({v.path for v in second.variants()})
    thumb = second.at_most(480)
    assert [v.width for v in thumb.variants()] == [480, 480] and thumb.width == 480
    svg = tmp_path / "art.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5"/>', encoding="utf-8")
    assert not plan_picture(svg, "images/art.svg", (10, 5), derive_settings()).responsive
    assert not plan_picture(photo, "images/photo.jpg", (1000, 500), derive_settings(IMAGES_DERIVE=False)).responsive


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("IMAGES_DERIVE", "yes", "IMAGES_DERIVE"),
        ("IMAGES_WIDTHS", [480, 480], "IMAGES_WIDTHS"),
        ("IMAGES_WIDTHS", [], "IMAGES_WIDTHS"),
        ("IMAGES_FORMATS", ["gif"], "IMAGES_FORMATS"),
        ("IMAGES_QUALITY", 0, "IMAGES_QUALITY"),
        ("IMAGES_OUTPUT_DIR", "/abs", "IMAGES_OUTPUT_DIR"),
        ("SHARE_CARD_COLOURS", {"background": "white"}, "SHARE_CARD_COLOURS"),
        ("SHARE_CARD_FONTS", {"headline": "x:y.ttf", "kicker": "x:y.ttf", "site": "x:y.ttf"}, "not installed"),
        ("SHARE_CARD_MARGIN", 2, "SHARE_CARD_MARGIN"),
    ],
)
def test_a_setting_of_the_wrong_shape_stops_the_build(key: str, value: object, message: str) -> None:
    values = {key: value}
    with pytest.raises(ValueError, match=message):
        validate_settings(values)


def test_defaults_are_valid_and_filled_in() -> None:
    values: dict = {}
    validate_settings(values)
    assert values["IMAGES_WIDTHS"] == [480, 800, 1200, 1600] and values["IMAGES_DERIVE"] is False
