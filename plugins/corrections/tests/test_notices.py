"""Reading and checking correction and update notices."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from corrections.notices import Notice, attach_notices, collect_log, read_notice, validate_settings
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from plugin_support import problems

LONDON = ZoneInfo("Europe/London")
PUBLISHED = datetime(2026, 5, 1, 9, 0, tzinfo=LONDON)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh() -> None:
    problems.reset()


def test_a_notice_is_a_time_then_a_sentence() -> None:
    notice = read_notice("2026-05-02 10:15   The vote   was 6–3.\n", "correction", LONDON, PUBLISHED, NOW)
    assert notice == Notice(datetime(2026, 5, 2, 10, 15, tzinfo=LONDON), "The vote was 6–3.")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The vote was 6–3.", "must start with its time"),
        ("2026-05-02 10:15", "must start with its time"),
        ("2026-04-30 10:00 Too early.", "is before the article was published"),
        ("2026-07-01 10:00 Not yet.", "is in the future"),
    ],
)
def test_bad_notices_say_what_is_wrong(text: str, words: str) -> None:
    found = read_notice(text, "correction", LONDON, PUBLISHED, NOW)
    assert isinstance(found, str)
    assert found.startswith("Correction: ")
    assert words in found


def test_notices_attach_oldest_first_and_the_latest_becomes_modified(tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_text(
        "Title: A\nDate: 2026-05-01 09:00\nCorrection: 2026-05-03 08:00 Second.\nUpdate: 2026-05-01 12:00 More.\n"
        "Correction: 2026-05-02 08:00 First.\nCorrection: tomorrow Broken.\n\nText.\n",
        encoding="utf-8",
    )
    settings = {**DEFAULT_CONFIG, "TIMEZONE": "Europe/London", "BUILD_CLOCK": NOW}
    metadata = {
        "title": "A",
        "date": PUBLISHED,
        "slug": "a",
        "correction": ["2026-05-03 08:00 Second.", "2026-05-02 08:00 First.", "tomorrow Broken."],
        "update": "2026-05-01 12:00 More.",
    }
    article = Article("Text.", metadata, settings=settings, source_path=str(source))
    attach_notices(article)
    assert [notice.text for notice in article.corrections] == ["First.", "Second."]
    assert [notice.text for notice in article.updates] == ["More."]
    assert article.modified == datetime(2026, 5, 3, 8, 0, tzinfo=LONDON)
    [problem] = problems.collected()
    assert (problem.line, problem.message[:12]) == (6, "Correction: ")


def test_the_log_is_newest_first_across_stories() -> None:
    def story(slug: str, *days: int) -> SimpleNamespace:
        return SimpleNamespace(
            slug=slug, corrections=[Notice(datetime(2026, 5, day, tzinfo=UTC), slug) for day in days]
        )

    log = collect_log([story("a", 3, 9), story("b", 5), SimpleNamespace(slug="c")])
    assert [(notice.when.day, article.slug) for notice, article in log] == [(9, "a"), (5, "b"), (3, "a")]


def test_the_page_joins_the_direct_templates_unless_switched_off() -> None:
    settings: dict = {"DIRECT_TEMPLATES": ["index", "archives"]}
    validate_settings(settings)
    assert settings["DIRECT_TEMPLATES"] == ["index", "archives", "corrections"]
    off: dict = {"DIRECT_TEMPLATES": ["index", "corrections"], "CORRECTIONS_SAVE_AS": ""}
    validate_settings(off)
    assert off["DIRECT_TEMPLATES"] == ["index"]
    with pytest.raises(ValueError, match="CORRECTIONS_URL"):
        validate_settings({"CORRECTIONS_URL": None})
