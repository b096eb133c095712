"""Full-page screenshots of the home and article pages, narrow and wide, light
and dark, for a person to look at (test-artifacts/screenshots/)."""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS, ServedSite

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(
    width: int, scheme: str, served_site: ServedSite, quality_pages: dict[str, str], browser_page
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.set_viewport_size({"width": width, "height": 800})
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
        target = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
        browser_page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 0
        print(f"\nscreenshot: {target}")
