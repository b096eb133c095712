"""Unit tests of the sitemap documents, the news window and the settings checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from sitemaps.collect import DEFAULTS, BuildPages, build_time, validate_settings
from sitemaps.documents import (
    NEWS_NS,
    SITEMAP_NS,
    NewsEntry,
    PageEntry,
    chunks,
    news_urlset,
    recent_news,
    robots_txt,
    sitemap_index,
    urlset,
)

SCHEMA = Path(__file__).resolve().parents[3] / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
CLOCK = datetime(2026, 5, 10, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def test_urlset_is_valid_sitemap_xml(schema: etree.XMLSchema) -> None:
    entries = [PageEntry("https://example.org/sub/", CLOCK), PageEntry("https://example.org/sub/a?x=1&y=<2>")]
    document = etree.fromstring(urlset(entries))
    schema.assertValid(document)
    assert [loc.text for loc in document.iter(f"{{{SITEMAP_NS}}}loc")] == [entry.loc for entry in entries]


def test_index_points_at_children() -> None:
    document = etree.fromstring(sitemap_index([PageEntry("https://example.org/sitemap-1.xml", CLOCK)]))
    assert document.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    assert document.findtext(f"{{{SITEMAP_NS}}}sitemap/{{{SITEMAP_NS}}}lastmod") == "2026-05-10T12:00:00+00:00"


def test_chunks_cover_everything_in_order() -> None:
    entries = [PageEntry(f"https://e.org/{n}") for n in range(7)]
    groups = chunks(entries, 3)
    assert [len(group) for group in groups] == [3, 3, 1]
    assert [entry for group in groups for entry in group] == entries


def test_news_window_and_limit() -> None:
    hours = [1, 47, 49, -1, 10]
    entries = [NewsEntry(f"https://e.org/{h}", str(h), CLOCK - timedelta(hours=h)) for h in hours]
    assert [entry.title for entry in recent_news(entries, CLOCK, 48, 1000)] == ["1", "10", "47"]
    assert [entry.title for entry in recent_news(entries, CLOCK, 48, 2)] == ["1", "10"]


def test_news_urlset_declares_the_namespace_even_when_empty() -> None:
    empty = etree.fromstring(news_urlset([], "Atlas", "en"))
    assert empty.nsmap == {None: SITEMAP_NS, "news": NEWS_NS}
    assert len(empty) == 0
    full = etree.fromstring(news_urlset([NewsEntry("https://e.org/a", "A & <b>", CLOCK)], "Atlas", "en"))
    assert full.findtext(f".//{{{NEWS_NS}}}title") == "A & <b>"
    assert full.findtext(f".//{{{NEWS_NS}}}publication/{{{NEWS_NS}}}language") == "en"


def test_robots_txt_names_each_sitemap() -> None:
    text = robots_txt(["https://e.org/sub/sitemap.xml", "https://e.org/sub/news-sitemap.xml"])
    assert text.splitlines()[-2:] == [
        "Sitemap: https://e.org/sub/sitemap.xml",
        "Sitemap: https://e.org/sub/news-sitemap.xml",
    ]
    assert "User-agent: *" in text


def test_build_time_follows_source_date_epoch() -> None:
    assert build_time({"SOURCE_DATE_EPOCH": str(int(CLOCK.timestamp()))}) == CLOCK
    assert abs(build_time({}) - datetime.now(tz=UTC)) < timedelta(minutes=1)
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        build_time({"SOURCE_DATE_EPOCH": "yesterday"})


def test_page_urls_drop_index_html() -> None:
    pages = BuildPages("https://example.org/sub", [])
    assert pages.url("index.html") == "https://example.org/sub/"
    assert pages.url("section/world/index.html") == "https://example.org/sub/section/world/"
    assert pages.url("404.html") == "https://example.org/sub/404.html"


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SITEMAP_MAX_URLS": 50_001}, "SITEMAP_MAX_URLS"),
        ({"SITEMAP_MAX_URLS": True}, "SITEMAP_MAX_URLS"),
        ({"NEWS_SITEMAP_MAX_URLS": 1001}, "NEWS_SITEMAP_MAX_URLS"),
        ({"NEWS_SITEMAP_HOURS": 0}, "NEWS_SITEMAP_HOURS"),
        ({"SITEMAP_CHILD_SAVE_AS": "sitemap-part.xml"}, "SITEMAP_CHILD_SAVE_AS"),
        ({"SITEMAP_EXCLUDE": "404.html"}, "SITEMAP_EXCLUDE"),
        ({"ROBOTS_TXT_SAVE_AS": ""}, "ROBOTS_TXT_SAVE_AS"),
    ],
)
def test_bad_settings_are_named(overrides: dict, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        validate_settings(dict(overrides))


def test_defaults_are_valid() -> None:
    settings: dict = {}
    validate_settings(settings)
    assert settings == DEFAULTS
