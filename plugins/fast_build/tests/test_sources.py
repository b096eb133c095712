"""A content's path in the content folder is worked out once, with Pelican's own answer."""

from __future__ import annotations

from datetime import datetime

import pytest
from fast_build import sources
from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG


@pytest.fixture
def pelican_own():
    """Pelican's own three methods, given to the test while ``Content`` has the remembering ones."""
    original = Content.get_relative_source_path, Content.get_static_links, Content._update_content
    sources.remember_sources()
    yield original
    Content.get_relative_source_path, Content.get_static_links, Content._update_content = original


def test_the_path_worked_out_at_creation_is_given_again_and_other_paths_still_worked_out(tmp_path, pelican_own) -> None:
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path / "content")}
    sources.remember_sources()  # a second build in the same process wraps nothing again
    story = Article(
        "<p>Body</p>",
        metadata={"title": "Ports", "date": datetime(2026, 5, 1), "slug": "ports"},
        settings=settings,
        source_path=str(tmp_path / "content" / "articles" / "ports.md"),
    )
    assert story.get_relative_source_path() == "articles/ports.md" == story.relative_source_path
    assert story.get_relative_source_path(str(tmp_path / "content" / "pages" / "about.md")) == "pages/about.md"
    assert story.url_format["path"] == "articles/ports.md"
    story.relative_source_path = "remembered.md"  # what was worked out at creation is what is answered
    assert story.get_relative_source_path() == "remembered.md"


def story_linking(settings: dict, folder, html: str) -> Article:
    metadata = {"title": "Ports", "date": datetime(2026, 5, 1), "slug": "ports"}
    return Article(html, metadata=metadata, settings=settings, source_path=str(folder / "articles" / "ports.md"))


def test_static_links_found_in_the_last_build_are_given_again_for_the_same_text_only(tmp_path, pelican_own) -> None:
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path / "content")}
    html = '<p><a href="{static}/files/report.pdf">Report</a> <img src="{attach}crane.jpg"></p>'
    sources.start_build()
    first = story_linking(settings, tmp_path / "content", html).get_static_links()
    assert first == {"files/report.pdf", "articles/crane.jpg"}
    first.add("changed by the caller")

    sources.start_build()  # the next build in the same process: the same text, read again
    again = story_linking(settings, tmp_path / "content", html)
    assert again.get_static_links() == {"files/report.pdf", "articles/crane.jpg"}
    edited = story_linking(settings, tmp_path / "content", html.replace("crane.jpg", "ship.jpg"))
    assert edited.get_static_links() == {"files/report.pdf", "articles/ship.jpg"}
    elsewhere = story_linking({**settings, "PATH": str(tmp_path / "other")}, tmp_path / "other", html)
    assert elsewhere.get_static_links() == {"files/report.pdf", "articles/crane.jpg"}
    moved = Article(
        html,
        metadata={"title": "P", "date": datetime(2026, 5, 1), "slug": "p"},
        settings=settings,
        source_path=str(tmp_path / "content" / "pages" / "p.md"),
    )
    assert moved.get_static_links() == {"files/report.pdf", "pages/crane.jpg"}


def test_only_texts_with_links_to_content_are_pointed_at_the_page_in_every_build(tmp_path, pelican_own) -> None:
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path / "content")}
    linking = '<p>Back to <a href="{index}">the front page</a>.</p>'
    plain = "<p>No link to any content here, only {braces} in the text.</p>"
    for build in range(2):  # the second build in the same process takes what the first found
        sources.start_build()
        story, other = story_linking(settings, tmp_path, linking), story_linking(settings, tmp_path, plain)
        assert story.get_content("https://news.example") == (
            '<p>Back to <a href="https://news.example/index.html">the front page</a>.</p>'
        )
        _, _, pelican_update_content = pelican_own
        assert story.get_content("..") == pelican_update_content(story, linking, "..") != linking
        assert other.get_content("https://news.example") == plain, build
    sources.start_build()
    edited = story_linking(settings, tmp_path, plain.replace("No link", '<a href="{index}">A link</a>'))
    assert edited.get_content("https://news.example").startswith('<p><a href="https://news.example/index.html">')
    assert story_linking(settings, tmp_path, "").get_content("https://news.example") == ""


def test_the_text_given_is_looked_at_and_under_the_link_pattern_of_its_settings(tmp_path, pelican_own) -> None:
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path / "content")}
    sources.start_build()
    story = story_linking(settings, tmp_path, "<p>A body without links.</p>")
    # Other text of the article (a takeaway's) is pointed on its own, whatever the body holds.
    takeaway = '<a href="{index}">Front page</a>'
    assert (
        story._update_content(takeaway, "https://news.example")
        == '<a href="https://news.example/index.html">Front page</a>'
    )
    assert story.get_content("https://news.example") == "<p>A body without links.</p>"
    percent = {**settings, "INTRASITE_LINK_REGEX": "%(?P<what>.*?)%"}
    text = '<p><a href="%index%">Front page</a></p>'
    assert story_linking(settings, tmp_path, text).get_content("https://news.example") == text
    assert story_linking(percent, tmp_path, text).get_content("https://news.example") == (
        '<p><a href="https://news.example/index.html">Front page</a></p>'
    )


def test_both_spellings_of_a_link_are_pointed_and_texts_without_one_left_alone(tmp_path, pelican_own) -> None:
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path / "content")}
    sources.start_build()
    braces = '<p><a href="{index}">Front page</a></p>'
    bars = '<p><a href="|index|">Front page</a></p>'  # the older spelling Pelican's own pattern still matches
    for text in (braces, bars):
        assert story_linking(settings, tmp_path, text).get_content("https://news.example") == (
            '<p><a href="https://news.example/index.html">Front page</a></p>'
        )
    for text in ("<p>Rates | markets, and {braces} of no link.</p>", "<p>Neither character anywhere.</p>", ""):
        story = story_linking(settings, tmp_path, text)
        assert story.get_content("https://news.example") == text
        assert story.get_static_links() == set()
