"""Unit tests of the sitemap documents, the news window and the settings checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from plugin_support.clock import read_clock as build_time
from sitemaps.collect import BuildPages, finish_build, record_page, start_build, validate_settings
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


SITEURL = "https://example.org/sub"


def pelican_article(slug: str, published: datetime) -> Article:
    return Article(
        "<p>Body</p>",
        metadata={"title": slug.replace("-", " ").title(), "date": published, "slug": slug},
        settings={**DEFAULT_CONFIG, "PATH": "/content"},
        source_path=f"/content/{slug}.md",
        context={"localsiteurl": ""},
    )


def build_with_default_settings(output: Path, written: list[tuple[str, dict]]) -> None:
    """Collect ``written`` (output file, page context) as a build does, with no sitemap settings, and finish."""
    settings = {"OUTPUT_PATH": str(output), "SITEURL": SITEURL, "SITENAME": "Atlas News", "DEFAULT_LANG": "en"}
    validate_settings(settings)
    start_build(settings)
    for output_file, context in written:
        record_page({"OUTPUT_PATH": str(output), "output_file": output_file, **context})
    finish_build(settings, now=CLOCK)


def test_default_settings_write_a_sitemap_a_news_sitemap_and_robots_txt(tmp_path: Path) -> None:
    fresh = pelican_article("fresh", CLOCK - timedelta(hours=2))
    old = pelican_article("old", CLOCK - timedelta(hours=72))
    build_with_default_settings(
        tmp_path,
        [
            ("index.html", {"articles": [fresh, old]}),
            ("2026/05/fresh/index.html", {"article": fresh}),
            ("2026/05/old/index.html", {"article": old}),
            ("404.html", {}),
            ("drafts/unfinished.html", {"article": pelican_article("unfinished", CLOCK - timedelta(hours=1))}),
        ],
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["news-sitemap.xml", "robots.txt", "sitemap.xml"]
    # One urlset, not an index; the 404 page and drafts are left out.
    sitemap = etree.parse(str(tmp_path / "sitemap.xml")).getroot()
    assert sitemap.tag == f"{{{SITEMAP_NS}}}urlset"
    assert sorted(loc.text for loc in sitemap.iter(f"{{{SITEMAP_NS}}}loc")) == [
        "https://example.org/sub/",
        "https://example.org/sub/2026/05/fresh/",
        "https://example.org/sub/2026/05/old/",
    ]
    # Only the last 48 hours, named after the site, in its language.
    news = etree.parse(str(tmp_path / "news-sitemap.xml")).getroot()
    assert [loc.text for loc in news.iter(f"{{{SITEMAP_NS}}}loc")] == ["https://example.org/sub/2026/05/fresh/"]
    assert news.findtext(f".//{{{NEWS_NS}}}publication/{{{NEWS_NS}}}name") == "Atlas News"
    assert news.findtext(f".//{{{NEWS_NS}}}publication/{{{NEWS_NS}}}language") == "en"
    assert (tmp_path / "robots.txt").read_text(encoding="utf-8").splitlines()[-2:] == [
        "Sitemap: https://example.org/sub/sitemap.xml",
        "Sitemap: https://example.org/sub/news-sitemap.xml",
    ]


def test_default_news_sitemap_keeps_the_newest_thousand(tmp_path: Path) -> None:
    stories = [pelican_article(f"story-{n}", CLOCK - timedelta(minutes=n + 1)) for n in range(1001)]
    build_with_default_settings(
        tmp_path, [(f"2026/05/{story.slug}/index.html", {"article": story}) for story in stories]
    )
    news = etree.parse(str(tmp_path / "news-sitemap.xml")).getroot()
    listed = [loc.text for loc in news.iter(f"{{{SITEMAP_NS}}}loc")]
    assert listed == [f"https://example.org/sub/2026/05/story-{n}/" for n in range(1000)]
    sitemap = etree.parse(str(tmp_path / "sitemap.xml")).getroot()
    assert len(sitemap) == 1001
