"""The front_matter plugin's checks, on strings and small files."""

from __future__ import annotations

from pathlib import Path

import pytest
from front_matter.reader import FrontMatterError, header_line_numbers, image_size, parse_flag, validate_settings


def test_header_line_numbers_stop_at_the_first_blank_line() -> None:
    text = "Title: A\nDate: 2026-01-01 10:00\nTags: x\n\nBody: not front matter\n"
    assert header_line_numbers(text) == {"title": 1, "date": 2, "tags": 3}


def test_header_line_numbers_keep_the_first_of_a_repeated_key() -> None:
    assert header_line_numbers("Title: A\nTITLE: B\n\n") == {"title": 1}


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("Yes", True), ("off", False), ("0", False)])
def test_flags_read_yes_and_no(value: str, expected: bool) -> None:
    assert parse_flag("featured", value) is expected


def test_other_flag_values_name_the_field() -> None:
    with pytest.raises(FrontMatterError, match='Featured: "maybe" is not a yes/no value'):
        parse_flag("featured", "maybe")


def test_svg_size_from_attributes_or_view_box(tmp_path: Path) -> None:
    sized = tmp_path / "sized.svg"
    sized.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1200px" height="675" viewBox="0 0 10 5"/>')
    boxed = tmp_path / "boxed.svg"
    boxed.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0,0,640,360"/>')
    assert image_size(sized) == (1200, 675)
    assert image_size(boxed) == (640, 360)


def test_raster_size_comes_from_the_file(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "photo.png"
    Image.new("RGB", (320, 180)).save(path)
    assert image_size(path) == (320, 180)


def test_settings_of_the_wrong_shape_are_rejected() -> None:
    with pytest.raises(ValueError, match="FRONT_MATTER_EXTRA_FIELDS must be a list"):
        validate_settings({"FRONT_MATTER_EXTRA_FIELDS": "related"})
    settings: dict = {}
    validate_settings(settings)
    assert settings["FRONT_MATTER_ARTICLE_REQUIRED"] == ["title", "date", "category", "authors"]
