"""Running stories on built sites: story pages, the links on their articles, story feeds and sitemaps."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
from conftest import CONTENT, PRODUCTION_SITEURL, BuiltSite, build_site, built, front_matter, write_article
from lxml import etree

REGISTRY = tomllib.loads((CONTENT / "stories.toml").read_text(encoding="utf-8"))
PUBLISHED = [
    fields
    for fields in (front_matter(path) for path in sorted((CONTENT / "articles").rglob("*.md")))
    if fields.get("status") != "draft"
]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def article_path(fields: dict[str, str]) -> str:
    date = datetime.strptime(fields["date"], "%Y-%m-%d %H:%M")
    return f"{date:%Y}/{date:%m}/{fields['slug']}/"


def members(story: str) -> list[dict[str, str]]:
    """The published articles of ``story``, newest first."""
    found = [fields for fields in PUBLISHED if fields.get("story") == story]
    return sorted(found, key=lambda fields: (fields["date"], fields["slug"]), reverse=True)


def target(page_path: str, href: str) -> str:
    """The site path (folder URLs ending in "/") a link on the page at ``page_path`` points at."""
    return urlsplit(urljoin(f"http://site/{page_path}", href)).path.lstrip("/")


def assert_built(site: BuiltSite, path: str) -> None:
    assert (site.root / path / "index.html").is_file(), f"{path} was not built"


def test_the_bundled_threads_are_running_stories():
    assert len(REGISTRY) == 4
    for slug, story in REGISTRY.items():
        assert story["title"].strip() and story["summary"].strip()
        assert len(members(slug)) >= 3, slug


def test_each_story_page_shows_title_summary_and_timeline_newest_first(site: BuiltSite):
    for slug, story in REGISTRY.items():
        path = f"story/{slug}/"
        page = site.page(path)
        assert page.h1.get_text(strip=True) == story["title"]
        assert page.select_one(".listing-header .dek").get_text(strip=True) == " ".join(story["summary"].split())
        assert page.title.get_text(strip=True) == f"{story['title']} · Atlas News"
        entries = page.select("ol.story-timeline > li")
        expected = members(slug)
        assert [entry.h3.get_text(strip=True) for entry in entries] == [fields["title"] for fields in expected]
        for entry, fields in zip(entries, expected, strict=True):
            link = entry.select_one("h3 a[href]")
            assert target(path, link["href"]) == article_path(fields)
            assert_built(site, article_path(fields))
            assert entry.select_one("time[datetime]")["datetime"].startswith(fields["date"][:10])
            assert entry.select_one(".dek").get_text(strip=True) == fields["summary"]
        datetimes = [entry.select_one("time")["datetime"] for entry in entries]
        assert [datetime.fromisoformat(d) for d in datetimes] == sorted(map(datetime.fromisoformat, datetimes))[::-1]


def test_the_story_index_lists_every_story(site: BuiltSite):
    page = site.page("story/")
    assert page.h1.get_text(strip=True) == "Running stories"
    links = {
        link.get_text(strip=True): target("story/", link["href"]) for link in page.select(".running-story-title a")
    }
    assert links == {story["title"]: f"story/{slug}/" for slug, story in REGISTRY.items()}
    footer = site.page("").select_one(".site-footer")
    assert target("", footer.find("a", string="Running stories")["href"]) == "story/"


def test_articles_link_their_story_and_the_instalments_either_side(site: BuiltSite):
    for fields in PUBLISHED:
        path = article_path(fields)
        page = site.page(path)
        part_of, sequence = page.select_one(".story-part-of"), page.select_one("nav.story-sequence")
        slug = fields.get("story")
        if slug is None:
            assert part_of is None and sequence is None, path
            continue
        assert part_of.get_text(" ", strip=True) == f"Part of {REGISTRY[slug]['title']}"
        assert target(path, part_of.a["href"]) == f"story/{slug}/"
        assert sequence["aria-label"]
        timeline = members(slug)[::-1]
        place = timeline.index(fields)
        for rel, neighbour in (("prev", place - 1), ("next", place + 1)):
            link = sequence.select_one(f'a[rel="{rel}"]')
            if 0 <= neighbour < len(timeline):
                assert target(path, link["href"]) == article_path(timeline[neighbour]), (path, rel)
                assert timeline[neighbour]["title"] in link.get_text(" ", strip=True)
                assert_built(site, article_path(timeline[neighbour]))
            else:
                assert link is None, (path, rel)


def test_development_build_has_no_story_feeds(site: BuiltSite):
    assert not (site.root / "feeds").exists()
    assert not site.page("story/red-sea-shipping/").head.find_all("link", rel="alternate")


def test_each_story_has_an_atom_feed_its_page_advertises(production_site: BuiltSite):
    for slug, story in REGISTRY.items():
        feed_url = f"{PRODUCTION_SITEURL}/feeds/story/{slug}.atom.xml"
        head = production_site.page(f"story/{slug}/").head
        advertised = {link["href"] for link in head.find_all("link", rel="alternate", type="application/atom+xml")}
        assert feed_url in advertised
        parsed = feedparser.parse((production_site.root / "feeds" / "story" / f"{slug}.atom.xml").read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert story["title"] in parsed.feed.title
        assert [entry.link for entry in parsed.entries] == [
            f"{PRODUCTION_SITEURL}/{article_path(fields)}" for fields in members(slug)
        ]
        assert [entry.title for entry in parsed.entries] == [fields["title"] for fields in members(slug)]
        assert any(link.rel == "self" and link.href == feed_url for link in parsed.feed.links)
        assert parsed.feed.link == parsed.feed.id == f"{PRODUCTION_SITEURL}/story/{slug}/"


def test_story_pages_are_in_the_sitemap(production_site: BuiltSite):
    root = etree.parse(str(production_site.root / "sitemap.xml")).getroot()
    listed = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    assert f"{PRODUCTION_SITEURL}/story/" in listed
    for slug in REGISTRY:
        assert f"{PRODUCTION_SITEURL}/story/{slug}/" in listed


def test_one_off_site_lists_only_published_instalments(tmp_path: Path, content_dir: Path):
    (content_dir / "stories.toml").write_text(
        '[strike]\ntitle = "The Port Strike"\nsummary = "Dockworkers walk out."\n\n'
        '[quiet]\ntitle = "Nothing Yet"\nsummary = "No article so far."\n',
        encoding="utf-8",
    )
    write_article(content_dir, "vote", Story="strike", Date="2026-04-01 09:00")
    write_article(content_dir, "walkout", Story="strike", Date="2026-04-10 09:00", Status="hidden")
    write_article(content_dir, "deal", Story="strike", Date="2026-05-01 09:00")
    write_article(content_dir, "talks", Story="strike", Date="2026-04-20 09:00", Status="draft")
    site = built(tmp_path / "output", content=content_dir)
    page = site.page("story/strike/")
    assert [a.get_text(strip=True) for a in page.select(".story-timeline h3 a")] == ["Deal", "Vote"]
    assert not (site.root / "story" / "quiet").exists()
    # The hidden instalment points at the published ones around it, and is linked from neither.
    hidden = site.page("2026/04/walkout/")
    assert target("2026/04/walkout/", hidden.select_one('a[rel="prev"]')["href"]) == "2026/04/vote/"
    assert target("2026/04/walkout/", hidden.select_one('a[rel="next"]')["href"]) == "2026/05/deal/"
    assert target("2026/04/vote/", site.page("2026/04/vote/").select_one('a[rel="next"]')["href"]) == "2026/05/deal/"


def test_an_unknown_story_fails_the_build_naming_file_and_line(tmp_path: Path, content_dir: Path):
    (content_dir / "stories.toml").write_text('[strike]\ntitle = "Strike"\nsummary = "Walkout."\n', encoding="utf-8")
    path = write_article(content_dir, "vote", Story="strik")
    result = build_site(tmp_path / "output", content=content_dir)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f'{path}:7: Story: "strik" is not a running story; check the spelling' in output
    assert not (tmp_path / "output").exists()


def test_an_incomplete_registry_stops_the_build_naming_file_and_table(tmp_path: Path, content_dir: Path):
    registry = content_dir / "stories.toml"
    registry.write_text('[strike]\ntitle = "Strike"\n', encoding="utf-8")
    write_article(content_dir, "vote", Story="strike")
    result = build_site(tmp_path / "output", content=content_dir)
    assert result.returncode != 0
    assert f"{registry}: story [strike] needs text for: summary" in result.stdout + result.stderr
