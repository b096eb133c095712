"""The bundled newsroom, built with the project's settings, inspected page by page."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from conftest import CONTENT, BuiltSite, front_matter

ARTICLE_SOURCES = sorted((CONTENT / "articles").rglob("*.md"))


PUBLISHED = [(path, front_matter(path)) for path in ARTICLE_SOURCES if front_matter(path).get("status") != "draft"]
DRAFTS = [(path, front_matter(path)) for path in ARTICLE_SOURCES if front_matter(path).get("status") == "draft"]


def article_url(fields: dict[str, str]) -> str:
    date = datetime.strptime(fields["date"], "%Y-%m-%d %H:%M")
    return f"{date:%Y}/{date:%m}/{fields['slug']}/"


def page_url(site: BuiltSite, path: Path) -> str:
    """The site-relative URL a built file is served at."""
    relative = path.relative_to(site.root).as_posix()
    return "/" + relative.removesuffix("index.html")


def test_build_reports_no_warnings(site: BuiltSite) -> None:
    assert "WARNING" not in site.log and "ERROR" not in site.log, site.log
    assert "Built development site" in site.log


def test_every_published_article_has_a_page(site: BuiltSite) -> None:
    assert len(PUBLISHED) >= 12
    for _, fields in PUBLISHED:
        page = site.page(article_url(fields))
        assert page.h1.get_text(strip=True) == fields["title"]
    assert len(site.article_files()) == len(PUBLISHED)


@pytest.mark.parametrize(
    "relative",
    ["", "page/2/", "archive/", "section/", "tag/", "author/", "about/", "404.html"],
)
def test_listing_and_static_pages_exist(site: BuiltSite, relative: str) -> None:
    page = site.page(relative)
    assert len(page.find_all("h1")) == 1


def test_section_tag_author_and_month_pages_exist(site: BuiltSite) -> None:
    sections = {fields["category"] for _, fields in PUBLISHED}
    assert len(sections) >= 4
    for section in sections:
        page = site.page(f"section/{section.lower()}/")
        assert page.h1.get_text(strip=True) == section
    authors = {fields["authors"] for _, fields in PUBLISHED}
    assert len(authors) >= 3
    for path in (site.root / "author").glob("*/index.html"):
        page = site.page(path.relative_to(site.root).as_posix())
        assert page.select_one(".author-bio").get_text(strip=True), f"{path} shows no bio"
    assert len(list((site.root / "author").glob("*/index.html"))) == len(authors)
    months = {datetime.strptime(f["date"], "%Y-%m-%d %H:%M").strftime("%Y/%m") for _, f in PUBLISHED}
    for month in months:
        assert (site.root / "archive" / month / "index.html").is_file()
    archive_links = {a["href"] for a in site.page("archive/").select("main a[href]")}
    assert sum(1 for href in archive_links if re.search(r"\d{4}/\d{2}/[^/]+/$", href)) == len(PUBLISHED)
    tags = {tag.strip() for _, f in PUBLISHED for tag in f.get("tags", "").split(",") if tag.strip()}
    assert len(list((site.root / "tag").glob("*/index.html"))) == len(tags)


def test_every_page_has_one_h1_a_lang_skip_link_and_main(site: BuiltSite) -> None:
    assert site.html_files()
    for path in site.html_files():
        page = site.page(path.relative_to(site.root).as_posix())
        assert page.html.get("lang") == "en", path
        assert len(page.find_all("h1")) == 1, f"{path} has {len(page.find_all('h1'))} h1"
        assert page.find("main", id="main"), path
        skip = page.find("a", class_="skip-link")
        assert skip and skip["href"] == "#main", path


def test_no_internal_link_points_to_a_missing_file(site: BuiltSite) -> None:
    missing = []
    checked = 0
    assert site.html_files()
    for path in site.html_files():
        page = site.page(path.relative_to(site.root).as_posix())
        base = "http://site.test" + page_url(site, path)
        for element in page.find_all(href=True) + page.find_all(src=True):
            target = element.get("href") or element.get("src")
            absolute = urlparse(urljoin(base, target))
            if absolute.netloc != "site.test":
                continue
            checked += 1
            file = site.root / unquote(absolute.path).lstrip("/")
            if absolute.path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                missing.append(f"{path.relative_to(site.root)} → {target}")
            if absolute.fragment and file.suffix == ".html" and file.is_file():
                target_page = site.page(file.relative_to(site.root).as_posix())
                if not target_page.find(id=absolute.fragment):
                    missing.append(f"{path.relative_to(site.root)} → {target} (no such id)")
    assert not missing, "\n".join(missing)
    assert checked > len(site.html_files()), "too few internal links were followed"


def test_ids_are_unique_on_every_page(site: BuiltSite) -> None:
    assert site.html_files()
    for path in site.html_files():
        page = site.page(path.relative_to(site.root).as_posix())
        ids = Counter(element["id"] for element in page.find_all(id=True))
        repeated = [id_ for id_, count in ids.items() if count > 1]
        assert not repeated, f"{path}: repeated ids {repeated}"


def test_emoji_headings_get_clean_unique_ids(site: BuiltSite) -> None:
    emoji_headings = 0
    assert PUBLISHED
    for _, fields in PUBLISHED:
        page = site.page(article_url(fields))
        for heading in page.select(".story-body h2, .story-body h3"):
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", heading["id"]), heading
            text = heading.get_text(strip=True)
            if text and not text[0].isascii():
                emoji_headings += 1
    assert emoji_headings >= len(PUBLISHED) * 2


def test_dates_bylines_and_reading_time_render(site: BuiltSite) -> None:
    assert PUBLISHED
    assert any("modified" in fields for _, fields in PUBLISHED), "no bundled article shows a modified date"
    for _, fields in PUBLISHED:
        page = site.page(article_url(fields))
        published = datetime.fromisoformat(page.select_one(".byline-meta time")["datetime"])
        assert published.strftime("%Y-%m-%d %H:%M") == fields["date"]
        assert published.utcoffset() is not None, "datetime carries the site's time zone"
        author_link = page.select_one('.byline a[rel="author"]')
        assert author_link.get_text(strip=True) == fields["authors"]
        assert re.fullmatch(r"\d+ min read", page.find(string=re.compile(r"min read")).strip())
        times = page.select(".byline-meta time")
        # The latest of Modified and the times of corrections and updates (each notice starts with its time).
        changes = [fields.get("modified", "")] + [fields.get(key, "")[:16] for key in ("correction", "update")]
        modified = max(changes)
        if modified and modified != fields["date"]:
            assert len(times) == 2
            assert datetime.fromisoformat(times[1]["datetime"]).strftime("%Y-%m-%d %H:%M") == modified
        else:
            assert len(times) == 1


def test_every_card_shows_the_dek_of_the_story_it_links(site: BuiltSite) -> None:
    summaries = {article_url(fields): " ".join(fields["summary"].split()) for _, fields in PUBLISHED}
    cards = 0
    for relative in ["", "page/2/", "section/trade/", article_url(PUBLISHED[0][1])]:
        page = site.page(relative)
        for card in page.select(".story-card, .keep-reading-card, .lead-story"):
            link = card.select_one(".story-card-title a, .keep-reading-headline a, .lead-title a")
            target = urlparse(urljoin(f"https://site.test/{relative}", link["href"])).path.lstrip("/")
            assert " ".join(card.select_one(".dek").get_text().split()) == summaries[target], (relative, target)
            cards += 1
    assert cards >= 15


def test_article_shows_kicker_dek_hero_and_tags(site: BuiltSite) -> None:
    with_image = [(p, f) for p, f in PUBLISHED if "image" in f]
    assert with_image and len(with_image) < len(PUBLISHED), "the bundled articles show pages with and without a hero"
    for _, fields in PUBLISHED:
        page = site.page(article_url(fields))
        kicker = page.select_one(".story-header .kicker a")
        assert kicker.get_text(strip=True) == fields["category"]
        assert page.select_one(".story-header .dek").get_text(strip=True)
        tags = [a.get_text(strip=True) for a in page.select(".tag-list a")]
        assert tags == [t.strip() for t in fields.get("tags", "").split(",") if t.strip()]
        hero = page.select_one("figure.hero img")
        if "image" in fields:
            assert hero["alt"] == fields["image_alt"]
            assert int(hero["width"]) > 0 and int(hero["height"]) > 0
            assert fields["image_credit"] in page.select_one("figure.hero figcaption").get_text()
        else:
            assert hero is None


def test_pull_quotes_keep_their_attribution(site: BuiltSite) -> None:
    said = re.compile(r'^\S+\s+"(.+?)"\s*,?\s*said\s+(.+?)\.?$', re.MULTILINE)
    checked = 0
    for path, fields in PUBLISHED:
        for match in said.finditer(path.read_text(encoding="utf-8")):
            page = site.page(article_url(fields))
            figures = page.select("figure.pull-quote")
            captions = [figure.figcaption.get_text(strip=True).replace("’", "'") for figure in figures]
            assert match.group(2).rstrip(".") in captions, (path, captions)
            checked += 1
    assert checked >= 5


def test_home_leads_with_the_featured_story_then_sections(site: BuiltSite) -> None:
    featured = [fields for _, fields in PUBLISHED if fields.get("featured", "").lower() == "true"]
    home = site.page("")
    lead = home.select_one(".lead-story .lead-title a")
    assert len(featured) == 1
    assert lead.get_text(strip=True) == featured[0]["title"]
    groups = [group.h2.get_text(strip=True) for group in home.select(".section-group")]
    assert len(groups) >= 3 and len(groups) == len(set(groups))
    assert home.select_one('a[rel="next"]')["href"].endswith("page/2/")


def test_drafts_are_not_published(site: BuiltSite) -> None:
    assert DRAFTS, "the sample newsroom keeps one draft to show this"
    assert site.html_files()
    every_page = "".join(path.read_text(encoding="utf-8") for path in site.html_files())
    for _, fields in DRAFTS:
        assert fields["title"] not in every_page
        assert fields["slug"] not in every_page
    assert not (site.root / "drafts").exists()


def test_plain_text_fields_are_escaped(built_one_off) -> None:
    site = built_one_off(title="Tariffs <b>up</b> & away", summary="Cheap <i>chips</i> & more", tags="R&D, <em>AI</em>")
    page = site.page("2026/05/hostile/")
    assert page.h1.get_text() == "Tariffs <b>up</b> & away"
    assert page.h1.find("b") is None
    assert page.select_one(".dek").find("i") is None
    assert not [tag for tag in page.find_all("script") if tag.get("type") != "application/ld+json"]


@pytest.fixture
def built_one_off(content_dir: Path, tmp_path: Path):
    from conftest import built, write_article

    def build(**fields: str) -> BuiltSite:
        write_article(content_dir, "hostile", Title=fields["title"], Summary=fields["summary"], Tags=fields["tags"])
        return built(tmp_path / "out", content=content_dir)

    return build


def test_every_page_has_its_own_title_and_description(site: BuiltSite) -> None:
    titles = Counter()
    assert site.html_files() and PUBLISHED
    for path in site.html_files():
        page = site.page(path.relative_to(site.root).as_posix())
        titles[page.title.get_text()] += 1
        assert page.find("meta", attrs={"name": "description"})["content"].strip(), path
    assert max(titles.values()) == 1, [title for title, count in titles.items() if count > 1]
    for _, fields in PUBLISHED:
        page = site.page(article_url(fields))
        assert page.title.get_text() == f"{fields['title']} · Atlas News"
        assert page.find("meta", attrs={"name": "description"})["content"] == fields["summary"]
