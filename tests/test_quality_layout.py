"""Layout: nothing scrolls sideways on a phone, a tablet or a desktop; images
reserve their space; the article page does not jump while it loads."""

from __future__ import annotations

import pytest
from conftest import BuiltSite, ServedSite

WIDTHS = [360, 768, 1280]
# Cumulative Layout Shift budget for the article page (Google's "good" is 0.1).
CLS_BUDGET = 0.01

# Sums every layout shift not caused by input, including those before this script ran.
MEASURE_CLS = """
() => new Promise(resolve => {
  let total = 0;
  const observer = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) total += entry.value;
    }
  });
  observer.observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => {
    for (const entry of observer.takeRecords()) {
      if (!entry.hadRecentInput) total += entry.value;
    }
    observer.disconnect();
    resolve(total);
  }));
})
"""


@pytest.mark.parametrize("build", ["site", "production_site"])
def test_every_image_has_width_and_height(build: str, request: pytest.FixtureRequest) -> None:
    built: BuiltSite = request.getfixturevalue(build)
    missing = []
    images = 0
    for path in built.html_files():
        for img in built.page(str(path.relative_to(built.root))).find_all("img"):
            images += 1
            sizes = [img.get("width", ""), img.get("height", "")]
            if not all(size.isdigit() and int(size) > 0 for size in sizes):
                missing.append(f"{path.relative_to(built.root)}: {img}")
    print(f"\n{images} <img> elements checked in {build}")
    assert images, f"{build} has no <img> to check"
    assert not missing, "images without width and height:\n" + "\n".join(missing)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(
    width: int, served_site: ServedSite, quality_pages: dict[str, str], browser_page
) -> None:
    browser_page.set_viewport_size({"width": width, "height": 800})
    browser_page.emulate_media(color_scheme="light")
    too_wide = []
    for name, path in quality_pages.items():
        browser_page.goto(served_site.url(path), wait_until="load")
        scroll, client = browser_page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            culprits = browser_page.evaluate(
                """(width) => [...document.querySelectorAll('body *')]
                     .filter(e => e.getBoundingClientRect().right > width + 0.5)
                     .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
                client,
            )
            too_wide.append(f"{name} ({path or '/'}): scrollWidth {scroll} > clientWidth {client}; widest: {culprits}")
    assert not too_wide, f"pages scroll sideways at {width}px:\n" + "\n".join(too_wide)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_article_page_does_not_shift_while_loading(
    width: int, served_site: ServedSite, quality_pages: dict[str, str], browser
) -> None:
    # A fresh context each time: an empty cache is the worst case for late-arriving images and styles.
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(served_site.url(quality_pages["article"]), wait_until="networkidle")
        shift = page.evaluate(MEASURE_CLS)
    finally:
        context.close()
    print(f"\nCumulative Layout Shift of the article page at {width}px: {shift:.4f}")
    assert shift <= CLS_BUDGET
