"""Unit tests of descriptions, JSON-LD building and the script-safe JSON serialiser."""

from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from page_metadata.metadata import (
    DEFAULTS,
    breadcrumbs,
    description,
    first_paragraph,
    json_for_script,
    news_article,
    shorten,
    site_url,
    start_build,
    validate_settings,
)

SETTINGS = {**DEFAULTS, "SITENAME": "Atlas News", "SITEURL": "https://example.org/sub", "DEFAULT_LANG": "en"}
validate_settings(SETTINGS)
LONDON = ZoneInfo("Europe/London")


def article(**fields) -> SimpleNamespace:
    values = {
        "title": "Headline",
        "url": "2026/05/headline/",
        "date": datetime(2026, 5, 1, 9, tzinfo=LONDON),
        "metadata": {},
        "content": "<p>First paragraph.</p>",
        "authors": [SimpleNamespace(name="Mara Lindqvist", url="author/mara-lindqvist/")],
        "category": SimpleNamespace(name="World", url="section/world/"),
        "tags": [SimpleNamespace(name="trade"), SimpleNamespace(name="EU")],
    }
    values.update(fields)
    return SimpleNamespace(**values)


@given(st.text(max_size=400), st.integers(min_value=20, max_value=200))
def test_shorten_stays_within_the_limit(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert len(short) <= limit
    flat = " ".join(text.split())
    if len(flat) <= limit:
        assert short == flat
    else:
        assert short.endswith("…")


def test_shorten_cuts_at_a_word_boundary() -> None:
    text = "Ministers agreed on Tuesday to extend the licensing regime for another twelve months"
    short = shorten(text, 40)
    assert short == "Ministers agreed on Tuesday to extend…"
    assert text.startswith(short[:-1])


JSON_VALUES = st.recursive(
    st.text(max_size=30) | st.integers() | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60)
@given(JSON_VALUES)
def test_script_json_round_trips_and_cannot_close_the_script(data) -> None:
    text = json_for_script(data)
    assert not set(text) & set("<>&")
    assert json.loads(text) == data


def test_first_paragraph_is_text() -> None:
    html = '<figure><img src="x"></figure>\n<p></p><p class="lede">Fish &amp; <em>chips</em>\n today.</p><p>Second.</p>'
    assert first_paragraph(html) == "Fish & chips today."


def test_description_prefers_summary_then_takeaways_then_first_paragraph() -> None:
    takeaways = [SimpleNamespace(text="Prices rose."), {"text": "Talks <em>resume</em>."}]
    assert description(article(metadata={"summary": "The dek."}, takeaways=takeaways), 160) == "The dek."
    assert description(article(takeaways=takeaways), 160) == "Prices rose. Talks resume."
    assert description(article(takeaways=[]), 160) == "First paragraph."


def test_news_article_properties() -> None:
    data = news_article(article(title="T" * 200, image="images/hero.png"), SETTINGS)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "T" * 109 + "…"
    assert data["datePublished"] == "2026-05-01T09:00:00+01:00"
    assert data["image"] == ["https://example.org/sub/images/hero.png"]
    assert data["author"][0] == {
        "@type": "Person",
        "name": "Mara Lindqvist",
        "url": "https://example.org/sub/author/mara-lindqvist/",
    }
    assert data["publisher"]["logo"]["url"] == "https://example.org/sub/theme/images/logo.png"
    assert data["keywords"] == ["trade", "EU"]
    assert data["articleSection"] == "World"


def test_canonical_override_becomes_the_main_entity() -> None:
    original = "https://partner.example/story"
    data = news_article(article(metadata={"canonical": original}), SETTINGS)
    assert data["mainEntityOfPage"]["@id"] == data["url"] == original


def test_breadcrumbs_run_home_section_article() -> None:
    items = breadcrumbs(article(), SETTINGS)["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3]
    assert [item["item"] for item in items] == [
        "https://example.org/sub/",
        "https://example.org/sub/section/world/",
        "https://example.org/sub/2026/05/headline/",
    ]


def test_what_all_articles_share_follows_the_settings_and_each_name() -> None:
    start_build()
    mara = SimpleNamespace(name="Mara Lindqvist", url="author/mara-lindqvist/")
    ines = SimpleNamespace(name="Ines Okafor", url="author/ines-okafor/")
    world = SimpleNamespace(name="World", url="section/world/")
    first = news_article(article(authors=[mara, ines], category=world), SETTINGS)
    second = news_article(article(authors=[ines], category=world), SETTINGS)
    assert [author["url"] for author in first["author"]] == [
        "https://example.org/sub/author/mara-lindqvist/",
        "https://example.org/sub/author/ines-okafor/",
    ]
    assert second["author"][0]["url"] == "https://example.org/sub/author/ines-okafor/"
    assert second["publisher"] == first["publisher"]
    elsewhere = {**SETTINGS, "SITEURL": "https://news.example", "PUBLISHER_NAME": "Atlas"}
    moved = news_article(article(authors=[mara], category=world), elsewhere)
    assert moved["author"][0]["url"] == "https://news.example/author/mara-lindqvist/"
    assert moved["publisher"]["name"] == "Atlas"
    assert moved["publisher"]["logo"]["url"] == "https://news.example/theme/images/logo.png"
    trail = breadcrumbs(article(authors=[mara], category=world), elsewhere)["itemListElement"]
    assert trail[1]["item"] == "https://news.example/section/world/"
    assert breadcrumbs(article(category=world), SETTINGS)["itemListElement"][1]["item"] == (
        "https://example.org/sub/section/world/"
    )
    start_build()
    world.url = "desk/world/"  # another build, with the same settings and another address for the section
    assert breadcrumbs(article(category=world), SETTINGS)["itemListElement"][1]["item"] == (
        "https://example.org/sub/desk/world/"
    )


def test_site_url_drops_index_html() -> None:
    assert site_url(SETTINGS, "page/2/index.html") == "https://example.org/sub/page/2/"


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"META_DESCRIPTION_LENGTH": 5}, "META_DESCRIPTION_LENGTH"),
        ({"HEADLINE_MAX_LENGTH": "110"}, "HEADLINE_MAX_LENGTH"),
        ({"TWITTER_SITE": "atlas"}, "TWITTER_SITE"),
        ({"PUBLISHER_LOGO": ""}, "PUBLISHER_LOGO"),
    ],
)
def test_bad_settings_are_named(overrides: dict, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        validate_settings({"SITENAME": "Atlas", **overrides})
