"""Reporting content problems: once each, sorted, with the line of the key or construct."""

from __future__ import annotations

from pathlib import Path

import pytest
from plugin_support import problems


@pytest.fixture(autouse=True)
def fresh() -> None:
    problems.reset()


def test_problems_are_sorted_by_path_then_line_and_counted_once(tmp_path: Path) -> None:
    second, first = tmp_path / "b.md", tmp_path / "a.md"
    problems.report(second, 9, "later")
    problems.report(first, 12, "twelve")
    problems.report(first, 3, "three", problems.WARNING)
    problems.report(first, 12, "twelve")
    assert [(p.path, p.line) for p in problems.collected()] == [(str(first), 3), (str(first), 12), (str(second), 9)]
    assert [str(p) for p in problems.errors()] == [f"{first}:12: twelve", f"{second}:9: later"]
    assert str(problems.collected()[0]) == f"{first}:3: warning: three"
    assert problems.summary(problems.collected()) == "3 problems in 2 files"
    assert problems.summary(problems.collected()[:1]) == "1 problem in 1 file"


def test_a_problem_without_a_line_is_on_line_one(tmp_path: Path) -> None:
    problems.report(tmp_path / "x.md", None, "the file as a whole")
    assert problems.collected()[0].line == 1


def test_key_problems_point_at_the_key(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text("Title: A\nDate: 2026-01-01\nTAGS: a, b\n\nTags: not front matter\n", encoding="utf-8")
    problems.report_key(path, "tags", "bad tags")
    problems.report_key(path, "related", "no such key: line 1")
    assert [(p.line, p.message) for p in problems.collected()] == [(1, "no such key: line 1"), (3, "bad tags")]


def test_paths_inside_the_working_folder_are_shown_relative(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems.display_path(tmp_path / "content" / "a.md") == "content/a.md"
    assert problems.display_path("/elsewhere/a.md") == "/elsewhere/a.md"


def test_line_of_finds_the_first_line_holding_the_most_exact_text_found() -> None:
    text = "Title: A\n\nIntro.\n\n![chart](x.png)\n\n![](x.png)\n"
    assert problems.line_of(text, "x.png") == 5
    assert problems.line_of(text, "![](x.png", "x.png") == 7
    assert problems.line_of(text, "![map](x.png", "x.png") == 5  # not spelled so: the looser text
    assert problems.line_of(text, "absent") == 1
    assert problems.line_of(text, "") == 1
