"""Canonical URLs, Open Graph, Twitter cards, meta descriptions and JSON-LD in the built pages."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PRODUCTION_SITEURL, BuiltSite, built, new_content_dir, write_article
from PIL import Image

DESCRIPTION_LIMIT = 160


def json_ld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]


def of_type(blocks: list[dict], kind: str) -> dict:
    matching = [block for block in blocks if block.get("@type") == kind]
    assert len(matching) == 1, f"expected one {kind}, found {len(matching)}"
    return matching[0]


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", property=key) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def meta_all(page: BeautifulSoup, key: str) -> list[str]:
    return [tag["content"] for tag in page.find_all("meta", property=key)]


def file_for(site: BuiltSite, url: str) -> Path:
    assert url.startswith(PRODUCTION_SITEURL + "/"), url
    path = site.root / url.removeprefix(PRODUCTION_SITEURL + "/")
    return path / "index.html" if url.endswith("/") else path


def own_url(site: BuiltSite, path: Path) -> str:
    return f"{PRODUCTION_SITEURL}/{path.relative_to(site.root).as_posix().removesuffix('index.html')}"


def articles(site: BuiltSite) -> list[tuple[Path, BeautifulSoup]]:
    found = [(path, site.page(str(path.relative_to(site.root)))) for path in site.article_files()]
    assert found, "the build wrote no article pages"
    return found


def html_files(site: BuiltSite) -> list[Path]:
    found = site.html_files()
    assert found, "the build wrote no HTML"
    return found


def test_every_page_has_one_canonical_url_of_its_own(production_site: BuiltSite) -> None:
    for path in html_files(production_site):
        page = production_site.page(str(path.relative_to(production_site.root)))
        canonicals = page.head.find_all("link", rel="canonical")
        if path.name == "404.html":
            assert not canonicals
            assert meta(page, "robots") == "noindex"
            continue
        assert [link["href"] for link in canonicals] == [own_url(production_site, path)]
        assert meta(page, "og:url") == own_url(production_site, path)
        not_indexed = path.relative_to(production_site.root).as_posix() == "subscribe/thanks/index.html"
        assert meta(page, "robots") == ("noindex" if not_indexed else "max-image-preview:large")


def test_article_open_graph_and_twitter_tags(production_site: BuiltSite) -> None:
    for _path, page in articles(production_site):
        headline = page.select_one("h1.headline").get_text()
        assert meta(page, "og:type") == "article"
        assert meta(page, "og:title") == meta(page, "twitter:title") == headline
        assert meta(page, "og:site_name") == "Atlas News"
        assert meta(page, "og:description") == meta(page, "twitter:description") == meta(page, "description")
        assert meta(page, "article:section") == page.select_one(".kicker a").get_text()
        assert meta_all(page, "article:tag") == [a.get_text() for a in page.select(".tag-list a")]
        published = datetime.fromisoformat(meta(page, "article:published_time"))
        modified = datetime.fromisoformat(meta(page, "article:modified_time"))
        assert published.utcoffset() is not None and modified >= published
        assert published == datetime.fromisoformat(page.select_one(".byline-meta time")["datetime"])
        # Every story shares with a picture: its own card (tests/test_images.py checks the pixels).
        hero = page.select_one(".hero img")
        card = meta(page, "og:image")
        assert card == meta(page, "twitter:image") and file_for(production_site, card).is_file()
        assert "/images/cards/" in card and not card.endswith(".svg")
        assert meta(page, "twitter:card") == "summary_large_image"
        assert meta(page, "og:image:alt") == (hero["alt"] if hero else f"{headline} — Atlas News")


# Listings share the document title; a page, like an article, shares its own title without the site name.
WEBSITE_TITLES = {
    "": "Atlas News · Geopolitics, trade and technology, explained without the noise.",
    "section/trade/": "Trade · Atlas News",
    "tag/": "Topics · Atlas News",
    "archive/": "Archive · Atlas News",
    "about/": "About Atlas News",
}


@pytest.mark.parametrize(("relative", "title"), WEBSITE_TITLES.items())
def test_listing_and_static_pages_are_websites(production_site: BuiltSite, relative: str, title: str) -> None:
    page = production_site.page(relative)
    assert meta(page, "og:type") == "website"
    # Listings share the site's card; a page its own.
    assert meta(page, "twitter:card") == "summary_large_image"
    assert ("/images/cards/site-og-" in meta(page, "og:image")) == (relative != "about/")
    assert meta(page, "og:title") == meta(page, "twitter:title") == title
    if relative == "about/":
        assert title == page.find("h1").get_text() != page.title.get_text()
    else:
        assert title == page.title.get_text()
    assert meta(page, "article:published_time") is None


def test_descriptions_come_from_the_summary_as_written(production_site: BuiltSite) -> None:
    for _path, page in articles(production_site):
        description = meta(page, "description")
        dek = page.select_one(".dek")
        if dek is not None:
            assert description == " ".join(dek.get_text().split())
        else:
            assert description and len(description) <= DESCRIPTION_LIMIT


def test_titles_name_the_page(production_site: BuiltSite) -> None:
    for _path, page in articles(production_site):
        assert page.title.get_text() == f"{page.select_one('h1.headline').get_text()} · Atlas News"
    assert production_site.page("section/world/").title.get_text() == "World · Atlas News"


def test_articles_carry_news_article_and_breadcrumbs(production_site: BuiltSite) -> None:
    for path, page in articles(production_site):
        blocks = json_ld(page)
        assert len(blocks) == 2
        story = of_type(blocks, "NewsArticle")
        assert story["@context"] == "https://schema.org"
        headline = page.select_one("h1.headline").get_text()
        # Every bundled headline fits in 110 characters, so none is shortened.
        assert len(headline) <= 110
        assert story["headline"] == headline
        assert story["mainEntityOfPage"]["@id"] == story["url"] == own_url(production_site, path)
        assert story["datePublished"] == meta(page, "article:published_time")
        assert story["dateModified"] == meta(page, "article:modified_time")
        for key in ("datePublished", "dateModified"):
            assert datetime.fromisoformat(story[key]).utcoffset() is not None
        assert story["articleSection"] == meta(page, "article:section")
        assert story["keywords"] == meta_all(page, "article:tag")
        byline = page.select(".byline-authors a")
        assert [(a["@type"], a["name"], a["url"]) for a in story["author"]] == [
            ("Person", a.get_text(), a["href"]) for a in byline
        ]
        assert all(file_for(production_site, a["url"]).is_file() for a in story["author"])
        # The share card in the three shapes Google's article guidelines ask for.
        shapes = []
        for url in story["image"]:
            with Image.open(file_for(production_site, url)) as image:
                assert image.format in ("PNG", "JPEG") and image.width == 1200
                shapes.append(round(image.width / image.height, 2))
        assert shapes == [round(16 / 9, 2), round(4 / 3, 2), 1.0]
        publisher = story["publisher"]
        assert publisher["@type"] == "Organization" and publisher["name"] == "Atlas News"
        logo = file_for(production_site, publisher["logo"]["url"])
        with Image.open(logo) as image:
            assert image.format == "PNG" and image.width == image.height >= 112

        trail = of_type(blocks, "BreadcrumbList")["itemListElement"]
        assert [item["position"] for item in trail] == [1, 2, 3]
        assert [item["item"] for item in trail] == [
            PRODUCTION_SITEURL + "/",
            page.select_one(".kicker a")["href"],
            own_url(production_site, path),
        ]
        assert trail[2]["name"] == headline


def test_home_page_has_a_website_block_and_no_other_page_does(production_site: BuiltSite) -> None:
    website = of_type(json_ld(production_site.page("")), "WebSite")
    assert website["url"] == PRODUCTION_SITEURL + "/"
    assert website["name"] == "Atlas News"
    for path in html_files(production_site):
        if path != production_site.root / "index.html":
            page = production_site.page(str(path.relative_to(production_site.root)))
            assert all(block["@type"] != "WebSite" for block in json_ld(page)), path


def test_every_absolute_url_in_the_head_is_under_the_sub_path(production_site: BuiltSite) -> None:
    checked = 0
    for path in html_files(production_site):
        head = production_site.page(str(path.relative_to(production_site.root))).head
        urls = [tag["href"] for tag in head.find_all("link", href=True)]
        urls += [tag["content"] for tag in head.find_all("meta", content=True) if tag["content"].startswith("http")]
        for url in urls:
            assert url.startswith(PRODUCTION_SITEURL + "/"), f"{path}: {url}"
        checked += len(urls)
    assert checked > len(html_files(production_site)), "too few absolute URLs in the heads"


@pytest.fixture(scope="module")
def fallback_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    content = new_content_dir(tmp_path_factory.mktemp("fallback"))
    opening = (
        "Freight rates on the **Asia–Europe** route rose for a fourth week as carriers kept sailing around "
        "the Cape of Good Hope, adding ten days to each voyage and tying up ships that would otherwise "
        "be idle in a market that was, until recently, oversupplied."
    )
    write_article(content, "no-summary", body=f"{opening}\n\nSecond paragraph.\n", Summary=None)
    return built(
        tmp_path_factory.mktemp("fallback-site") / "output",
        content=content,
        production=True,
        env={"SITEURL": PRODUCTION_SITEURL},
    )


def test_description_falls_back_to_the_first_paragraph(fallback_site: BuiltSite) -> None:
    page = fallback_site.page(fallback_site.article_files()[0].relative_to(fallback_site.root).as_posix())
    description = meta(page, "description")
    first = " ".join(page.select_one(".story-body p").get_text().split())
    assert len(first) > DESCRIPTION_LIMIT
    assert len(description) <= DESCRIPTION_LIMIT
    assert description.endswith("…")
    kept = description[:-1]
    assert first.startswith(kept) and first[len(kept)] in " ,"
    assert of_type(json_ld(page), "NewsArticle")["description"] == description


def test_each_page_has_one_robots_hint_and_the_thanks_page_is_not_indexed(production_site: BuiltSite) -> None:
    for path in html_files(production_site):
        page = production_site.page(path.relative_to(production_site.root).as_posix())
        assert len(page.find_all("meta", attrs={"name": "robots"})) == 1, path
    thanks = production_site.page("subscribe/thanks/")
    assert thanks.find("meta", attrs={"name": "robots"})["content"] == "noindex"
