"""Share cards and responsive images in real builds (plugins/share_images).

A content folder with raster images (a photo-like JPEG hero, a PNG and an SVG
in the body) and stories without a hero, headlines of 3 and of 25 words, is
built with the production settings, which derive images; the bundled site's
production build (conftest) is checked the same way. Cards are decoded and
their pixels read; every ``<img>`` and every ``srcset`` candidate is opened
and measured. The cards are saved in test-artifacts/share-cards/ to be looked at.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from bs4 import BeautifulSoup
from conftest import (
    ARTIFACTS,
    CONTENT,
    PRODUCTION_SITEURL,
    ROOT,
    BuiltSite,
    build_site,
    built,
    new_content_dir,
    tree_digest,
    write_article,
)
from PIL import Image

sys.path.insert(0, str(ROOT / "plugins"))
from front_matter.images import image_size
from share_images import cards
from share_images.config import DEFAULTS

ENV = {"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": "1795000000"}
SHORT_HEADLINE = "Rates Held Firm"
LONG_HEADLINE = (
    "Europe and China Agree a Cautious Truce Over Electric Vehicle Tariffs 🚗 While Rules on Chip Exports, "
    "Rare Earths and Cloud Compute Still Sharply Divide Them"
)
CARD_LIMIT = 300_000
BACKGROUND = tuple(int(DEFAULTS["SHARE_CARD_COLOURS"]["background"][i : i + 2], 16) for i in (1, 3, 5))


def photo(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like picture: smooth colour fields with grain, which compresses as photographs do."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack(
        [
            127 + 80 * np.sin(xs / 97 + seed),
            127 + 80 * np.cos(ys / 71),
            127 + 60 * np.sin((xs + ys) / 150),
        ],
        axis=-1,
    )
    grain = rng.normal(0, 18, size=(height, width, 3))
    return Image.fromarray(np.clip(base + grain, 0, 255).astype(np.uint8), "RGB")


def image_content(parent: Path) -> Path:
    content = new_content_dir(parent)
    images = content / "images"
    images.mkdir()
    photo(2400, 1000, 1).save(images / "harbour.jpg", quality=90)
    photo(1000, 640, 2).save(images / "chart.png")
    photo(300, 200, 3).save(images / "small.png")
    shutil.copy(CONTENT / "images" / "red-sea-freight-rates-cape-route.svg", images / "route.svg")
    body = (
        "The harbour reopened.\n\n![A chart of cargo volumes]({static}/images/chart.png)\n\n"
        "![A small map](/images/small.png)\n\n![The shipping route]({static}/images/route.svg)\n"
    )
    write_article(
        content,
        "harbour-reopens",
        body,
        Title="Harbour Reopens After Storm",
        Image="images/harbour.jpg",
        Image_alt="Cranes over a harbour at dusk",
        Image_focus="0.25,0.5",
    )
    write_article(content, "rates-held", Title=SHORT_HEADLINE, Date="2026-05-02 09:00")
    write_article(content, "long-headline", Title=LONG_HEADLINE, Category="Trade", Date="2026-05-03 09:00")
    (content / "pages" / "about.md").write_text("Title: About\n\nWho we are.\n", encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def image_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    parent = tmp_path_factory.mktemp("images")
    site = built(parent / "output", content=image_content(parent), production=True, env=ENV)
    site.content = parent / "content"  # type: ignore[attr-defined]
    return site


def local_file(site: BuiltSite, url: str) -> Path:
    path = urlsplit(url).path
    prefix = urlsplit(PRODUCTION_SITEURL).path
    assert path.startswith(prefix + "/"), url
    return site.root / path.removeprefix(prefix + "/")


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", property=key) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def save_artifact(path: Path) -> None:
    folder = ARTIFACTS / "share-cards"
    folder.mkdir(parents=True, exist_ok=True)
    # Without the digest, so each run replaces the last run's picture of the same card.
    shutil.copy(path, folder / re.sub(r"-[0-9a-f]{12}(?=\.)", "", path.name))


def card_of(site: BuiltSite, page_path: str) -> Path:
    return local_file(site, meta(site.page(page_path), "og:image"))


@pytest.mark.parametrize("which", ["bundled", "images"])
def test_every_page_shares_a_raster_card(which: str, production_site: BuiltSite, image_site: BuiltSite) -> None:
    site = production_site if which == "bundled" else image_site
    pages = site.html_files()
    assert pages
    for html in pages:
        page = site.page(str(html.relative_to(site.root)))
        url = meta(page, "og:image")
        assert url, f"{html}: no og:image"
        assert meta(page, "twitter:image") == url and meta(page, "twitter:card") == "summary_large_image"
        assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
        assert meta(page, "og:image:alt")
        path = local_file(site, url)
        assert path.suffix in (".png", ".jpeg") and path.stat().st_size < CARD_LIMIT, path
        with Image.open(path) as image:
            image.load()
            assert image.format in ("PNG", "JPEG") and image.size == (1200, 630), path
        # The name carries a digest of what the card is drawn from.
        assert re.fullmatch(r"[a-z0-9-]+-og-[0-9a-f]{12}", path.stem), path.name
    for path in sorted((site.root / "images" / "cards").glob("*-og-*"))[:40]:
        save_artifact(path)


def text_box(image: Image.Image, margin: int) -> tuple[int, int, int, int] | None:
    """The box of every pixel that is not background."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    differs = np.abs(pixels - np.array(BACKGROUND)).sum(axis=-1) > 24
    ys, xs = np.nonzero(differs)
    return (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) if len(xs) else None


@pytest.mark.parametrize(("slug", "words"), [("rates-held", 3), ("long-headline", 25)])
def test_typographic_cards_keep_inside_the_margin(image_site: BuiltSite, slug: str, words: int) -> None:
    headline = SHORT_HEADLINE if words == 3 else LONG_HEADLINE
    assert len(headline.split()) == words + (1 if "🚗" in headline else 0)
    style = {"margin": DEFAULTS["SHARE_CARD_MARGIN"], "fonts": DEFAULTS["SHARE_CARD_FONTS"]}
    style["colours"] = DEFAULTS["SHARE_CARD_COLOURS"]
    kicker = "World" if words == 3 else "Trade"
    margin = style["margin"]
    for size in (cards.OG_SIZE, *cards.STRUCTURED_SIZES.values()):
        layout = cards.layout_card(kicker, headline, "Atlas News", style, size)
        left, top, right, bottom = layout.ink_box()
        assert left >= margin and top >= margin and right <= size[0] - margin and bottom <= size[1] - margin
        lines = [line.text for line in layout.lines if line.role == "headline"]
        assert 1 <= len(lines) <= cards.MAX_LINES
        # Every word is there, whole and in order, the emoji left out.
        assert " ".join(lines).split() == headline.replace("🚗", "").split()
        assert layout.headline_size >= cards.HEADLINE_SIZES[-1]
    if words == 25:
        assert layout.headline_size < cards.HEADLINE_SIZES[0], "a long headline is set smaller"
    # The drawn card: nothing but background in the margin, text inside it.
    path = card_of(image_site, f"2026/05/{slug}/")
    with Image.open(path) as image:
        box = text_box(image, margin)
    assert box is not None
    assert box[0] >= margin and box[1] >= margin and box[2] <= 1200 - margin and box[3] <= 630 - margin, box
    save_artifact(path)


def test_hero_card_is_the_hero_cropped_around_its_focus(image_site: BuiltSite) -> None:
    page = image_site.page("2026/05/harbour-reopens/")
    assert meta(page, "og:image:alt") == "Cranes over a harbour at dusk"
    path = card_of(image_site, "2026/05/harbour-reopens/")
    hero = Image.open(image_site.content / "images" / "harbour.jpg").convert("RGB")  # type: ignore[attr-defined]
    # Focus 0.25,0.5 on a 2400x1000 hero: the 1.91:1 box is the full height, as far left as it can go.
    box = cards.crop_box(hero.size, cards.OG_SIZE, (0.25, 0.5))
    assert box == (0, 0, round(1000 * 1200 / 630), 1000)
    expected = np.asarray(hero.crop(box).resize((1200, 630)).convert("L"), dtype=float)
    with Image.open(path) as card:
        drawn = np.asarray(card.convert("L"), dtype=float)
    centred = np.asarray(
        hero.crop(cards.crop_box(hero.size, cards.OG_SIZE, (0.5, 0.5))).resize((1200, 630)).convert("L")
    )
    assert np.abs(drawn - expected).mean() < np.abs(drawn - centred.astype(float)).mean()
    save_artifact(path)


def test_structured_data_points_at_the_three_crops(image_site: BuiltSite) -> None:
    for slug in ("harbour-reopens", "rates-held"):
        page = image_site.page(f"2026/05/{slug}/")
        story = next(
            data
            for data in (json.loads(s.string) for s in page.find_all("script", type="application/ld+json"))
            if data["@type"] == "NewsArticle"
        )
        sizes = []
        for url in story["image"]:
            with Image.open(local_file(image_site, url)) as image:
                sizes.append(image.size)
        assert sizes == list(cards.STRUCTURED_SIZES.values())


def test_two_builds_draw_identical_cards(image_site: BuiltSite, tmp_path: Path) -> None:
    again = built(tmp_path / "output", content=image_site.content, production=True, env=ENV)  # type: ignore[attr-defined]
    first = tree_digest(image_site.root / "images")
    assert first and tree_digest(again.root / "images") == first


def srcset_candidates(value: str) -> list[tuple[str, int]]:
    candidates = []
    for part in value.split(","):
        url, width = part.split()
        assert width.endswith("w"), value
        candidates.append((url, int(width[:-1])))
    return candidates


@pytest.mark.parametrize("which", ["bundled", "images"])
def test_every_image_has_the_size_of_its_file(which: str, production_site: BuiltSite, image_site: BuiltSite) -> None:
    site = production_site if which == "bundled" else image_site
    checked = 0
    for html in site.html_files():
        page = site.page(str(html.relative_to(site.root)))
        for img in page.find_all("img"):
            path = local_file(site, img["src"])
            assert (int(img["width"]), int(img["height"])) == image_size(path), f"{html}: {img}"
            checked += 1
            for element in [img, *(img.parent.find_all("source") if img.parent.name == "picture" else [])]:
                if not element.get("srcset"):
                    continue
                assert element.get("sizes"), element
                for url, width in srcset_candidates(element["srcset"]):
                    with Image.open(local_file(site, url)) as copy:
                        assert copy.width == width, url
                        if element.name == "source":
                            assert copy.format == element["type"].split("/")[1].upper()
                        assert (
                            copy.height == round(int(img["height"]) * width / int(img["width"]))
                            or abs(copy.height / width - int(img["height"]) / int(img["width"])) < 0.01
                        )
    assert checked


def test_hero_and_body_images_are_offered_by_width(image_site: BuiltSite) -> None:
    page = image_site.page("2026/05/harbour-reopens/")
    hero = page.select_one("figure.hero picture")
    assert hero is not None
    img = hero.img
    assert img["fetchpriority"] == "high" and not img.get("loading")
    source = hero.find("source")
    assert source["type"] == "image/webp"
    assert [width for _, width in srcset_candidates(source["srcset"])] == [480, 800, 1200, 1600]
    assert [width for _, width in srcset_candidates(img["srcset"])] == [480, 800, 1200, 1600]
    assert all(url.endswith(".jpg") for url, _ in srcset_candidates(img["srcset"]))
    assert page.select_one("figure.hero figcaption") is None or page.select_one("figure.hero figcaption").get_text()
    body = page.select_one(".story-body") or page
    chart, small, route = body.select("img[alt]")[-3:]
    # Never enlarged: the 1000 px chart is offered at 480, 800 and its own 1000; the 300 px map as it is.
    assert [width for _, width in srcset_candidates(chart["srcset"])] == [480, 800, 1000]
    assert chart.parent.name == "picture" and chart["loading"] == "lazy"
    assert [width for _, width in srcset_candidates(small["srcset"])] == [300]
    # SVG stays SVG.
    assert route["src"].endswith("/images/route.svg") and not route.get("srcset") and route.parent.name != "picture"
    # A phone at 360 CSS px and 2x density picks the 800 px copy; it is far lighter than the original.
    original = (image_site.content / "images" / "harbour.jpg").stat().st_size  # type: ignore[attr-defined]
    picked = local_file(image_site, dict((w, u) for u, w in srcset_candidates(source["srcset"]))[800]).stat().st_size
    print(f"\nhero: original {original} bytes, 800w WebP {picked} bytes")
    assert picked < original / 3


def test_keep_reading_thumbnails_use_a_small_copy(image_site: BuiltSite) -> None:
    thumbs = [
        thumb
        for slug in ("rates-held", "long-headline")
        for thumb in image_site.page(f"2026/05/{slug}/").select(".keep-reading-thumb")
    ]
    assert thumbs
    for thumb in thumbs:
        assert thumb["loading"] == "lazy"
        assert max(width for _, width in srcset_candidates(thumb["srcset"])) <= DEFAULTS["IMAGES_THUMB_WIDTH"]


def test_development_build_links_the_originals(tmp_path: Path) -> None:
    content = image_content(tmp_path)
    site = built(tmp_path / "output", content=content)
    assert not (site.root / "images" / "derived").exists() and not (site.root / "images" / "cards").exists()
    page = site.page("2026/05/harbour-reopens/")
    assert page.find("picture") is None and meta(page, "og:image") is None
    assert page.select_one("figure.hero img")["src"].endswith("images/harbour.jpg")


def test_warm_build_takes_every_image_from_the_cache(tmp_path: Path) -> None:
    content = image_content(tmp_path)
    cache = tmp_path / "image-cache"
    timings = []
    for name in ("cold", "warm"):
        result = build_site(
            tmp_path / name,
            content=content,
            extra=("--images", "--timings", "--setting", f'IMAGES_CACHE_PATH="{cache}"'),
        )
        assert result.returncode == 0, result.stderr
        line = next(line for line in result.stdout.splitlines() if line.startswith("timings: "))
        timings.append(json.loads(line.removeprefix("timings: ")))
    cold, warm = timings
    print(f"\nimages: cold {cold['images']:.2f} s ({cold['images_made']} made), warm {warm['images']:.3f} s")
    assert cold["images_made"] > 0 and cold["images_reused"] == 0
    assert warm["images_made"] == 0 and warm["images_reused"] == cold["images_made"]
    assert tree_digest(tmp_path / "cold" / "images") == tree_digest(tmp_path / "warm" / "images")
    # A development build with --images: the hero's copies relative to the page, the body's from the site root.
    page = BuiltSite(tmp_path / "warm", "").page("2026/05/harbour-reopens/")
    assert page.select_one("figure.hero img")["srcset"].startswith("../../../images/derived/")
    assert page.select_one("img[alt='A chart of cargo volumes']")["srcset"].startswith("/images/derived/")


@pytest.mark.parametrize("where", ["hero", "body"])
def test_an_unreadable_image_names_the_file_and_the_article(tmp_path: Path, where: str) -> None:
    content = new_content_dir(tmp_path)
    (content / "images").mkdir()
    whole = tmp_path / "whole.jpg"
    photo(800, 450, 4).save(whole, quality=90)
    # The header is intact (the size can be read), the picture is cut off half-way.
    data = whole.read_bytes()
    (content / "images" / "broken.jpg").write_bytes(data[: len(data) // 2])
    if where == "hero":
        article = write_article(content, "storm", Image="images/broken.jpg", Image_alt="A storm")
        line = 7
    else:
        article = write_article(content, "storm", "Text.\n\n![A storm]({static}/images/broken.jpg)\n")
        line = 10
    result = build_site(tmp_path / "output", content=content, production=True, env=ENV)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f'{article}:{line}: the image "images/broken.jpg" cannot be used: broken.jpg cannot be decoded' in (
        result.stderr
    ), result.stderr
    assert not (tmp_path / "output").exists()


def test_a_malformed_focus_is_an_error_on_its_line(tmp_path: Path) -> None:
    content = new_content_dir(tmp_path)
    (content / "images").mkdir()
    photo(400, 300, 5).save(content / "images" / "a.jpg")
    article = write_article(content, "focus", Image="images/a.jpg", Image_alt="A", Image_focus="left")
    result = build_site(tmp_path / "output", content=content)
    assert result.returncode != 0
    assert f'{article}:9: Image_focus: "left" is not a point of the image' in result.stderr, result.stderr
