"""sitemap.xml, the Google News sitemap and robots.txt, checked with the sitemaps.org schema and lxml."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import PRODUCTION_SITEURL, ROOT, BuiltSite, built, new_content_dir, tree_digest, write_article
from lxml import etree

SCHEMA_FOLDER = ROOT / "node_modules" / "sitemap" / "schema"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS = "{" + NEWS_NS + "}"
PRODUCTION_EPOCH = 1795000000  # the production_site fixture's SOURCE_DATE_EPOCH

CLOCK = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
ORIGINAL = "https://partner.example/original-story"
# slug → hours before the build clock (negative: after it)
CLOCK_ARTICLES = {"one-hour-ago": 1, "almost-two-days-ago": 47, "just-over-two-days-ago": 49, "last-week": 170}
CLOCK_ARTICLES |= {"after-the-build-clock": -2}
SMALL_LIMIT = 4


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    # The sitemap package ships sitemap.xsd (urlset) and all.xsd (which pulls the
    # extension schemas from the network); there is no siteindex.xsd in it.
    return etree.XMLSchema(etree.parse(str(SCHEMA_FOLDER / "sitemap.xsd")))


@pytest.fixture(scope="module")
def clock_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A small production site whose articles sit around a fixed build clock, with a tiny sitemap limit."""
    content = new_content_dir(tmp_path_factory.mktemp("clock"))
    for slug, hours in CLOCK_ARTICLES.items():
        when = (CLOCK - timedelta(hours=hours)).astimezone(LONDON)
        write_article(content, slug, Date=when.strftime("%Y-%m-%d %H:%M"))
    syndicated = (CLOCK - timedelta(hours=2)).astimezone(LONDON)
    write_article(content, "syndicated-copy", Date=syndicated.strftime("%Y-%m-%d %H:%M"), Canonical=ORIGINAL)
    (content / "pages" / "contact.md").write_text("Title: Contact\nSlug: contact\n\nWrite to us.\n", encoding="utf-8")
    return built(
        tmp_path_factory.mktemp("clock-site") / "output",
        content=content,
        production=True,
        env={"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": str(int(CLOCK.timestamp()))},
        extra=("--setting", f"SITEMAP_MAX_URLS={SMALL_LIMIT}"),
    )


def url_of(site: BuiltSite, html_file: Path) -> str:
    relative = html_file.relative_to(site.root).as_posix()
    return f"{PRODUCTION_SITEURL}/{relative.removesuffix('index.html')}"


def expected_urls(site: BuiltSite) -> set[str]:
    """Every page the build wrote, less the 404 page."""
    return {url_of(site, path) for path in site.html_files() if path.name != "404.html"}


def locs(document: etree._ElementTree) -> list[str]:
    return [loc.text for loc in document.iter(SM + "loc")]


def published(site: BuiltSite, html_file: Path) -> datetime:
    meta = site.page(str(html_file.relative_to(site.root))).find("meta", property="article:published_time")
    return datetime.fromisoformat(meta["content"])


def news_entries(site: BuiltSite) -> dict[str, etree._Element]:
    root = etree.parse(str(site.root / "news-sitemap.xml")).getroot()
    assert root.tag == SM + "urlset"
    assert root.nsmap.get("news") == NEWS_NS
    return {url.findtext(SM + "loc"): url for url in root.findall(SM + "url")}


def test_sitemap_is_valid_and_lists_every_page_with_lastmod(production_site: BuiltSite, schema) -> None:
    document = etree.parse(str(production_site.root / "sitemap.xml"))
    schema.assertValid(document)
    assert document.getroot().tag == SM + "urlset"
    listed = locs(document)
    assert len(listed) == len(set(listed))
    assert set(listed) == expected_urls(production_site)
    for section in ("", "section/", "tag/", "author/", "archive/", "about/", "section/world/"):
        assert f"{PRODUCTION_SITEURL}/{section}" in listed
    for url in document.getroot():
        lastmod = url.findtext(SM + "lastmod")
        assert lastmod, f"{url.findtext(SM + 'loc')} has no lastmod"
        assert datetime.fromisoformat(lastmod).utcoffset() is not None


def test_article_lastmod_is_its_modified_or_published_time(production_site: BuiltSite) -> None:
    lastmods = {
        url.findtext(SM + "loc"): datetime.fromisoformat(url.findtext(SM + "lastmod"))
        for url in etree.parse(str(production_site.root / "sitemap.xml")).getroot()
    }
    assert production_site.article_files()
    for path in production_site.article_files():
        page = production_site.page(str(path.relative_to(production_site.root)))
        modified = datetime.fromisoformat(page.find("meta", property="article:modified_time")["content"])
        assert lastmods[url_of(production_site, path)] == modified
    newest = max(lastmods[url_of(production_site, path)] for path in production_site.article_files())
    assert lastmods[PRODUCTION_SITEURL + "/"] == newest


def test_robots_txt_names_both_sitemaps(production_site: BuiltSite) -> None:
    lines = (production_site.root / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "User-agent: *"
    sitemaps = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap: ")]
    assert sitemaps == [f"{PRODUCTION_SITEURL}/sitemap.xml", f"{PRODUCTION_SITEURL}/news-sitemap.xml"]
    assert not any(line.startswith("Disallow: /") for line in lines)


def test_news_sitemap_holds_the_last_two_days(production_site: BuiltSite) -> None:
    build_clock = datetime.fromtimestamp(PRODUCTION_EPOCH, tz=UTC)
    expected = {
        url_of(production_site, path)
        for path in production_site.article_files()
        if build_clock - timedelta(days=2) <= published(production_site, path) <= build_clock
    }
    assert expected, "no bundled article falls in the two days before the build clock"
    entries = news_entries(production_site)
    assert set(entries) == expected
    assert len(entries) <= 1000


def test_news_entries_carry_publication_date_and_title(production_site: BuiltSite) -> None:
    entries = news_entries(production_site)
    assert entries
    for loc, url in entries.items():
        news = url.find(NEWS + "news")
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Atlas News"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        page_file = production_site.root / loc.removeprefix(PRODUCTION_SITEURL + "/") / "index.html"
        page = production_site.page(str(page_file.relative_to(production_site.root)))
        assert news.findtext(NEWS + "title") == page.select_one("h1.headline").get_text()
        assert datetime.fromisoformat(news.findtext(NEWS + "publication_date")) == published(production_site, page_file)


def test_news_window_around_a_fixed_clock(clock_site: BuiltSite) -> None:
    entries = news_entries(clock_site)
    inside = {slug for slug, hours in CLOCK_ARTICLES.items() if 0 <= hours <= 48}
    assert {loc.rstrip("/").rsplit("/", 1)[-1] for loc in entries} == inside
    dates = [datetime.fromisoformat(url.findtext(f"{NEWS}news/{NEWS}publication_date")) for url in entries.values()]
    assert dates == sorted(dates, reverse=True)
    assert all(CLOCK - timedelta(hours=48) <= when <= CLOCK for when in dates)


def test_sitemap_splits_into_an_index_past_the_limit(clock_site: BuiltSite, schema) -> None:
    index = etree.parse(str(clock_site.root / "sitemap.xml")).getroot()
    # No siteindex.xsd ships with the pinned schemas, so the index's shape is checked here.
    assert index.tag == SM + "sitemapindex"
    assert index.nsmap == {None: SM[1:-1]}
    children = index.findall(SM + "sitemap")
    assert len(children) >= 2
    assert all(element.tag == SM + "sitemap" for element in index)
    listed: list[str] = []
    for child in children:
        assert [element.tag for element in child] == [SM + "loc", SM + "lastmod"]
        loc = child.findtext(SM + "loc")
        assert loc.startswith(PRODUCTION_SITEURL + "/")
        document = etree.parse(str(clock_site.root / loc.removeprefix(PRODUCTION_SITEURL + "/")))
        schema.assertValid(document)
        urls = locs(document)
        assert 1 <= len(urls) <= SMALL_LIMIT
        written = [u.findtext(SM + "lastmod") for u in document.getroot()]
        child_lastmods = [datetime.fromisoformat(text) for text in written if text]
        assert child_lastmods
        assert datetime.fromisoformat(child.findtext(SM + "lastmod")) == max(child_lastmods)
        listed += urls
    syndicated = f"{PRODUCTION_SITEURL}/{CLOCK.year}/{CLOCK.month:02d}/syndicated-copy/"
    assert set(listed) == expected_urls(clock_site) - {syndicated}
    assert len(listed) == len(set(listed))
    assert f"{PRODUCTION_SITEURL}/contact/" in listed


def test_syndicated_copy_is_left_to_its_original(clock_site: BuiltSite) -> None:
    page = clock_site.page(f"{CLOCK.year}/{CLOCK.month:02d}/syndicated-copy/")
    assert page.find("link", rel="canonical")["href"] == ORIGINAL
    assert page.find("meta", property="og:url")["content"] == ORIGINAL
    assert not any("syndicated-copy" in loc for loc in news_entries(clock_site))


def test_development_build_writes_no_sitemaps(site: BuiltSite) -> None:
    for name in ("sitemap.xml", "news-sitemap.xml", "robots.txt"):
        assert not (site.root / name).exists()


def test_a_page_outside_git_has_no_lastmod(clock_site: BuiltSite) -> None:
    entries = {}
    for name in sorted(clock_site.root.glob("sitemap-*.xml")):
        for url in etree.parse(str(name)).getroot():
            entries[url.findtext(SM + "loc")] = url.findtext(SM + "lastmod")
    assert f"{PRODUCTION_SITEURL}/contact/" in entries
    assert entries[f"{PRODUCTION_SITEURL}/contact/"] is None


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Desk",
        "GIT_AUTHOR_EMAIL": "desk@example.org",
        "GIT_COMMITTER_NAME": "Desk",
        "GIT_COMMITTER_EMAIL": "desk@example.org",
        "GIT_AUTHOR_DATE": "2026-03-04T05:06:07+00:00",
        "GIT_COMMITTER_DATE": "2026-03-04T05:06:07+00:00",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_two_checkouts_of_one_commit_build_the_same_site(tmp_path: Path) -> None:
    """Whatever the files' modification times, a page without a Date takes its lastmod from its last commit."""
    first = tmp_path / "first"
    content = new_content_dir(first)
    write_article(content, "a-story")
    (content / "pages" / "contact.md").write_text("Title: Contact\nSlug: contact\n\nWrite to us.\n", encoding="utf-8")
    git(first, "init", "-q")
    git(first, "add", "-A")
    git(first, "commit", "-q", "-m", "Start the archive")
    second = tmp_path / "second"
    subprocess.run(["git", "clone", "-q", str(first), str(second)], check=True)
    for number, path in enumerate(sorted((second / "content").rglob("*"))):
        os.utime(path, (1_600_000_000 + number * 977, 1_600_000_000 + number * 977))
    env = {"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": str(int(CLOCK.timestamp()))}
    sites = [
        built(checkout / "output", content=checkout / "content", production=True, env=env)
        for checkout in (first, second)
    ]
    trees = [tree_digest(site.root) for site in sites]
    assert trees[0]
    assert trees[0] == trees[1]
    lastmods = {
        url.findtext(SM + "loc"): url.findtext(SM + "lastmod")
        for url in etree.parse(str(sites[0].root / "sitemap.xml")).getroot()
    }
    assert datetime.fromisoformat(lastmods[f"{PRODUCTION_SITEURL}/contact/"]) == datetime(
        2026, 3, 4, 5, 6, 7, tzinfo=UTC
    )
