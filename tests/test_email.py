"""`invoke email`: each bundled article's newsletter edition, checked against its published page.

The editions are made by the real task (one production reading of the
bundled content) for the same address and clock as the ``production_site``
build, and parsed with BeautifulSoup over lxml; the page of each article in
that build says what the email must carry (links, takeaways, pull quotes).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ARTIFACTS, CONTENT, PRODUCTION_SITEURL, BuiltSite, run_invoke, write_article
from email_edition.plain import WIDTH, columns
from PIL import Image
from subscribe.providers import UNSUBSCRIBE_TAGS

ENV = {"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": "1795000000"}
BUDGET = 102_000
# Elements the web page's stylesheet styles, which a mail client only shows styled from a style attribute.
STYLED = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "img",
    "table",
    "td",
    "pre",
    "hr",
]


@dataclass
class Edition:
    slug: str
    html: str
    text: str

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.html, "lxml")


def email(*args: str, env: dict[str, str] | None = None):
    return run_invoke("email", *args, env={**ENV, **(env or {})})


def setting(key: str, value: object) -> tuple[str, str]:
    return ("--setting", f"{key}={json.dumps(value)}")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Edition]:
    """Every listed article's edition, made by one `invoke email --since` run."""
    folder = tmp_path_factory.mktemp("email")
    result = email("--since", "2000-01-01", "--output", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        path.stem: Edition(path.stem, path.read_text(encoding="utf-8"), path.with_suffix(".txt").read_text("utf-8"))
        for path in sorted(folder.glob("*.html"))
    }


def page_of(site: BuiltSite, slug: str) -> BeautifulSoup:
    (path,) = site.root.glob(f"[0-9]*/[0-9]*/{slug}/index.html")
    return site.page(str(path.relative_to(site.root)))


def words(text: str) -> str:
    return " ".join(text.split())


def without_urls(text: str) -> str:
    """Plain text as the reader sees the words: the "(URL)" written after each link's text taken out."""
    return re.sub(r" \((?:https?|mailto):[^)\s]+\)", "", words(text))


def test_every_published_article_has_an_edition_under_budget(
    editions: dict[str, Edition], production_site: BuiltSite
) -> None:
    published = {path.parent.name for path in production_site.article_files()}
    assert published and set(editions) == published
    for edition in editions.values():
        size = len(edition.html.encode("utf-8"))
        print(f"{edition.slug}: {size:,} bytes HTML, {len(edition.text.encode('utf-8')):,} bytes text")
        assert size < BUDGET, edition.slug
        assert edition.text.strip()


def style_rules_outside_media(css: str) -> str:
    """What is left of a stylesheet once every @media block is taken out (brace-matched)."""
    left, depth, at = [], 0, 0
    for match in re.finditer(r"@media[^{]*\{|\{|\}", css):
        token = match.group()
        if depth == 0:
            left.append(css[at : match.start()])
        if token.startswith("@media") or token == "{":
            depth += 1
        else:
            depth -= 1
        at = match.end()
    left.append(css[at:] if depth == 0 else "")
    return "".join(left).strip()


def test_nothing_a_mail_client_refuses(editions: dict[str, Edition]) -> None:
    for edition in editions.values():
        soup = edition.soup
        assert not soup.select("script, form, input, button, iframe, object, embed, link, base"), edition.slug
        assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
        (style,) = soup.find_all("style")
        css = style.get_text()
        assert "@import" not in css and "@font-face" not in css and "url(" not in css
        assert style_rules_outside_media(css) == "", f"{edition.slug}: only @media rules may stay in <style>"
        assert "@font-face" not in edition.html and "fonts.googleapis" not in edition.html
        unsubscribe = soup.select_one("a.unsubscribe")["href"]
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            address = tag.get("href") or tag.get("src")
            if tag is soup.select_one("a.unsubscribe"):
                assert address == unsubscribe
                continue
            assert address.startswith(PRODUCTION_SITEURL + "/") or re.match(r"(https://|mailto:)", address), (
                f"{edition.slug}: {address} is not absolute"
            )


def test_every_styled_element_carries_its_style(editions: dict[str, Edition]) -> None:
    for edition in editions.values():
        soup = edition.soup
        for tag in soup.select(".email-container " + ", .email-container ".join(STYLED)) + soup.select("[class]"):
            assert tag.get("style", "").strip(), f"{edition.slug}: <{tag.name} class={tag.get('class')}> has no style"
        # The parts of the story are all there, each styled.
        content = soup.select_one("td.content")
        for part in (".kicker", "h1.headline", ".byline"):
            assert content.select_one(part) is not None, (edition.slug, part)


def test_the_page_header_comes_across(editions: dict[str, Edition], production_site: BuiltSite) -> None:
    for slug, edition in editions.items():
        page, soup = page_of(production_site, slug), edition.soup
        assert soup.select_one("h1.headline").get_text() == page.select_one("h1.headline").get_text()
        assert words(soup.select_one(".kicker").get_text()) == words(page.select_one(".kicker").get_text())
        assert soup.select_one(".kicker a")["href"] == page.select_one(".kicker a")["href"]
        dek = page.select_one(".dek")
        if dek is not None:
            assert soup.select_one(".dek").get_text() == dek.get_text()
            assert words(soup.select_one(".preheader").get_text()).startswith(words(dek.get_text()))
        for author in page.select('.byline a[rel~="author"]'):
            assert author.get_text() in soup.select_one(".byline").get_text()
        assert page.select_one(".byline time").get_text() in soup.select_one(".byline").get_text()
        web = soup.select("a.web-link")[0]
        assert web.get_text() == "Read on the web"
        assert web["href"] == page.select_one('link[rel="canonical"]')["href"]
        footer = soup.select_one("td.footer").get_text()
        assert "1 Example Street" in footer  # EMAIL_ADDRESS_LINE of pelicanconf.py
        assert soup.select_one("a.unsubscribe")["href"] == UNSUBSCRIBE_TAGS["buttondown"]


def test_takeaways_and_pull_quotes_are_all_there(editions: dict[str, Edition], production_site: BuiltSite) -> None:
    seen_takeaways = seen_quotes = 0
    for slug, edition in editions.items():
        page, soup, text = page_of(production_site, slug), edition.soup, without_urls(edition.text)
        takeaways = [words(li.get_text()) for li in page.select(".story-body .key-takeaways li")]
        assert [words(li.get_text()) for li in soup.select(".key-takeaways li")] == takeaways
        quotes = [words(q.get_text()) for q in page.select(".story-body .pull-quote blockquote")]
        assert [words(q.get_text()) for q in soup.select(".pull-quote blockquote")] == quotes
        for line in takeaways + quotes:
            assert line in text, f"{slug}: {line!r} is missing from the plain text"
        for quote in quotes:  # in one pair of quotation marks: the author's own, or the edition's
            quoted = quote if quote.startswith("“") else f"“{quote}”"
            assert quoted in text and f"“{quoted}" not in text, f"{slug}: {quote!r} is not quoted once"
        for by in page.select(".story-body .pull-quote figcaption"):
            assert words(by.get_text()).lstrip("— ") in text
        seen_takeaways += bool(takeaways)
        seen_quotes += bool(quotes)
    assert seen_takeaways and seen_quotes


def test_plain_text_has_every_heading_paragraph_and_link_in_order(
    editions: dict[str, Edition], production_site: BuiltSite
) -> None:
    for slug, edition in editions.items():
        body = page_of(production_site, slug).select_one(".story-body")
        text, reading = words(edition.text), without_urls(edition.text)
        at = 0
        for block in body.select("h2, h3, p"):
            if block.find_parent(class_="subscribe-box") or not block.get_text(strip=True):
                continue
            found = reading.find(words(block.get_text()), at)
            assert found >= 0, f"{slug}: {words(block.get_text())[:60]!r} missing or out of order"
            at = found
        for link in body.select("a[href]"):
            if not link.find_parent(class_="subscribe-box"):
                assert link["href"] in edition.text.split() or f"({link['href']})" in text, (slug, link["href"])
        for line in edition.text.splitlines():
            # Only a word too long for any line (an address) may stand longer, on a line of its own.
            assert columns(line) <= WIDTH or len(line.split()) == 1, f"{slug}: {line!r} is longer than {WIDTH} columns"


def test_images_are_raster_sized_and_described(editions: dict[str, Edition], production_site: BuiltSite) -> None:
    notes = 0
    for slug, edition in editions.items():
        soup = edition.soup
        for image in soup.find_all("img"):
            assert not image["src"].lower().endswith(".svg"), slug
            assert int(image["width"]) > 0 and int(image["height"]) > 0 and "alt" in image.attrs
        hero = page_of(production_site, slug).select_one("figure.hero img")
        if hero is not None and hero["src"].endswith(".svg"):
            # The bundled heroes are SVG with no raster beside them: a visible line says what is on the page.
            assert [n for n in soup.select(".image-note") if hero["alt"] in n.get_text()], slug
            assert "[Image on the web page:" in edition.text and words(hero["alt"])[:40] in words(edition.text)
            notes += 1
    assert notes


def svg(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"><rect width="9" height="9"/></svg>'
    )


def test_an_svg_with_a_raster_beside_it_is_sent_as_that_raster(tmp_path: Path, content_dir: Path) -> None:
    images = content_dir / "images"
    images.mkdir()
    (images / "chart.svg").write_text(svg(1200, 600), encoding="utf-8")
    Image.new("RGB", (1200, 600), "white").save(images / "chart.png")
    (images / "map.svg").write_text(svg(800, 800), encoding="utf-8")
    body = (
        "Before the chart.\n\n![Freight rates by route]({static}/images/chart.svg)\n\n"
        "![A map of the canal]({static}/images/map.svg)\n\n"
        "Read [the earlier story](/2026/05/other-story/) and [the source](https://data.example.net/rates).\n"
    )
    write_article(content_dir, "charted-story", body=body)
    write_article(content_dir, "other-story")
    result = email("charted-story", "--content", str(content_dir), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "out" / "charted-story.html").read_text(encoding="utf-8"), "lxml")
    (image,) = soup.find_all("img")
    assert image["src"] == f"{PRODUCTION_SITEURL}/images/chart.png"
    assert (image["width"], image["height"], image["alt"]) == ("536", "268", "Freight rates by route")
    (note,) = soup.select(".image-note")
    assert "A map of the canal" in note.get_text()
    links = [a["href"] for a in soup.select("td.content a")]
    assert f"{PRODUCTION_SITEURL}/2026/05/other-story/" in links and "https://data.example.net/rates" in links
    text = (tmp_path / "out" / "charted-story.txt").read_text(encoding="utf-8")
    assert "[Image on the web page: A map of the canal]" in text
    assert f"the earlier story ({PRODUCTION_SITEURL}/2026/05/other-story/)" in words(text)


@pytest.mark.parametrize("provider", sorted(UNSUBSCRIBE_TAGS))
def test_the_footer_carries_each_providers_unsubscribe_tag(provider: str, tmp_path: Path) -> None:
    options = {
        "buttondown": {"username": "atlasnews"},
        "mailchimp": {"action": "https://a.us21.list-manage.com/subscribe/post?u=8b4656bd4a&id=4f80c66e83"},
        "kit": {"form_id": "1234567"},
        "listmonk": {"root_url": "https://lists.example.org", "lists": ["1a2b3c4d-0000-4000-8000-123456789abc"]},
    }[provider]
    slug = "eu-china-trade-talks-outcome"
    extra = (*setting("SUBSCRIBE_PROVIDER", provider), *setting("SUBSCRIBE_OPTIONS", options))
    result = email(slug, "--output", str(tmp_path), *extra)
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / f"{slug}.html").read_text(encoding="utf-8"), "lxml")
    assert soup.select_one("a.unsubscribe")["href"] == UNSUBSCRIBE_TAGS[provider]
    assert f"Unsubscribe: {UNSUBSCRIBE_TAGS[provider]}" in (tmp_path / f"{slug}.txt").read_text(encoding="utf-8")


def test_generic_takes_the_unsubscribe_link_from_the_setting(tmp_path: Path) -> None:
    extra = (
        *setting("SUBSCRIBE_PROVIDER", "generic"),
        *setting("SUBSCRIBE_OPTIONS", {"action": "https://forms.example.net/join"}),
    )
    missing = email("eu-china-trade-talks-outcome", "--output", str(tmp_path), *extra)
    assert missing.returncode == 1 and "EMAIL_UNSUBSCRIBE_URL" in missing.stderr
    assert "Traceback" not in missing.stderr and not list(tmp_path.iterdir())
    given = email(
        "eu-china-trade-talks-outcome", "--output", str(tmp_path), *extra, *setting("EMAIL_UNSUBSCRIBE_URL", "[unsub]")
    )
    assert given.returncode == 0, given.stderr
    soup = BeautifulSoup((tmp_path / "eu-china-trade-talks-outcome.html").read_text(encoding="utf-8"), "lxml")
    assert soup.select_one("a.unsubscribe")["href"] == "[unsub]"


@pytest.mark.parametrize(
    ("args", "env", "code", "said"),
    [
        (("no-such-story",), {}, 1, 'No published article has the slug "no-such-story"'),
        (("eu-china-trade-talk-outcome",), {}, 1, 'did you mean "eu-china-trade-talks-outcome"?'),
        (("euro-area-household-savings",), {}, 1, "is a draft"),
        (("eu-china-trade-talks-outcome", "--since", "2026-01-01"), {}, 2, "not both"),
        (("--since", "01/11/2026"), {}, 2, "--since"),
        (("--since", "2099-01-01"), {}, 1, "No article was published since"),
        (("eu-china-trade-talks-outcome",), {"SITEURL": ""}, 2, "SITEURL is not set"),
        (("eu-china-trade-talks-outcome", *setting("EMAIL_ADDRESS_LINE", " ")), {}, 1, "EMAIL_ADDRESS_LINE"),
        (("eu-china-trade-talks-outcome", *setting("EMAIL_MAX_BYTES", 0)), {}, 1, "EMAIL_MAX_BYTES"),
        (("eu-china-trade-talks-outcome", *setting("EMAIL_MAX_BYTES", 2000)), {}, 1, "Gmail clips"),
    ],
)
def test_bad_requests_say_what_is_wrong_without_a_traceback(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], code: int, said: str
) -> None:
    result = email(*args, "--output", str(tmp_path / "out"), env=env)
    assert result.returncode == code, result.stdout + result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr


def test_the_draft_is_really_a_draft() -> None:
    """The draft the test above asks for is one of the bundled articles (so that case means something)."""
    assert "Status: draft" in (CONTENT / "articles" / "2026" / "euro-area-household-savings.md").read_text("utf-8")


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 600])
def test_the_email_fits_a_phone_and_a_desktop_column(
    browser, editions: dict[str, Edition], tmp_path: Path, width: int
) -> None:
    slug = "eu-china-trade-talks-outcome"
    folder = ARTIFACTS / "email"
    folder.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        try:
            page = context.new_page()
            # The published site is not reachable from the tests: images and links stay unloaded.
            page.route("**/*", lambda route: route.abort())
            page.set_content(editions[slug].html)
            sizes = page.evaluate(
                "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,"
                " column: document.querySelector('.email-container').getBoundingClientRect().width})"
            )
            assert sizes["scroll"] <= sizes["client"], f"{scheme} at {width}px scrolls sideways: {sizes}"
            assert sizes["column"] == min(sizes["client"], 600), sizes
            shot = tmp_path / f"{slug}-{width}-{scheme}.png"
            page.screenshot(path=str(shot), full_page=True)
            shutil.copy(shot, folder / shot.name)
        finally:
            context.close()
