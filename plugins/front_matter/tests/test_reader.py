"""The front_matter plugin's checks, on strings and small files."""

from __future__ import annotations

from pathlib import Path

import pytest
from front_matter.images import ImageError, image_size
from front_matter.reader import EMPTY, StrictMarkdownReader, plain_date, text_problem, validate_settings
from hypothesis import given
from hypothesis import strategies as st
from pelican.settings import read_settings
from plugin_support.flags import parse_yes_no
from plugin_support.problems import header_line_numbers


def test_header_line_numbers_stop_at_the_first_blank_line() -> None:
    text = "Title: A\nDate: 2026-01-01 10:00\nTags: x\n\nBody: not front matter\n"
    assert header_line_numbers(text) == {"title": 1, "date": 2, "tags": 3}


def test_header_line_numbers_keep_the_first_of_a_repeated_key() -> None:
    assert header_line_numbers("Title: A\nTITLE: B\n\n") == {"title": 1}


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("Yes", True), ("off", False), ("0", False)])
def test_flags_read_yes_and_no(value: str, expected: bool) -> None:
    assert parse_yes_no("featured", value) is expected


def test_other_flag_values_name_the_field() -> None:
    with pytest.raises(ValueError, match='Featured: "maybe" is not a yes/no value'):
        parse_yes_no("featured", "maybe")


def test_svg_size_from_attributes_or_view_box(tmp_path: Path) -> None:
    sized = tmp_path / "sized.svg"
    sized.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1200px" height="675" viewBox="0 0 10 5"/>')
    boxed = tmp_path / "boxed.svg"
    boxed.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0,0,640,360"/>')
    assert image_size(sized) == (1200, 675)
    assert image_size(boxed) == (640, 360)


def test_unreadable_images_raise_image_error(tmp_path: Path) -> None:
    broken_svg = tmp_path / "broken.svg"
    broken_svg.write_text("<svg")
    not_a_png = tmp_path / "photo.png"
    not_a_png.write_bytes(b"not an image")
    unsized = tmp_path / "unsized.svg"
    unsized.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    for path in (broken_svg, not_a_png, unsized):
        with pytest.raises(ImageError, match=path.name):
            image_size(path)


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 1, EMPTY),
        (b"\xef\xbb\xbf \n\n", 1, EMPTY),
        (b"Title: A\nDate: 2026\n\nCaf\xe9\n", 4, "byte 24 (0xe9) on line 4"),
        (b"Title: A\n\nText\x00more\n", 3, "NUL character"),
    ],
)
def test_text_problems_name_the_line(data: bytes, line: int, words: str) -> None:
    found = text_problem(data)
    assert found is not None
    assert found[0] == line
    assert words in found[1]


@pytest.mark.parametrize("data", [b"Title: A\n\nText\n", b"\xef\xbb\xbfTitle: A\r\n\r\nText\r\n"])
def test_utf8_text_with_or_without_a_bom_is_fine(data: bytes) -> None:
    assert text_problem(data) is None


def test_raster_size_comes_from_the_file(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "photo.png"
    Image.new("RGB", (320, 180)).save(path)
    assert image_size(path) == (320, 180)


def test_settings_of_the_wrong_shape_are_rejected() -> None:
    with pytest.raises(ValueError, match="FRONT_MATTER_EXTRA_FIELDS must be a list of strings"):
        validate_settings({"FRONT_MATTER_EXTRA_FIELDS": "related"})
    settings: dict = {}
    validate_settings(settings)
    assert settings["FRONT_MATTER_ARTICLE_REQUIRED"] == ["title", "date", "category", "authors"]


@given(
    st.integers(1, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.one_of(st.none(), st.tuples(st.integers(0, 25), st.integers(0, 61), st.one_of(st.none(), st.integers(0, 61)))),
    st.sampled_from([" ", "  ", "T", "_"]),
)
def test_plain_dates_read_as_pelican_reads_them(year, month, day, clock, separator) -> None:
    from datetime import datetime

    from pelican.utils import get_date

    text = f"{year:04d}-{month:02d}-{day:02d}"
    hour, minute, second = clock if clock is not None else (0, 0, None)
    if clock is not None:
        text += f"{separator}{hour:02d}:{minute:02d}" + (f":{second:02d}" if second is not None else "")
    try:
        datetime(year, month, day, hour, minute, second or 0)
    except ValueError:
        # An impossible date is left to Pelican's reader, which reports it.
        assert plain_date(text) is None
    else:
        read = plain_date(text)
        expected = get_date(text.replace("_", " "))
        assert read == expected
        assert type(read) is type(expected)


@pytest.mark.parametrize("text", ["2026-05-01 09:00 +02:00", "1 May 2026", "2026-05-01 9:00", "2026/05/01"])
def test_other_date_forms_are_left_to_pelican(text: str) -> None:
    assert plain_date(text) is None


def test_one_tag_section_and_author_object_per_name(tmp_path: Path) -> None:
    settings = read_settings(None, override={"PATH": str(tmp_path)})
    validate_settings(settings)
    reader = StrictMarkdownReader(settings)
    first = reader.process_metadata("tags", "AI chips, Trade")
    second = reader.process_metadata("tags", "Trade, Energy")
    assert second[0] is first[1]
    assert [tag.slug for tag in second] == ["trade", "energy"]
    assert reader.process_metadata("category", "World") is reader.process_metadata("category", "World")
    # Same name, different kind: a section and an author are never taken for each other.
    assert reader.process_metadata("author", "World") is not reader.process_metadata("category", "World")
    assert reader.process_metadata("tags", "trade")[0] is not first[1]
