"""The edition's HTML preparation and plain-text writing, on body HTML as the site's Markdown writes it."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from email_edition import body, plain
from PIL import Image

SITE = "https://example.org/atlas-news"
PAGE = f"{SITE}/2026/11/a-story/"


def place(content: Path) -> body.Place:
    return body.Place(page_url=PAGE, siteurl=SITE, content=content)


def test_links_and_images_become_absolute_under_the_sites_sub_path(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    Image.new("RGB", (300, 200), "white").save(tmp_path / "images" / "chart.png")
    soup = body.prepare(
        '<p><a href="/2026/05/old/">root</a> <a href="#part">anchor</a> <a href="../other/">up</a>'
        ' <a href="mailto:desk@example.org">mail</a></p><p><img src="/images/chart.png" alt="A chart"></p>',
        place(tmp_path),
    )
    assert [a["href"] for a in soup.find_all("a")] == [
        f"{SITE}/2026/05/old/",
        f"{PAGE}#part",
        f"{SITE}/2026/11/other/",
        "mailto:desk@example.org",
    ]
    image = soup.find("img")
    assert (image["src"], image["width"], image["height"], image["alt"]) == (
        f"{SITE}/images/chart.png",
        "300",
        "200",
        "A chart",
    )


def test_an_svg_without_a_raster_leaves_a_line_with_its_alt_and_caption(tmp_path: Path) -> None:
    soup = body.prepare(
        '<figure><img src="/images/map.svg" alt="Map of the strait" width="800" height="400">'
        "<figcaption>Shipping lanes in June.</figcaption></figure>"
        '<p>Text <img src="/images/dot.svg" alt="dot"> on.</p>',
        place(tmp_path),
    )
    assert not soup.find_all("img")
    notes = [note.get_text() for note in soup.select(".image-note")]
    assert notes == [
        "[Image on the web page: Map of the strait (Shipping lanes in June.)]",
        "[Image on the web page: dot]",
    ]
    assert soup.select_one("p span.image-note") is not None  # the inline one stays inside its line


def test_embeds_become_links_and_the_inline_marker_goes() -> None:
    soup = body.prepare(
        '<p>Before.</p><!--atlas-subscribe-inline--><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
        place(Path("/nonexistent")),
    )
    assert "atlas-subscribe" not in str(soup) and not soup.find("iframe")
    assert soup.select_one(".embed-note a")["href"] == "https://www.youtube-nocookie.com/embed/x"


def test_pull_quotes_and_takeaways_become_plain_blocks_with_their_classes() -> None:
    soup = body.prepare(
        '<figure class="pull-quote"><span class="pull-quote-mark" aria-hidden="true">🗣️</span>'
        "<blockquote><p>Freight is a lagging signal.</p></blockquote><figcaption>Lena Park</figcaption></figure>"
        '<aside class="key-takeaways" aria-labelledby="k"><h2 class="key-takeaways-title" id="k">🔑 Key Takeaways</h2>'
        "<ul><li>One.</li></ul></aside>",
        place(Path("/nonexistent")),
    )
    assert soup.select_one("div.pull-quote blockquote p").get_text() == "Freight is a lagging signal."
    assert soup.select_one("div.pull-quote p.pull-quote-by").get_text() == "— Lena Park"
    assert soup.select_one("div.key-takeaways h2.key-takeaways-title") is not None
    assert not soup.select("figure, aside, figcaption, [id]")
    text = plain.body_text(soup)
    assert text.splitlines()[:2] == ["    “Freight is a lagging signal.”", "    — Lena Park"]
    assert "🔑 Key Takeaways\n" + "-" * plain.columns("🔑 Key Takeaways") + "\n\n- One." in text


def test_plain_text_keeps_urls_whole_and_wraps_the_rest_at_78_columns() -> None:
    url = f"{SITE}/2026/06/a-very-long-slug-that-goes-on-and-on-and-on-well-past-the-line/"
    html = f'<p>{"word " * 40}<a href="{url}">the story</a> and <a href="{url}">{url}</a>.</p>'
    text = plain.body_text(BeautifulSoup(html, "html.parser"))
    assert f"the story ({url})" in " ".join(text.split())
    for line in text.splitlines():
        assert len(line) <= plain.WIDTH or url in line
    assert text.count(url) == 2


def test_lists_keep_numbers_bullets_and_nesting() -> None:
    long = "First point that is long enough to need a second line when it is wrapped at seventy-eight."
    html = f"<ol><li>{long}<ul><li>Inner</li></ul></li><li>Second</li></ol>"
    lines = plain.body_text(BeautifulSoup(html, "html.parser")).splitlines()
    assert lines[0].startswith("1. First") and lines[1].startswith("   ")
    assert lines[2] == "   - Inner" and lines[3] == "2. Second"
