"""Atom, RSS and JSON feeds of the production build, read with feedparser, lxml and json."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import PRODUCTION_SITEURL, BuiltSite
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
SECTIONS = ("world", "trade", "technology", "economy", "climate")
FEED_TYPES = {
    "application/atom+xml": "all.atom.xml",
    "application/rss+xml": "all.rss.xml",
    "application/feed+json": "all.json",
}


def under_site(url: str) -> bool:
    return url.startswith(PRODUCTION_SITEURL + "/")


def output_file(site: BuiltSite, url: str) -> Path:
    """The built file a site URL points at."""
    assert under_site(url), url
    path = site.root / url[len(PRODUCTION_SITEURL) + 1 :]
    return path / "index.html" if url.endswith("/") else path


def feeds(site: BuiltSite, pattern: str) -> list[Path]:
    found = sorted((site.root / "feeds").glob(pattern))
    assert found, f"no feeds/{pattern} in the build"
    return found


def assert_links_absolute(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(href=True) + soup.find_all(src=True):
        url = element.get("href") or element.get("src")
        parts = urlsplit(url)
        assert parts.scheme in {"http", "https", "mailto"}, f"relative link {url!r} in feed content"
        if parts.netloc == urlsplit(PRODUCTION_SITEURL).netloc:
            assert under_site(url), f"{url} is outside the site's sub-path"


def article_body_text(site: BuiltSite, url: str) -> str:
    """The article's words as a reader sees them, less the sign-up forms the page adds around [subscribe]."""
    body = site.page(str(output_file(site, url).relative_to(site.root))).select_one(".story-body")
    return " ".join(
        text.strip()
        for text in body.find_all(string=True)
        if text.strip() and not text.find_parent(class_="subscribe-box")
    )


@pytest.mark.parametrize("pattern", ["*.atom.xml", "*.rss.xml"])
def test_feedparser_reads_every_xml_feed_without_complaint(production_site: BuiltSite, pattern: str) -> None:
    for path in feeds(production_site, pattern):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path.name}: {parsed.get('bozo_exception')}"
        assert parsed.version == ("atom10" if "atom" in pattern else "rss20")
        assert parsed.entries, path.name


def test_atom_feeds_have_the_required_elements(production_site: BuiltSite) -> None:
    for path in feeds(production_site, "*.atom.xml"):
        root = etree.parse(str(path)).getroot()
        for name in ("id", "title", "updated"):
            assert (root.findtext(ATOM + name) or "").strip(), f"{path.name}: feed has no {name}"
        datetime.fromisoformat(root.findtext(ATOM + "updated"))
        self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
        assert self_link == f"{PRODUCTION_SITEURL}/feeds/{path.name}"
        entries = root.findall(ATOM + "entry")
        assert entries
        for entry in entries:
            for name in ("id", "title", "updated"):
                assert (entry.findtext(ATOM + name) or "").strip(), f"{path.name}: entry without {name}"
            link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
            assert output_file(production_site, link).is_file()
            assert entry.find(ATOM + "content").get("type") == "html"


def test_rss_feeds_have_the_required_elements(production_site: BuiltSite) -> None:
    for path in feeds(production_site, "*.rss.xml"):
        channel = etree.parse(str(path)).getroot().find("channel")
        for name in ("title", "link", "description"):
            assert (channel.findtext(name) or "").strip(), f"{path.name}: channel has no {name}"
        assert under_site(channel.findtext("link"))
        items = channel.findall("item")
        assert items
        for item in items:
            for name in ("title", "link", "guid", "pubDate"):
                assert (item.findtext(name) or "").strip(), f"{path.name}: item without {name}"
            assert output_file(production_site, item.findtext("link")).is_file()


def test_feeds_carry_the_full_article_with_absolute_links(production_site: BuiltSite) -> None:
    for path in feeds(production_site, "all.*.xml"):
        entries = feedparser.parse(path.read_bytes()).entries
        assert entries, path.name
        for entry in entries:
            html = entry.content[0].value if "content" in entry else entry.description
            assert_links_absolute(html)
            text = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
            assert text == article_body_text(production_site, entry.link), f"{path.name}: {entry.link} is not whole"


def test_every_article_is_in_the_site_feeds(production_site: BuiltSite) -> None:
    article_urls = {
        PRODUCTION_SITEURL + "/" + str(path.parent.relative_to(production_site.root)) + "/"
        for path in production_site.article_files()
    }
    assert article_urls
    for name in ("all.atom.xml", "all.rss.xml"):
        links = {entry.link for entry in feedparser.parse((production_site.root / "feeds" / name).read_bytes()).entries}
        assert links == article_urls, name
    document = json.loads((production_site.root / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert {item["url"] for item in document["items"]} == article_urls


@pytest.mark.parametrize("section", SECTIONS)
def test_section_feeds_hold_only_their_section(production_site: BuiltSite, section: str) -> None:
    section_page = production_site.page(f"section/{section}/")
    listed = {a["href"] for a in section_page.select(".story-card-title a, .lead-title a")}
    assert listed, f"section/{section}/ lists no article"
    for name in (f"{section}.atom.xml", f"{section}.rss.xml"):
        entries = feedparser.parse((production_site.root / "feeds" / name).read_bytes()).entries
        assert {entry.link for entry in entries} == listed, name
    document = json.loads((production_site.root / "feeds" / f"{section}.json").read_text(encoding="utf-8"))
    assert {item["url"] for item in document["items"]} == listed
    assert document["home_page_url"] == f"{PRODUCTION_SITEURL}/section/{section}/"


def test_json_feeds_follow_version_1_1(production_site: BuiltSite) -> None:
    for path in feeds(production_site, "*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["title"]
        assert document["feed_url"] == f"{PRODUCTION_SITEURL}/feeds/{path.name}"
        assert output_file(production_site, document["home_page_url"]).is_file()
        assert document["items"]
        for item in document["items"]:
            for key in ("id", "url", "title", "content_html", "summary", "date_published", "date_modified", "tags"):
                assert item.get(key) not in (None, ""), f"{path.name}: item without {key}"
            page = production_site.page(
                str(output_file(production_site, item["url"]).relative_to(production_site.root))
            )
            assert item["title"] == page.select_one("h1.headline").get_text()
            assert datetime.fromisoformat(item["date_published"]).utcoffset() is not None
            assert datetime.fromisoformat(item["date_modified"]) >= datetime.fromisoformat(item["date_published"])
            assert item["authors"] and all(output_file(production_site, a["url"]).is_file() for a in item["authors"])
            assert [a["name"] for a in item["authors"]] == [a.get_text() for a in page.select(".byline-authors a")]
            assert item["tags"] == [a.get_text() for a in page.select(".tag-list a")]
            hero = page.select_one(".hero img")
            if hero is None:
                assert "image" not in item
            else:
                assert item["image"] == hero["src"] and output_file(production_site, item["image"]).is_file()
            assert_links_absolute(item["content_html"])


def test_every_page_advertises_the_three_site_feeds(production_site: BuiltSite) -> None:
    assert production_site.html_files()
    for path in production_site.html_files():
        head = production_site.page(str(path.relative_to(production_site.root))).head
        links = {(link["type"], link["href"]) for link in head.find_all("link", rel="alternate")}
        for media_type, name in FEED_TYPES.items():
            assert (media_type, f"{PRODUCTION_SITEURL}/feeds/{name}") in links, f"{path}: no {media_type} link"


def test_section_pages_and_articles_also_advertise_their_section_feeds(production_site: BuiltSite) -> None:
    assert production_site.article_files()
    for page_path in [
        "section/trade/",
        *[str(p.relative_to(production_site.root)) for p in production_site.article_files()],
    ]:
        page = production_site.page(page_path)
        section_url = page.select_one(".kicker a")["href"] if "section/" not in page_path else None
        slug = (section_url or f"{PRODUCTION_SITEURL}/{page_path}").rstrip("/").rsplit("/", 1)[-1]
        hrefs = {link["href"] for link in page.head.find_all("link", rel="alternate")}
        for name in (f"{slug}.atom.xml", f"{slug}.rss.xml", f"{slug}.json"):
            assert f"{PRODUCTION_SITEURL}/feeds/{name}" in hrefs, f"{page_path}: no {name}"
            assert (production_site.root / "feeds" / name).is_file()


def test_development_build_has_no_feeds_and_links_none(site: BuiltSite) -> None:
    assert not (site.root / "feeds").exists()
    assert not site.page("").head.find_all("link", rel="alternate")
