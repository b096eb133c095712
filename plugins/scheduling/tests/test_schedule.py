"""Holding back by the build clock, and the record of what a build published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from plugin_support import clock
from scheduling.schedule import hold_back, state_of, validate_settings

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)


def article(minutes_from_now: int, status: str = "published") -> Article:
    settings = {**DEFAULT_CONFIG, "BUILD_CLOCK": NOW, "SCHEDULE_HOLD_BACK": True, "WITH_FUTURE_DATES": True}
    when = NOW + timedelta(minutes=minutes_from_now)
    return Article("Text.", {"title": "A", "date": when, "status": status, "slug": "a"}, settings=settings)


@pytest.mark.parametrize(("minutes", "status"), [(-1, "published"), (0, "published"), (1, "draft")])
def test_an_article_goes_live_at_its_time_by_the_build_clock(minutes: int, status: str) -> None:
    story = article(minutes)
    hold_back(story)
    assert story.status == status


def test_hidden_and_draft_articles_are_left_as_they_are() -> None:
    hidden = article(60, "hidden")
    hold_back(hidden)
    assert hidden.status == "hidden"


def test_the_clock_is_read_once_per_build() -> None:
    settings: dict = {}
    first = clock.start(settings, {"SOURCE_DATE_EPOCH": "1795000000"})
    again = clock.start(settings, {"SOURCE_DATE_EPOCH": "1"})
    assert first == again == datetime.fromtimestamp(1795000000, tz=UTC)
    assert clock.now(settings) == first


def test_the_record_lists_slugs_and_dates_in_a_stable_order() -> None:
    stories = [SimpleNamespace(slug=slug, date=NOW - timedelta(days=n)) for n, slug in enumerate(["b", "a"])]
    state = state_of(stories, {"BUILD_CLOCK": NOW})
    assert state == {
        "clock": "2026-05-10T12:00:00+00:00",
        "articles": [
            {"slug": "a", "date": "2026-05-09T12:00:00+00:00"},
            {"slug": "b", "date": "2026-05-10T12:00:00+00:00"},
        ],
    }


@pytest.mark.parametrize("settings", [{"SCHEDULE_HOLD_BACK": "yes"}, {"SCHEDULE_STATE_SAVE_AS": "/tmp/x.json"}])
def test_settings_of_the_wrong_shape_are_rejected(settings: dict) -> None:
    with pytest.raises(ValueError, match="SCHEDULE_"):
        validate_settings(settings)
