"""`invoke import` on exports shaped like each platform's, built strictly and read back with a parser."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, BuiltSite, build_site, built, new_content_dir, run_invoke, tree_digest

FIXTURES = ROOT / "tests" / "fixtures" / "imports"
PASTED = json.loads((FIXTURES / "text" / "pasted-story.json").read_text(encoding="utf-8"))
# Text of the platforms' furniture that must not reach a reader.
CHROME = (
    "No posts found",
    "or to participate",
    "Read online",
    "View online",
    "Share on X",
    "Unsubscribe",
    "Update your email preferences",
    "Stay informed!",
    "Powered by beehiiv",
    "Subscribe now",
    "{{",
    "}}",
    "*|",
    "__GHOST_URL__",
)
GHOST_IMAGES = ("em-policy-rates.png", "fab-construction-timeline.png", "arctic-sea-ice-extent.png")
GHOST_IMAGES += ("central-bank-facade.jpg", "fab-construction.jpg")


def import_into(content: Path, *args: str) -> str:
    result = run_invoke("import", *args, "--content", str(content))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def text_args() -> tuple[str, ...]:
    return (
        "text",
        str(FIXTURES / "text" / "pasted-story.txt"),
        "--title",
        PASTED["title"],
        "--date",
        PASTED["date"],
        "--summary",
        PASTED["summary"],
        "--author",
        PASTED["author"],
        "--section",
        PASTED["section"],
    )


def ghost_images(folder: Path) -> Path:
    """The Ghost export's images, as an editor downloads them next to the export."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for name in GHOST_IMAGES:
        Image.new("RGB", (320, 180), (40, 90, 140)).save(folder / name)
    return folder


def import_everything(content: Path, images: Path) -> dict[str, str]:
    return {
        "beehiiv": import_into(content, "beehiiv", str(FIXTURES / "beehiiv" / "posts.csv")),
        "substack": import_into(
            content, "substack", str(FIXTURES / "substack"), "--author", "Mara Lindqvist", "--section", "Trade"
        ),
        "ghost": import_into(
            content, "ghost", str(FIXTURES / "ghost" / "atlas-news.ghost.json"), "--images", str(images)
        ),
        "text": import_into(content, *text_args()),
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], BuiltSite]:
    folder = tmp_path_factory.mktemp("imported")
    content = new_content_dir(folder)
    reports = import_everything(content, ghost_images(folder / "downloads"))
    return content, reports, built(folder / "output", content=content)


def imported_pages(content: Path, site: BuiltSite) -> dict[str, BeautifulSoup]:
    pages = {}
    for source in sorted((content / "articles" / "2025").glob("*.md")):
        slug = source.stem
        found = list(site.root.glob(f"2025/*/{slug}/index.html"))
        if "Status: draft" not in source.read_text(encoding="utf-8"):
            assert len(found) == 1, slug
            pages[slug] = BeautifulSoup(found[0].read_text(encoding="utf-8"), "html.parser")
    return pages


def test_every_published_story_is_imported_and_the_rest_reported(imported) -> None:
    content, reports, _ = imported
    written = sorted(path.stem for path in (content / "articles" / "2025").glob("*.md"))
    assert written == sorted(
        [
            "eu-china-ev-tariff-truce",
            "copper-squeeze-grid-upgrades",
            "sovereign-ai-compute-race",
            "eu-steel-safeguard-review",
            "chip-tool-export-controls",
            "emerging-market-central-banks-hold-nerve",
            "arctic-shipping-season-opens-early",
            "semiconductor-subsidy-race-second-lap",
            "cable-repair-ships-are-the-internets-quiet-bottleneck",
        ]
    )
    assert re.search(r"posts\.csv:row 4: skipped .*not published", reports["beehiiv"])
    assert re.search(r"posts\.csv:row \d: skipped \"About the Newsletter\": a page", reports["substack"])
    assert re.search(r"skipped \"Atlas Weekly Ep\. 12.*a podcast episode", reports["substack"])
    assert re.search(r"skipped \"Lithium Producers.*not published", reports["substack"])
    assert re.search(r"post about: skipped .*a page", reports["ghost"])
    assert "paying subscribers only" in reports["beehiiv"]
    assert "paying subscribers only" in reports["substack"]
    assert re.search(r"removed a <script>", reports["beehiiv"])
    assert re.search(r"removed an <iframe> from ads\.example\.net", reports["beehiiv"])
    assert "thing(s) above to fix" not in "".join(reports.values())


def test_front_matter_comes_from_each_export(imported) -> None:
    content, _, _ = imported

    def header(slug: str) -> dict[str, str]:
        text = (content / "articles" / "2025" / f"{slug}.md").read_text(encoding="utf-8")
        return dict(line.split(": ", 1) for line in text.split("\n\n", 1)[0].splitlines())

    beehiiv = header("eu-china-ev-tariff-truce")
    assert beehiiv["Date"] == "2025-03-04 08:15"  # 08:15 UTC is 08:15 in London in March
    assert beehiiv["Authors"] == "Mara Lindqvist"  # from the email's byline
    assert beehiiv["Category"] == "Trade"  # the tag "trade" through IMPORT_TAG_SECTIONS
    assert beehiiv["Tags"] == "trade, EU, China"
    ghost = header("semiconductor-subsidy-race-second-lap")
    assert ghost["Authors"] == "Priya Raman, Tomás Okafor"
    assert "#import" not in ghost["Tags"]
    assert ghost["Image"] == "images/imported/fab-construction.jpg"
    assert (content / "images" / "imported" / "fab-construction.jpg").is_file()
    substack = header("eu-steel-safeguard-review")
    assert substack["Date"] == "2025-05-06 08:30"  # 07:30 UTC is 08:30 in London in May
    assert (substack["Category"], substack["Authors"]) == ("Trade", "Mara Lindqvist")


def test_imported_stories_follow_the_house_conventions(imported) -> None:
    content, _, site = imported
    pages = imported_pages(content, site)
    assert len(pages) == 9
    boxes = 0
    for slug, page in pages.items():
        body = page.select_one(".story-body")
        assert body is not None, slug
        # The site's own sign-up box is not the platform's; its words are the site's.
        story = BeautifulSoup(str(body), "html.parser")
        for box in story.select(".subscribe-box"):
            box.decompose()
        text = story.get_text(" ")
        for chrome in CHROME:
            assert chrome not in text, (slug, chrome)
        assert "utm_" not in str(story), slug
        assert not story.find(["script", "style", "iframe", "form"]), slug
        assert not any(name.startswith("on") for tag in story.find_all(True) for name in tag.attrs), slug
        for heading in body.find_all(["h2", "h3"]):
            assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", heading.get("id", "")), (slug, heading)
        boxes += len(body.select("aside.key-takeaways li")) > 0
    assert boxes == 9, "every imported story has its takeaways box"
    truce = pages["eu-china-ev-tariff-truce"].select_one(".story-body")
    assert truce.find("h2", id="a-trade-off-that-wasnt") is not None
    assert truce.select("figure.pull-quote blockquote") and truce.select("figure.pull-quote figcaption")
    assert truce.find("figcaption", string=re.compile("Source: Eurostat")) is not None
    # The link to another imported story now points at its new address.
    assert truce.find("a", href=re.compile(r"2025/02/copper-squeeze-grid-upgrades/$")) is not None
    copper = pages["copper-squeeze-grid-upgrades"].select_one(".story-body")
    assert copper.select(".subscribe-box, form.subscribe-form"), "the sign-up line became the site's sign-up box"
    ghost = pages["semiconductor-subsidy-race-second-lap"].select_one(".story-body")
    image = ghost.find("img", src=re.compile("fab-construction-timeline.png"))
    assert (image["width"], image["height"]) == ("320", "180")


def test_old_addresses_lead_to_the_new_pages(imported) -> None:
    content, _, site = imported
    lines = [line.split() for line in (content / "redirects.txt").read_text(encoding="utf-8").splitlines()]
    redirects = dict(parts for parts in lines if parts and not parts[0].startswith("#"))
    assert "/p/eu-china-ev-tariff-truce" in redirects  # beehiiv
    assert "/p/eu-steel-safeguard-review" in redirects  # Substack
    assert "/emerging-market-central-banks-hold-nerve" in redirects  # Ghost
    assert "/p/flood-risk-municipal-bonds" not in redirects  # a draft has no page to go to
    for old in redirects:
        page = site.root / old.strip("/") / "index.html"
        assert page.is_file(), old
        refresh = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(
            "meta", attrs={"http-equiv": "refresh"}
        )
        target = (page.parent / refresh["content"].split("url=", 1)[1]).resolve() / "index.html"
        assert target.is_file(), (old, target)
    host_lines = (site.root / "_redirects").read_text(encoding="utf-8").splitlines()
    assert "/p/eu-china-ev-tariff-truce /2025/03/eu-china-ev-tariff-truce/ 301" in host_lines


def test_a_second_import_changes_nothing(imported, tmp_path: Path) -> None:
    content, _, _ = imported
    before = tree_digest(content)
    reports = import_everything(content, ghost_images(tmp_path / "downloads"))
    assert tree_digest(content) == before
    for name, report in reports.items():
        assert re.search(r"Import: wrote 0, \d+ unchanged", report), (name, report)


def test_dry_run_writes_nothing_and_an_edited_story_is_kept(tmp_path: Path) -> None:
    content = new_content_dir(tmp_path)
    before = tree_digest(content)
    report = import_into(content, "beehiiv", str(FIXTURES / "beehiiv" / "posts.csv"), "--dry-run")
    assert "would write" in report
    assert tree_digest(content) == before
    import_into(content, "beehiiv", str(FIXTURES / "beehiiv" / "posts.csv"))
    story = content / "articles" / "2025" / "eu-china-ev-tariff-truce.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nAn editor's note.\n", encoding="utf-8")
    edited = story.read_text(encoding="utf-8")
    report = import_into(content, "beehiiv", str(FIXTURES / "beehiiv" / "posts.csv"))
    assert "exists with other text (--force overwrites it)" in report
    assert story.read_text(encoding="utf-8") == edited
    import_into(content, "beehiiv", str(FIXTURES / "beehiiv" / "posts.csv"), "--force")
    assert "An editor's note." not in story.read_text(encoding="utf-8")


def test_substack_zip_imports_like_the_folder(tmp_path: Path) -> None:
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", FIXTURES / "substack")
    from_zip, from_folder = new_content_dir(tmp_path / "zip"), new_content_dir(tmp_path / "folder")
    options = ("--author", "Mara Lindqvist", "--section", "Trade")
    import_into(from_zip, "substack", archive, *options)
    import_into(from_folder, "substack", str(FIXTURES / "substack"), *options)
    assert tree_digest(from_zip / "articles") == tree_digest(from_folder / "articles")
    assert tree_digest(from_zip / "articles")


def test_a_pasted_story_matches_the_house_markdown(tmp_path: Path) -> None:
    """Pasted web copy becomes the Markdown an author would have written, and builds to the same structure."""
    pasted, written = new_content_dir(tmp_path / "pasted"), new_content_dir(tmp_path / "written")
    import_into(pasted, *text_args())
    house = (FIXTURES / "text" / "house-story.md").read_text(encoding="utf-8")
    shutil.copy(FIXTURES / "text" / "house-story.md", written / "articles" / "house-story.md")
    imported_file = next((pasted / "articles" / "2025").glob("*.md"))
    assert imported_file.read_text(encoding="utf-8").split("\n\n", 1)[1] == house.split("\n\n", 1)[1]

    def shape(content: Path, output: Path) -> list[str]:
        site = built(output, content=content)
        [page] = site.article_files()
        body = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(".story-body")
        return [f"{tag.name}.{'.'.join(tag.get('class', []))}#{tag.get('id', '')}" for tag in body.find_all(True)]

    assert shape(pasted, tmp_path / "out-pasted") == shape(written, tmp_path / "out-written")


def test_a_pasted_newsletter_loses_its_furniture_and_gets_no_old_address(tmp_path: Path) -> None:
    """What a newsletter adds is taken out of pasted text as out of an export's HTML; it had no /p/ address."""
    content = new_content_dir(tmp_path / "content")
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(
        "Hello {{ first_name }},\n\n"
        "The cable came ashore at dawn. The map is at https://example.com/maps/cable?utm_source=newsletter&id=4.\n\n"
        "Engineers will test it for a month, *|FNAME|*.\n\n"
        "Unsubscribe | Update your preferences\n",
        encoding="utf-8",
    )
    args = ("--title", "Baltic Cable Comes Ashore", "--date", "2026-05-01 09:00", "--summary", "It landed at dawn.")
    printed = import_into(content, "text", str(pasted), *args, "--author", "Mara Lindqvist", "--section", "World")
    [story] = (content / "articles").rglob("*.md")
    body = story.read_text(encoding="utf-8").split("\n\n", 1)[1]
    assert body.strip().split("\n\n") == [
        "The cable came ashore at dawn. The map is at https://example.com/maps/cable?id=4.",
        "Engineers will test it for a month, .",
    ], body
    for furniture in ("{{", "*|", "utm_", "Hello", "Unsubscribe", "preferences"):
        assert furniture not in body, furniture
    assert 'removed the line "Unsubscribe | Update your preferences"' in printed
    redirects = content / "redirects.txt"
    assert not redirects.exists() or "/p/" not in redirects.read_text(encoding="utf-8")


def test_an_import_that_cannot_be_complete_says_what_blocks_the_build(tmp_path: Path) -> None:
    content = new_content_dir(tmp_path)
    report = import_into(content, "ghost", str(FIXTURES / "ghost" / "atlas-news.ghost.json"))
    assert "cannot be brought across" in report
    assert re.search(r"Import: wrote 3, 0 unchanged, 2 skipped; \d+ thing\(s\) above to fix", report)
    result = build_site(tmp_path / "output", content=content)
    assert result.returncode != 0
    assert "__GHOST_URL__/content/images/2025/04/em-policy-rates.png" in result.stderr


def test_a_broken_export_stops_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "posts.csv"
    with bad.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([["id", "title"], ["1", "x"]])
    result = run_invoke("import", "beehiiv", str(bad), "--content", str(new_content_dir(tmp_path)))
    assert result.returncode != 0
    assert "Import failed: posts.csv: no web_title column" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [
        (["/p/a /p/b", "/p/b /p/a"], 1, "go round in a loop"),
        (["/p/gone {filename}/articles/nothing-here.md"], 1, "no published article or page"),
        (["/2026/05/a-story /section/world/"], 1, "is the address of a page of this site"),
        (["/p/a /no/such/page/"], 1, "is no page of this site"),
    ],
)
def test_redirect_problems_fail_the_build_on_their_line(
    tmp_path: Path, lines: list[str], line: int, words: str
) -> None:
    from conftest import write_article

    content = new_content_dir(tmp_path)
    write_article(content, "a-story")
    redirects = content / "redirects.txt"
    redirects.write_text("# moved\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = build_site(tmp_path / "output", content=content)
    assert result.returncode != 0
    assert f"{redirects}:{line + 1}: " in result.stderr, result.stderr
    assert words in result.stderr
