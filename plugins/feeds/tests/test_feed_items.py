"""Unit tests of the feed plugin's pieces: JSON Feed items, Atom/RSS corrections, absolute links."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from feedgenerator import Atom1Feed, Rss201rev2Feed
from feeds.atom_rss import correct_feed
from feeds.json_feed import DEFAULTS, feed_item, json_feed, plain_text, validate_settings
from feeds.links import absolute_links
from hypothesis import given
from hypothesis import strategies as st
from plugin_support.urls import site_url as site_url_for

SITEURL = "https://example.org/sub"


def make_article(title: str = "A title", summary: str | None = "A summary.", **extra) -> SimpleNamespace:
    metadata = {"summary": summary} if summary is not None else {}
    content = extra.pop("content", '<p>Body <a href="../other/">link</a> and <img src="images/x.png" alt=""></p>')
    article = SimpleNamespace(
        title=title,
        url="2026/05/a-title/",
        date=datetime(2026, 5, 1, 9, tzinfo=UTC),
        metadata=metadata,
        summary=summary if summary is not None else "<p>Generated &amp; cut…</p>",
        authors=[SimpleNamespace(name="Mara Lindqvist", url="author/mara-lindqvist/")],
        tags=[SimpleNamespace(name="trade")],
        translations=[],
        get_content=lambda siteurl: content,
        **extra,
    )
    return article


def test_site_url_keeps_the_sub_path() -> None:
    assert site_url_for(SITEURL, "feeds/all.json") == "https://example.org/sub/feeds/all.json"
    assert site_url_for(SITEURL + "/", "") == "https://example.org/sub/"


def test_absolute_links_resolve_against_the_article() -> None:
    html = '<a href="../b/">b</a> <img src="/sub/x.png"> <a href="#fn1">1</a> <a href="https://else.org/">e</a>'
    out = absolute_links(html, "https://example.org/sub/2026/05/a/")
    assert 'href="https://example.org/sub/2026/05/b/"' in out
    assert 'src="https://example.org/sub/x.png"' in out
    assert 'href="https://example.org/sub/2026/05/a/#fn1"' in out
    assert 'href="https://else.org/"' in out


def test_plain_text_drops_tags_and_decodes_entities() -> None:
    assert plain_text("<p>Fish &amp; <em>chips</em>\n now</p>") == "Fish & chips now"


def test_item_has_every_json_feed_field_with_absolute_urls() -> None:
    item = feed_item(make_article(image="images/hero.png"), SITEURL)
    assert item["id"] == item["url"] == "https://example.org/sub/2026/05/a-title/"
    assert item["authors"] == [{"name": "Mara Lindqvist", "url": "https://example.org/sub/author/mara-lindqvist/"}]
    assert item["image"] == "https://example.org/sub/images/hero.png"
    assert item["date_published"] == item["date_modified"] == "2026-05-01T09:00:00+00:00"
    assert 'href="https://example.org/sub/2026/05/other/"' in item["content_html"]
    assert item["tags"] == ["trade"]


def test_item_without_front_matter_summary_uses_the_generated_one_as_text() -> None:
    assert feed_item(make_article(summary=None), SITEURL)["summary"] == "Generated & cut…"


def test_feed_honours_the_item_limit() -> None:
    settings = {**DEFAULTS, "SITEURL": SITEURL, "SITENAME": "Atlas", "JSON_FEED_MAX_ITEMS": 1}
    document = json_feed([make_article(), make_article()], settings, feed_path="feeds/all.json", title="Atlas")
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "https://example.org/sub/feeds/all.json"
    assert len(document["items"]) == 1


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"JSON_FEED_ALL": 3}, "JSON_FEED_ALL"),
        ({"JSON_FEED_CATEGORY": "feeds/section.json"}, "JSON_FEED_CATEGORY"),
        ({"JSON_FEED_MAX_ITEMS": 0}, "JSON_FEED_MAX_ITEMS"),
        ({"JSON_FEED_ALL": "feeds/all.json", "SITEURL": ""}, "SITEURL"),
    ],
)
def test_bad_settings_are_named(overrides: dict, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        validate_settings({"SITEURL": SITEURL, **overrides})


@pytest.mark.parametrize("feed_class", [Atom1Feed, Rss201rev2Feed])
def test_correct_feed_restores_plain_text(feed_class) -> None:
    title = 'Tariffs "up" & </script><b>bold</b>'
    article = make_article(title=title, summary="Fish & <chips>")
    feed = feed_class(title="Atlas", link=SITEURL + "/", description="d")
    feed.add_item(
        title="stripped by Pelican",
        link=site_url_for(SITEURL, article.url),
        description=article.summary,
        content=article.get_content(SITEURL),
        author_name="Mara",
    )
    correct_feed({"SITEURL": SITEURL, "articles": [article]}, feed)
    item = feed.items[0]
    assert item["title"] == title
    assert item["description"] == "Fish &amp; &lt;chips&gt;"
    assert 'href="https://example.org/sub/2026/05/other/"' in item["content"]


# Any text without "=", so it holds no attribute, yet often the words href and src, in any case and spacing.
TEXT_WITHOUT_ATTRIBUTES = st.lists(
    st.sampled_from(["href", "src", "HREF", " Src", " href ", 'src "x"', "href:'y'", "<a href>", " "])
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="="), max_size=10),
    max_size=8,
).map("".join)
# Text around a tag: no quote, "=" or "<", so it cannot hold an attribute of its own.
PROSE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="=\"'<>"), max_size=20)
RELATIVE_PATH = st.from_regex(r"[a-z0-9-]+(/[a-z0-9-]+)*/?", fullmatch=True)


@given(TEXT_WITHOUT_ATTRIBUTES)
def test_absolute_links_leave_text_without_attributes_alone(text: str) -> None:
    assert absolute_links(text, SITEURL + "/") == text


@given(PROSE, PROSE, RELATIVE_PATH, st.sampled_from(["href", "src", "HREF", "Src"]), st.sampled_from(['"', "'"]))
def test_absolute_links_resolve_only_the_attribute_and_keep_the_text_around_it(
    before: str, after: str, path: str, name: str, quote: str
) -> None:
    html = f"{before}<a {name}={quote}{path}{quote}>{after}</a>"
    expected = f"{before}<a {name}={quote}https://example.org/sub/2026/05/a/{path}{quote}>{after}</a>"
    assert absolute_links(html, "https://example.org/sub/2026/05/a/") == expected
