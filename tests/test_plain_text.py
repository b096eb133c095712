"""Titles, summaries, tags and names are text: a hostile article shows up as text everywhere and as markup nowhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import PRODUCTION_SITEURL, BuiltSite, built, executable_scripts, new_content_dir, write_article
from lxml import etree

TITLE = 'Tariffs "up" & </script><script>alert(1)</script> <img src=x onerror=alert(1)>'
SUMMARY = "Duties \"double\" & more </script><script>alert(2)</script> <img src=x onerror=alert(2)> 'quoted'"
# Pelican slugs a tag from its text with markup stripped, so each tag keeps a word outside the markup.
TAGS = ['Fish & "chips"', "Trade <img src=x onerror=alert(3)> war", "steel </script><script>alert(4)</script>"]
CLOCK = datetime(2026, 5, 10, 12, tzinfo=UTC)
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    content = new_content_dir(tmp_path_factory.mktemp("hostile"))
    when = (CLOCK - timedelta(hours=3)).astimezone(ZoneInfo("Europe/London"))
    write_article(
        content,
        "hostile",
        body="A paragraph with <b>inline</b> markup the author wrote on purpose.\n",
        Title=TITLE,
        Summary=SUMMARY,
        Tags=", ".join(TAGS),
        Date=when.strftime("%Y-%m-%d %H:%M"),
    )
    return built(
        tmp_path_factory.mktemp("hostile-site") / "output",
        content=content,
        production=True,
        env={"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": str(int(CLOCK.timestamp()))},
    )


def test_no_page_holds_executable_markup(hostile_site: BuiltSite) -> None:
    pages = hostile_site.html_files()
    assert len(pages) > 5
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not executable_scripts(page), f"{path}: executable <script>"
        for script in page.find_all("script", type="application/ld+json"):
            json.loads(script.string)
        for element in page.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, f"{path}: <{element.name}> has {handlers}"
        for image in page.find_all("img"):
            assert image.get("src") != "x", f"{path}: injected <img>"


def test_the_article_shows_its_metadata_as_text(hostile_site: BuiltSite) -> None:
    page = hostile_site.page("2026/05/hostile/")
    assert page.select_one("h1.headline").get_text() == TITLE
    assert page.title.get_text() == f"{TITLE} · Atlas News"
    assert page.select_one(".dek").get_text() == SUMMARY
    assert [a.get_text() for a in page.select(".tag-list a")] == TAGS
    for key in ("og:title", "twitter:title"):
        tag = page.find("meta", property=key) or page.find("meta", attrs={"name": key})
        assert tag["content"] == TITLE
    assert page.find("meta", attrs={"name": "description"})["content"] == SUMMARY
    assert [tag["content"] for tag in page.find_all("meta", property="article:tag")] == TAGS


def test_json_ld_gives_back_the_literal_text(hostile_site: BuiltSite) -> None:
    raw = (hostile_site.root / "2026/05/hostile/index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(raw, "html.parser")
    blocks = [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]
    story = next(block for block in blocks if block["@type"] == "NewsArticle")
    assert story["headline"] == TITLE
    assert story["description"] == SUMMARY
    assert story["keywords"] == TAGS
    crumbs = next(block for block in blocks if block["@type"] == "BreadcrumbList")
    assert crumbs["itemListElement"][-1]["name"] == TITLE
    for script in page.find_all("script", type="application/ld+json"):
        assert not set(script.string) & set("<>&")
    assert raw.count("</script>") == len(blocks)


@pytest.mark.parametrize("name", ["all.atom.xml", "all.rss.xml", "world.atom.xml", "world.rss.xml"])
def test_xml_feeds_give_back_the_literal_text(hostile_site: BuiltSite, name: str) -> None:
    parsed = feedparser.parse((hostile_site.root / "feeds" / name).read_bytes())
    assert not parsed.bozo
    entry = parsed.entries[0]
    assert entry.title == TITLE
    assert [tag.term for tag in entry.tags][1:] == TAGS
    if "atom" in name:
        # The summary is an HTML field: it must hold the summary as escaped text.
        assert BeautifulSoup(entry.summary, "html.parser").get_text() == SUMMARY


def test_xml_feed_titles_are_text_not_markup(hostile_site: BuiltSite) -> None:
    root = etree.parse(str(hostile_site.root / "feeds" / "all.atom.xml")).getroot()
    title = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert title.text == TITLE and len(title) == 0
    assert title.get("type") in (None, "text")


def test_json_feed_gives_back_the_literal_text(hostile_site: BuiltSite) -> None:
    item = json.loads((hostile_site.root / "feeds" / "all.json").read_text(encoding="utf-8"))["items"][0]
    assert item["title"] == TITLE
    assert item["summary"] == SUMMARY
    assert item["tags"] == TAGS


def test_news_sitemap_title_is_text(hostile_site: BuiltSite) -> None:
    root = etree.parse(str(hostile_site.root / "news-sitemap.xml")).getroot()
    titles = [element.text for element in root.iter(NEWS + "title")]
    assert titles == [TITLE]
