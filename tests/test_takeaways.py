"""Key Takeaways boxes on the built site: markup, counts from the sources, meta description, errors."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import CONTENT, BuiltSite, build_site, built, front_matter, new_content_dir, write_article

# The headings the site promotes to a box when a bullet list follows (its default aliases), written as an
# author would see them once emoji, a trailing colon and case are set aside.
ALIASES = {"key takeaways", "takeaways", "key points", "tl;dr"}
FENCE = "::: takeaways"
UNTITLED = "Key Takeaways"


def plain_heading(text: str) -> str:
    """A heading's words as compared: "🔑 Key Takeaways:" gives "key takeaways" (ASCII, no colon, lower case)."""
    return "".join(char for char in text if char.isascii()).strip().rstrip(":").strip().lower()


def expected_boxes(source: str) -> list[str]:
    """Each box's title, read from the Markdown with plain string handling.

    A fence line gives its quoted title, or "Key Takeaways" without one; a heading whose words are an alias
    and whose next non-blank line is a bullet gives the heading's own text.
    """
    lines = source.splitlines()
    found: list[str] = []
    for index, line in enumerate(lines):
        if line.strip().lower().startswith(FENCE):
            title = line.strip()[len(FENCE) :].strip().strip('"')
            found.append(title or UNTITLED)
        elif line.startswith("#"):
            text = line.lstrip("#").strip()
            following = next((later for later in lines[index + 1 :] if later.strip()), "")
            if plain_heading(text) in ALIASES and following.lstrip().startswith(("- ", "* ", "+ ")):
                found.append(text)
    return found


def published_sources() -> list[tuple[Path, dict[str, str], str]]:
    sources = []
    for path in sorted((CONTENT / "articles").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        fields = front_matter(text)
        if fields.get("status", "published") == "published":
            sources.append((path, fields, text))
    return sources


def built_page(site: BuiltSite, slug: str) -> str:
    (page,) = site.root.glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{slug}/index.html")
    return str(page.relative_to(site.root))


def test_the_bundled_content_has_the_boxes_it_is_known_to_have() -> None:
    expected = {fields["slug"]: expected_boxes(text) for _, fields, text in published_sources()}
    assert len(expected) >= 12
    # A titled fence, an untitled fence and a heading other than the usual one...
    assert expected.pop("eu-china-ev-price-floor-talks") == ["What it means"]
    assert expected.pop("grid-storage-after-summer") == ["Key Takeaways"]
    assert expected.pop("bank-of-england-holds-rates") == ["TL;DR:"]
    # ...and in every other article one heading with an emoji.
    assert {slug: boxes for slug, boxes in expected.items() if boxes != ["🔑 Key Takeaways"]} == {}


@pytest.mark.parametrize(("path", "fields", "text"), published_sources(), ids=lambda value: getattr(value, "stem", ""))
def test_every_article_has_the_boxes_its_source_asks_for(site: BuiltSite, path: Path, fields: dict, text: str) -> None:
    page = site.page(built_page(site, fields["slug"]))
    boxes = page.select(".story-body aside.key-takeaways")
    expected = expected_boxes(text)
    assert len(boxes) == len(expected), path.name
    assert len(page.select("aside.key-takeaways")) == len(expected)
    for box, title in zip(boxes, expected, strict=True):
        label = box.get("aria-labelledby")
        assert label, "the box is named by its heading"
        heading = page.find(id=label)
        assert heading is not None and heading.name in {"h2", "h3", "h4", "h5", "h6"}
        assert heading.find_parent("aside") is box
        assert heading.get_text(strip=True) and heading.get_text(strip=True) == title
        assert box.find("ul") is not None and box.ul.find("li") is not None
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids stay unique with the box headings"


def test_home_page_lists_the_lead_storys_first_takeaways(site: BuiltSite) -> None:
    home = site.page("")
    lead = home.select_one(".lead-story")
    link = lead.select_one(".lead-title a")["href"]
    article = site.page(urljoin("/", link).lstrip("/"))
    items = [
        li for box in article.select(".story-body aside.key-takeaways") for li in box.ul.find_all("li", recursive=False)
    ]
    shown = lead.select(".takeaways-list li")
    assert len(items) >= 3, "the lead story has at least three takeaways to show"
    assert [li.get_text(" ", strip=True) for li in shown] == [li.get_text(" ", strip=True) for li in items[:3]]


def test_articles_with_a_summary_keep_it_as_the_description(site: BuiltSite) -> None:
    with_summary = [fields for _path, fields, _text in published_sources() if "summary" in fields]
    assert with_summary
    for fields in with_summary:
        page = site.page(built_page(site, fields["slug"]))
        assert page.find("meta", attrs={"name": "description"})["content"] == fields["summary"]
        assert page.select_one(".dek").get_text() == fields["summary"]


@pytest.fixture(scope="module")
def no_summary_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    content = new_content_dir(tmp_path_factory.mktemp("no-summary"))
    write_article(
        content,
        "long-takeaways",
        "Opening paragraph.\n\n"
        "## 🔑 Key Takeaways\n\n"
        "- Negotiators agreed on minimum prices for electric cars built in China and sold in Europe\n"
        "- Rare-earth licences will move on a thirty-day track, see [the earlier talks]({filename}short-takeaways.md)\n"
        "- Chips and investment screening stay outside the package for now\n"
        "- Either side can suspend the deal with three months of notice\n",
        Summary=None,
        Featured="true",
    )
    write_article(content, "short-takeaways", "Text.\n\n::: takeaways\n- A short *point*\n:::\n", Summary=None)
    write_article(content, "with-summary", "Text.\n\n::: takeaways\n- Ignored for the description\n:::\n")
    write_article(content, "nothing-at-all", "Just text.\n", Summary=None)
    return built(tmp_path_factory.mktemp("no-summary-output") / "output", content=content)


def description(site: BuiltSite, slug: str) -> str:
    return site.page(built_page(site, slug)).find("meta", attrs={"name": "description"})["content"]


def item_texts(site: BuiltSite, slug: str) -> list[str]:
    page = site.page(built_page(site, slug))
    return [li.get_text(" ", strip=True) for li in page.select("aside.key-takeaways li")]


def test_description_falls_back_to_takeaways_cut_between_words(no_summary_site: BuiltSite) -> None:
    joined = " ".join(item_texts(no_summary_site, "long-takeaways"))
    assert len(joined) > 160
    text = description(no_summary_site, "long-takeaways")
    assert text.endswith("…") and len(text) <= 160
    kept = text.removesuffix("…")
    assert joined.startswith(kept) and joined[len(kept)] == " ", "cut at a word boundary"
    assert len(kept) > 120, "uses most of the room"


def test_short_takeaways_are_the_whole_description(no_summary_site: BuiltSite) -> None:
    assert description(no_summary_site, "short-takeaways") == " ".join(item_texts(no_summary_site, "short-takeaways"))


def test_summary_wins_and_the_first_paragraph_comes_last(no_summary_site: BuiltSite) -> None:
    assert description(no_summary_site, "with-summary") == "Summary of with-summary."
    assert description(no_summary_site, "nothing-at-all") == "Just text."


def test_links_in_takeaways_resolve_on_the_home_page(no_summary_site: BuiltSite) -> None:
    lead = no_summary_site.page("").select_one(".lead-story")
    assert len(lead.select(".takeaways-list li")) == 3
    link = lead.select_one(".takeaways-list a")
    assert "{filename}" not in link["href"]
    target = no_summary_site.root / link["href"].removeprefix("./")
    assert (target / "index.html").is_file(), link["href"]


def test_bad_blocks_stop_the_build_with_path_and_line(content_dir: Path, tmp_path: Path) -> None:
    bad = {
        "unclosed": ("Intro.\n\n::: takeaways\n- A point that never ends\n\nMore text.\n", "never closed"),
        "empty": ("Intro.\n\n::: takeaways\n\n:::\n", "empty"),
        "no-items": ("Intro.\n\n::: takeaways\nOnly a sentence.\n:::\n", "no list items"),
    }
    paths = {slug: write_article(content_dir, slug, body) for slug, (body, _) in bad.items()}
    result = build_site(tmp_path / "output", content=content_dir)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for slug, (_, message) in bad.items():
        lines = paths[slug].read_text(encoding="utf-8").splitlines()
        lineno = next(number for number, line in enumerate(lines, start=1) if line.startswith("::: takeaways"))
        assert re.search(rf"{re.escape(str(paths[slug].resolve()))}:{lineno}: .*{message}", output), output


def test_headings_named_like_the_themes_own_ids_take_other_ids(content_dir: Path, tmp_path: Path) -> None:
    # Each heading's words would give an id the article page's theme already uses.
    body = (
        "Intro.\n\n## Main\n\nText.\n\n## Site nav\n\nText.\n\n## Keep Reading Title\n\nText.\n\n"
        '::: takeaways "Correction notice title"\n- A point.\n:::\n'
    )
    write_article(content_dir, "named-like-the-theme", body, Correction="2026-05-02 10:00 A figure was wrong.")
    page = built(tmp_path / "output", content=content_dir).page("2026/05/named-like-the-theme/")
    headings = page.select(".story-body h2")
    assert len(headings) == 4, headings
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(ids)
    story_ids = {element["id"] for element in page.select(".story-body [id]")}
    theme_ids = {"main", "site-nav", "keep-reading-title", "correction-notice-title"}
    assert all(page.find(id=theme_id) is not None for theme_id in theme_ids)
    assert not story_ids & theme_ids, sorted(story_ids)
