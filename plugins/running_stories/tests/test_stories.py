"""The running_stories plugin on small settings and stand-in articles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from plugin_support import problems
from running_stories.pages import story_feeds
from running_stories.stories import DEFAULTS, group_stories, validate_settings

STORY = '[red-sea]\ntitle = "Red Sea Shipping"\nsummary = "Ships reroute around Africa."\n'


def settings_for(tmp_path: Path, **extra: object) -> dict:
    settings = {"PATH": str(tmp_path), **extra}
    validate_settings(settings)
    return settings


def article(slug: str, day: int, story: str | None = None, source: Path | None = None) -> SimpleNamespace:
    metadata = {"story": story} if story is not None else {}
    return SimpleNamespace(
        slug=slug,
        date=datetime(2026, 6, day, 9, tzinfo=UTC),
        metadata=metadata,
        source_path=str(source or f"{slug}.md"),
    )


# --- the registry ----------------------------------------------------------


def test_stories_load_from_the_content_folder_with_documented_defaults(tmp_path: Path) -> None:
    (tmp_path / "stories.toml").write_text(STORY, encoding="utf-8")
    settings = settings_for(tmp_path)
    assert settings["RUNNING_STORIES"] == {
        "red-sea": {"title": "Red Sea Shipping", "summary": "Ships reroute around Africa."}
    }
    for key, default in DEFAULTS.items():
        if key != "RUNNING_STORIES":
            assert settings[key] == default


def test_no_file_means_no_stories(tmp_path: Path) -> None:
    assert settings_for(tmp_path)["RUNNING_STORIES"] == {}


def test_a_summary_over_several_lines_becomes_one_line(tmp_path: Path) -> None:
    (tmp_path / "stories.toml").write_text('[a]\ntitle = "A"\nsummary = """One\n  paragraph."""\n', encoding="utf-8")
    assert settings_for(tmp_path)["RUNNING_STORIES"]["a"]["summary"] == "One paragraph."


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[red-sea\n", r"stories\.toml: "),
        ('[red-sea]\ntitle = "Red Sea"\n', r"stories\.toml: story \[red-sea\] needs text for: summary"),
        ('[red-sea]\ntitle = " "\nsummary = "x"\n', r"story \[red-sea\] needs text for: title"),
        ('[red-sea]\ntitle = "A"\nsummary = "x"\nsumary = "y"\n', r"\[red-sea\] has unknown key\(s\) sumary"),
        ('red-sea = "Red Sea"\n', r"story \[red-sea\] must be a table"),
        ('[Red_Sea]\ntitle = "A"\nsummary = "x"\n', r"story \[Red_Sea\]: a story slug is lower-case"),
        ('[a]\ntitle = "A"\nsummary = """One.\n\nTwo."""\n', "one paragraph"),
    ],
)
def test_broken_or_incomplete_registries_stop_the_build_naming_file_and_table(
    tmp_path: Path, toml: str, message: str
) -> None:
    (tmp_path / "stories.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        validate_settings({"PATH": str(tmp_path)})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("RUNNING_STORY_URL", "story/"),
        ("RUNNING_STORY_SAVE_AS", None),
        ("RUNNING_STORY_FEED_ATOM", "feeds/story.atom.xml"),
        ("RUNNING_STORIES_SAVE_AS", ""),
        ("RUNNING_STORIES", ["red-sea"]),
    ],
)
def test_settings_of_the_wrong_shape_are_rejected(tmp_path: Path, key: str, value: object) -> None:
    with pytest.raises(ValueError, match=key):
        validate_settings({"PATH": str(tmp_path), key: value})


def test_stories_in_the_settings_and_the_file_are_merged(tmp_path: Path) -> None:
    (tmp_path / "stories.toml").write_text(STORY, encoding="utf-8")
    settings = settings_for(tmp_path, RUNNING_STORIES={"heat": {"title": "Heat", "summary": "Hot."}})
    assert sorted(settings["RUNNING_STORIES"]) == ["heat", "red-sea"]


# --- grouping and ordering ---------------------------------------------------


@pytest.fixture
def registry(tmp_path: Path) -> dict:
    return settings_for(
        tmp_path,
        RUNNING_STORIES={
            "red-sea": {"title": "Red Sea", "summary": "Ships."},
            "heat": {"title": "Heat", "summary": "Hot."},
            "empty": {"title": "Nothing yet", "summary": "No articles."},
        },
    )


def test_articles_group_by_story_newest_first_with_neighbours_by_date(registry: dict) -> None:
    first, second, third = (
        article("insurers", 2, "red-sea"),
        article("rates", 9, "red-sea"),
        article("suez", 20, "red-sea"),
    )
    heat = article("grid", 15, "heat")
    alone = article("rates-decision", 10)
    problems.reset()
    stories = group_stories([third, heat, alone, first, second], registry)
    assert not problems.collected()
    assert [story.slug for story in stories] == ["red-sea", "heat"]  # the most recently updated first
    red_sea = stories[0]
    assert red_sea.articles == [third, second, first]
    assert (red_sea.title, red_sea.summary) == ("Red Sea", "Ships.")
    assert (red_sea.url, red_sea.save_as) == ("story/red-sea/", "story/red-sea/index.html")
    assert red_sea.latest is third
    assert (first.story_previous, first.story_next) == (None, second)
    assert (second.story_previous, second.story_next) == (first, third)
    assert (third.story_previous, third.story_next) == (second, None)
    assert heat.running_story is stories[1] and heat.story_previous is heat.story_next is None
    assert alone.running_story is alone.story_previous is alone.story_next is None
    assert all(a.running_story is red_sea for a in (first, second, third))


def test_same_time_instalments_are_ordered_by_slug(registry: dict) -> None:
    a, b = article("a", 3, "heat"), article("b", 3, "heat")
    [story] = group_stories([a, b], registry)
    assert story.articles == [b, a]
    assert (a.story_next, b.story_previous) == (b, a)


def test_hidden_articles_and_drafts_link_to_the_story_but_are_not_listed(registry: dict) -> None:
    listed, later = article("listed", 5, "red-sea"), article("later", 25, "red-sea")
    hidden, draft = article("hidden", 10, "red-sea"), article("draft", 28, "red-sea")
    orphan = article("orphan", 12, "empty")
    [story] = group_stories([listed, later], registry, unlisted=[hidden, draft, orphan])
    assert story.articles == [later, listed]
    assert hidden.running_story is story
    assert (hidden.story_previous, hidden.story_next) == (listed, later)
    assert (draft.story_previous, draft.story_next) == (later, None)
    # A story nothing published belongs to has no page to link to.
    assert orphan.running_story is None


def test_an_unknown_story_is_an_error_on_the_story_line(registry: dict, tmp_path: Path) -> None:
    source = tmp_path / "typo.md"
    source.write_text("Title: T\nDate: 2026-06-01\nSlug: typo\nStory: red-see\n\nText.\n", encoding="utf-8")
    typo = article("typo", 1, "red-see", source)
    problems.reset()
    assert group_stories([typo], registry) == []
    [problem] = problems.collected()
    assert (problem.path, problem.line, problem.severity) == (str(source), 4, problems.ERROR)
    assert problem.message.startswith('Story: "red-see" is not a running story; check the spelling')
    assert "[red-see]" in problem.message and "stories.toml" in problem.message
    assert typo.running_story is None


def test_story_feeds_only_where_the_site_has_feeds(registry: dict) -> None:
    stories = group_stories([article("a", 1, "heat")], registry)
    story_feeds(stories, registry)
    assert stories[0].feed is None
    story_feeds(stories, {**registry, "FEED_ALL_ATOM": "feeds/all.atom.xml"})
    assert stories[0].feed == "feeds/story/heat.atom.xml"
    story_feeds(stories, {**registry, "FEED_ALL_ATOM": "feeds/all.atom.xml", "RUNNING_STORY_FEED_ATOM": None})
    assert stories[0].feed is None
