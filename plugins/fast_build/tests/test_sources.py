"""A content's path in the content folder is worked out once, with Pelican's own answer."""

from __future__ import annotations

from datetime import datetime

from fast_build.sources import remember_relative_source_paths
from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG


def test_the_path_worked_out_at_creation_is_given_again_and_other_paths_still_worked_out(tmp_path) -> None:
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path / "content")}
    original = Content.get_relative_source_path
    remember_relative_source_paths()
    remember_relative_source_paths()  # a second build in the same process wraps nothing again
    try:
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
    finally:
        Content.get_relative_source_path = original
