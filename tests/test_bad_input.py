"""Broken articles: one readable line per problem, non-zero exit, previous output kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_site, built, write_article


def failing_build(content: Path, output: Path) -> str:
    result = build_site(output, content=content)
    assert result.returncode != 0
    printed = result.stdout + result.stderr
    assert "Traceback" not in printed, printed
    return printed


@pytest.mark.parametrize(
    ("fields", "body", "line", "expected"),
    [
        ({"Title": None}, "Text.\n", 1, 'missing "Title:" line'),
        ({"Title": "  "}, "Text.\n", 1, 'missing "Title:" line'),
        ({"Date": "next Tuesday-ish"}, "Text.\n", 2, "write it as YYYY-MM-DD HH:MM"),
        ({"Date": "2026-13-45 10:00"}, "Text.\n", 2, "write it as YYYY-MM-DD HH:MM"),
        ({"Category": "Sport"}, "Text.\n", 3, 'Category: "Sport" is not a section'),
        ({"Modified": "2026-04-01 10:00"}, "Text.\n", 7, "is before the Date"),
        ({"Featured": "perhaps"}, "Text.\n", 7, "is not a yes/no value"),
        ({"Image": "images/missing.png", "Image_alt": "x"}, "Text.\n", 7, "is not a file"),
    ],
)
def test_front_matter_problem_names_file_line_and_fix(
    content_dir: Path, tmp_path: Path, fields: dict, body: str, line: int, expected: str
) -> None:
    path = write_article(content_dir, "broken", body, **fields)
    printed = failing_build(content_dir, tmp_path / "out")
    assert f"{path}:{line}: " in printed, printed
    assert expected in printed, printed


def test_front_matter_that_does_not_start_on_line_one(content_dir: Path, tmp_path: Path) -> None:
    path = content_dir / "articles" / "no-header.md"
    path.write_text("Just a paragraph without front matter.\n\nTitle: Too late\n", encoding="utf-8")
    printed = failing_build(content_dir, tmp_path / "out")
    assert f'{path}:1: missing "Title:" line' in printed


def test_image_without_alt_text_is_an_error(content_dir: Path, tmp_path: Path) -> None:
    (content_dir / "images").mkdir()
    (content_dir / "images" / "map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"/>')
    path = write_article(content_dir, "no-alt", Image="images/map.svg")
    printed = failing_build(content_dir, tmp_path / "out")
    assert f'{path}:7: Image: add an "Image_alt:" line' in printed


def test_unknown_front_matter_key_fails_the_strict_build(content_dir: Path, tmp_path: Path) -> None:
    path = write_article(content_dir, "typo", Tittle="Oops")
    printed = failing_build(content_dir, tmp_path / "out")
    assert f'{path}:7: warning: unknown front-matter key "tittle"; did you mean "Title"?' in printed


def test_every_broken_article_is_reported_in_one_run(content_dir: Path, tmp_path: Path) -> None:
    first = write_article(content_dir, "first-broken", Date="soon")
    second = write_article(content_dir, "second-broken", Title=None)
    write_article(content_dir, "fine")
    printed = failing_build(content_dir, tmp_path / "out")
    assert f"{first}:2:" in printed and f"{second}:1:" in printed


def test_byline_without_a_profile_fails_the_strict_build(content_dir: Path, tmp_path: Path) -> None:
    path = write_article(content_dir, "stranger", Authors="Unknown Stringer")
    printed = failing_build(content_dir, tmp_path / "out")
    assert f'{path}:4: Authors: "Unknown Stringer" has no profile' in printed


def test_failed_build_leaves_the_previous_output_untouched(content_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    write_article(content_dir, "good-story")
    site = built(output, content=content_dir)
    before = {path: path.read_bytes() for path in site.root.rglob("*") if path.is_file()}
    assert any(path.match("*/good-story/index.html") for path in before)

    write_article(content_dir, "good-story", Title="An edit that breaks the date", Date="31/31/2026")
    failing_build(content_dir, output)

    after = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".out.*")), "no staging folder is left behind"


def test_future_dated_articles_are_held_back(content_dir: Path, tmp_path: Path) -> None:
    write_article(content_dir, "todays-story", Date="2026-01-05 09:00")
    write_article(content_dir, "embargoed-story", Date="2099-01-01 09:00", Title="Embargoed Scoop")
    site = built(tmp_path / "out", content=content_dir)
    every_page = "".join(path.read_text(encoding="utf-8") for path in site.html_files())
    assert "todays-story" in every_page
    assert "embargoed-story" not in every_page and "Embargoed Scoop" not in every_page


def test_drafts_can_be_read_locally_with_the_drafts_switch(content_dir: Path, tmp_path: Path) -> None:
    write_article(content_dir, "published-story")
    write_article(content_dir, "unfinished-story", Status="draft")
    site = built(tmp_path / "out", content=content_dir, extra=("--drafts",))
    assert (site.root / "drafts" / "unfinished-story" / "index.html").is_file()
    assert "unfinished-story" not in site.page("").decode()
