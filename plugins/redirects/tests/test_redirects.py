"""Reading the redirects file, and the links the redirect pages use."""

from __future__ import annotations

import pytest
from plugin_support import problems
from redirects.redirects import parse_redirects, relative_url, validate_settings


@pytest.fixture(autouse=True)
def fresh() -> None:
    problems.reset()


def test_lines_comments_and_blank_lines() -> None:
    text = (
        "# moved stories\n"
        "\n"
        "/p/eu-steel   {filename}/articles/2025/eu-steel.md   # from beehiiv\n"
        "/p/old/ /section/trade/#latest\n"
    )
    redirects = parse_redirects(text, "redirects.txt")
    assert [(r.old, r.target, r.line) for r in redirects] == [
        ("/p/eu-steel", "{filename}/articles/2025/eu-steel.md", 3),
        ("/p/old", "/section/trade/#latest", 4),
    ]
    assert problems.collected() == []


def test_bad_lines_are_reported_on_their_line_and_left_out() -> None:
    text = "/p/a /x/\np/relative /x/\n/p/a /y/\n/p/three parts here\n//evil.example /x/\n"
    assert [r.old for r in parse_redirects(text, "redirects.txt")] == ["/p/a"]
    found = [(p.line, p.message) for p in problems.collected()]
    assert [line for line, _ in found] == [2, 3, 4, 5]
    assert "old paths start with /" in found[0][1]
    assert "already redirects on line 1" in found[1][1]
    assert "separated by spaces" in found[2][1]


@pytest.mark.parametrize(
    ("folder", "target", "link"),
    [("p/old", "2025/05/story/", "../../2025/05/story/"), ("old", "", "../"), ("a/b/c", "tag/x/", "../../../tag/x/")],
)
def test_relative_links_climb_out_of_the_old_folder(folder: str, target: str, link: str) -> None:
    assert relative_url(folder, target) == link


def test_settings_are_checked() -> None:
    settings: dict = {}
    validate_settings(settings)
    assert (settings["REDIRECTS_FILE"], settings["REDIRECTS_HOST_FILE"]) == ("redirects.txt", "_redirects")
    with pytest.raises(ValueError, match="REDIRECTS_FILE"):
        validate_settings({"REDIRECTS_FILE": "/etc/redirects"})
    with pytest.raises(ValueError, match="REDIRECTS_HOST_FILE"):
        validate_settings({"REDIRECTS_HOST_FILE": ""})
