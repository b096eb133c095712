"""Full-page screenshots of the home and article pages, narrow and wide, light
and dark, for a person to look at (test-artifacts/screenshots/).

Each picture is also decoded and checked for what a reader would see: the
whole page at the viewport's width with nothing past its right edge, on the
page background of the colour scheme asked for, with text drawn in the
page's text colour.
"""

from __future__ import annotations

import re

import pytest
from conftest import ARTIFACTS, ServedSite
from PIL import Image

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"
VIEWPORT_HEIGHT = 800


def rgb(css_colour: str) -> tuple[int, int, int]:
    """``rgb(251, 250, 247)`` → ``(251, 250, 247)``."""
    red, green, blue = map(int, re.findall(r"\d+", css_colour)[:3])
    return red, green, blue


def luma(colour: tuple[int, int, int]) -> float:
    red, green, blue = colour
    return 0.299 * red + 0.587 * green + 0.114 * blue


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(
    width: int, scheme: str, served_site: ServedSite, quality_pages: dict[str, str], browser_page
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT})
    browser_page.emulate_media(color_scheme=scheme)
    for name in ("home", "article"):
        browser_page.goto(served_site.url(quality_pages[name]), wait_until="load")
        # Every image loaded and decoded, so the picture shows the page as a reader sees it after scrolling.
        # Lazy images off-screen never load on their own, and decode() would wait for them for ever.
        browser_page.evaluate(
            """Promise.race([
                 Promise.all([...document.images].map(image => { image.loading = "eager"; return image.decode(); })),
                 new Promise((_, reject) => setTimeout(() => reject(new Error("images did not load in 15 s")), 15000)),
               ])"""
        )
        scroll_width, client_width, page_height, background, ink = browser_page.evaluate(
            """[document.documentElement.scrollWidth, document.documentElement.clientWidth,
                document.documentElement.scrollHeight,
                getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"""
        )
        target = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
        browser_page.screenshot(path=str(target), full_page=True)
        print(f"\nscreenshot: {target}")

        assert client_width == width, f"{name}: the page is laid out {client_width}px wide in a {width}px viewport"
        assert scroll_width <= client_width, f"{name} at {width}px scrolls sideways: {scroll_width}px of content"
        with Image.open(target) as picture:
            assert picture.format == "PNG"
            assert picture.size == (width, page_height), f"{name}: {picture.size} is not the whole page"
            pixels = picture.convert("RGB")
        assert page_height > VIEWPORT_HEIGHT, f"{name}: the page is shorter than one screen"

        counts = {colour: count for count, colour in pixels.getcolors(width * page_height)}
        assert len(counts) > 100, f"{name}: the picture has only {len(counts)} colours"
        dominant = max(counts, key=counts.__getitem__)
        # Most of the picture is the page background, in the colour the stylesheet gives for this scheme.
        assert dominant == rgb(background), f"{name}: mostly {dominant}, not the background {background}"
        assert counts[dominant] > 0.5 * width * page_height
        if scheme == "light":
            assert luma(dominant) > 200, f"{name}: background {dominant} is not light"
        else:
            assert luma(dominant) < 50, f"{name}: background {dominant} is not dark"
        # Text is drawn, in the body text colour, which stands out from the background.
        assert counts.get(rgb(ink), 0) > 0, f"{name}: no pixel in the text colour {ink}"
        assert abs(luma(rgb(ink)) - luma(dominant)) > 150
