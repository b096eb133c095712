"""Corrections and updates on a built site: the notices, the structured data, the feeds and the corrections page."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from conftest import PRODUCTION_SITEURL, BuiltSite, build_site, built, new_content_dir, write_article

ENV = {"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": "1795000000"}  # 2026-11-18


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    content = new_content_dir(tmp_path_factory.mktemp("corrected"))
    write_article(
        content,
        "vote-story",
        Date="2026-05-01 09:00",
        Update="2026-05-01 13:00 Adds <b>reaction</b> & comment.",
        Correction="2026-05-02 08:30 An earlier version gave the vote as 7–2; it was 6–3.",
    )
    second = write_article(content, "budget-story", Date="2026-05-04 09:00")
    text = second.read_text(encoding="utf-8")
    second.write_text(
        text.replace(
            "Slug: budget-story\n",
            "Slug: budget-story\nCorrection: 2026-05-05 10:00 The deficit was 3.1%, not 3.4%.\n"
            "Correction: 2026-05-06 11:00 The minister's name was misspelt.\n",
        ),
        encoding="utf-8",
    )
    write_article(content, "clean-story", Date="2026-05-03 09:00")
    return built(content.parent / "output", content=content, production=True, env=ENV)


def test_a_corrected_story_says_so_at_its_top(corrected: BuiltSite) -> None:
    page = corrected.page("2026/05/vote-story/")
    box = page.select_one("article .correction-notice")
    assert box is not None
    assert box.find_previous_sibling("header") is not None  # right under the headline, before the story
    assert box.h2.get_text(strip=True) == "Correction"
    item = box.li
    assert item.time["datetime"] == "2026-05-02T08:30:00+01:00"
    assert "gave the vote as 7–2; it was 6–3." in item.get_text()
    notes = page.select(".story-header .update-notes li")
    assert [note.get_text(" ", strip=True) for note in notes] == [
        "Updated 1 May 2026 : Adds <b>reaction</b> & comment."
    ]
    assert notes[0].find("b") is None  # plain text, escaped
    assert page.select_one(".byline-meta").get_text(" ", strip=True).count("Updated 2 May 2026") == 1
    assert corrected.page("2026/05/clean-story/").select_one(".correction-notice") is None


def test_structured_data_carries_each_correction(corrected: BuiltSite) -> None:
    page = corrected.page("2026/05/budget-story/")
    data = next(
        item
        for item in (json.loads(tag.string) for tag in page.find_all("script", type="application/ld+json"))
        if isinstance(item, dict) and item.get("@type") == "NewsArticle"
    )
    assert data["dateModified"] == "2026-05-06T11:00:00+01:00"
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The deficit was 3.1%, not 3.4%.",
            "datePublished": "2026-05-05T10:00:00+01:00",
        },
        {
            "@type": "CorrectionComment",
            "text": "The minister's name was misspelt.",
            "datePublished": "2026-05-06T11:00:00+01:00",
        },
    ]


def test_feeds_mark_the_item_updated(corrected: BuiltSite) -> None:
    feed = feedparser.parse((corrected.root / "feeds" / "all.atom.xml").read_bytes())
    entries = {entry.link.rstrip("/").rsplit("/", 1)[-1]: entry for entry in feed.entries}
    assert entries["vote-story"].updated.startswith("2026-05-02T08:30:00")
    assert entries["clean-story"].updated.startswith("2026-05-03T09:00:00")


def test_the_corrections_page_lists_every_correction_newest_first(corrected: BuiltSite) -> None:
    page = corrected.page("corrections/")
    assert page.h1.get_text(strip=True) == "Corrections"
    items = page.select("ol.corrections-list > li")
    assert [item.time["datetime"] for item in items] == [
        "2026-05-06T11:00:00+01:00",
        "2026-05-05T10:00:00+01:00",
        "2026-05-02T08:30:00+01:00",
    ]
    links = [item.a["href"] for item in items]
    assert links[0].endswith("/2026/05/budget-story/") and links[2].endswith("/2026/05/vote-story/")
    assert f"{PRODUCTION_SITEURL}/corrections/" in (corrected.root / "sitemap.xml").read_text()
    assert corrected.page("2026/05/clean-story/").select_one('footer a[href$="/corrections/"]') is not None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2026-04-30 09:00 Before the story.", "is before the article was published"),
        ("2099-01-01 09:00 Far ahead.", "is in the future"),
        ("Yesterday we got it wrong.", "must start with its time"),
    ],
)
def test_a_bad_correction_fails_the_build_on_its_line(tmp_path: Path, value: str, words: str) -> None:
    content = new_content_dir(tmp_path)
    path = write_article(content, "story", Date="2026-05-01 09:00", Correction=value)
    result = build_site(tmp_path / "output", content=content)
    assert result.returncode != 0
    assert f"{path}:7: Correction: " in result.stderr
    assert words in result.stderr
