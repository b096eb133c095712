"""One build clock: a story goes live at its time in pages, feeds and sitemaps alike, and `invoke due` knows when."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from conftest import PRODUCTION_SITEURL, BuiltSite, ServedSite, built, new_content_dir, run_invoke, write_article
from lxml import etree

CLOCK = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def at(minutes: int) -> str:
    return (CLOCK + timedelta(minutes=minutes)).astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@pytest.fixture(scope="module")
def clocked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuiltSite]:
    """A production site built at CLOCK, with one story a minute before it and one a minute after."""
    content = new_content_dir(tmp_path_factory.mktemp("clocked"))
    write_article(content, "a-minute-ago", Date=at(-1), Title="A Minute Ago")
    write_article(content, "in-a-minute", Date=at(1), Title="In A Minute")
    write_article(content, "last-week", Date=at(-7 * 24 * 60), Title="Last Week")
    site = built(
        content.parent / "output",
        content=content,
        production=True,
        env={"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": str(int(CLOCK.timestamp()))},
    )
    return content, site


def test_a_story_goes_live_at_its_time_everywhere(clocked) -> None:
    _, site = clocked
    pages = {path.parent.name for path in site.article_files()}
    assert pages == {"a-minute-ago", "last-week"}
    everything = "".join(path.read_text(encoding="utf-8") for path in site.html_files())
    assert "A Minute Ago" in everything
    assert "In A Minute" not in everything
    feed = feedparser.parse((site.root / "feeds" / "all.atom.xml").read_bytes())
    assert {entry.title for entry in feed.entries} == {"A Minute Ago", "Last Week"}
    sitemap = etree.parse(str(site.root / "sitemap.xml"))
    locs = [loc.text for loc in sitemap.getroot().iter(SM + "loc")]
    assert any(loc.endswith("/a-minute-ago/") for loc in locs)
    assert not any("in-a-minute" in loc for loc in locs)
    news = (site.root / "news-sitemap.xml").read_text(encoding="utf-8")
    assert "a-minute-ago" in news  # inside the news window, by the same clock
    assert "in-a-minute" not in news and "last-week" not in news


def test_the_site_records_what_it_published_at_which_clock(clocked) -> None:
    _, site = clocked
    state = json.loads((site.root / "build-state.json").read_text(encoding="utf-8"))
    assert state["clock"] == CLOCK.isoformat()
    assert [entry["slug"] for entry in state["articles"]] == ["a-minute-ago", "last-week"]


def test_due_lists_what_has_come_due_since_the_deployment(clocked) -> None:
    content, site = clocked
    state = str(site.root / "build-state.json")
    nothing = run_invoke("due", "--state", state, "--content", str(content), "--at", at(0))
    assert nothing.returncode == 1
    assert "Nothing has come due" in nothing.stderr
    later = run_invoke("due", "--state", state, "--content", str(content), "--at", at(2))
    assert later.returncode == 0, later.stderr
    listed = [line.split()[2] for line in later.stdout.splitlines() if line.startswith("  ")]
    assert listed == ["in-a-minute"]


def test_due_reads_the_deployed_state_over_http_and_treats_no_state_as_everything_due(clocked) -> None:
    content, site = clocked
    served = ServedSite(site.root)
    try:
        result = run_invoke("due", "--content", str(content), "--at", at(2), env={"SITEURL": served.origin})
        assert result.returncode == 0, result.stderr
        assert "in-a-minute" in result.stdout and "a-minute-ago" not in result.stdout
        missing = run_invoke("due", "--content", str(content), "--at", at(2), "--state", served.url("no-such.json"))
        assert missing.returncode == 0
        assert {"a-minute-ago", "in-a-minute", "last-week"} <= set(missing.stdout.split())
    finally:
        served.close()


def test_a_bad_time_is_refused(tmp_path: Path) -> None:
    result = run_invoke("due", "--state", str(tmp_path / "x.json"), "--at", "tomorrow at noon")
    assert result.returncode == 2
    assert "YYYY-MM-DD HH:MM" in result.stderr
