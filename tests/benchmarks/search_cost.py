"""What one search costs a reader: the bytes Chromium fetches from the index to answer one query.

The benchmark's sites are built for ``https://example.org``; the browser's
requests to that address are answered from the built folder, so nothing
leaves the machine and every byte counted is a file of the site.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

# Every part of the index: /pagefind/, /pagefind-2/, …
BUNDLE = re.compile(r"/pagefind(-\d+)?/")


def query_word(content: Path) -> str:
    """A word from the headline of the archive's middle article: a query a reader might type."""
    articles = sorted((content / "articles").rglob("*.md"))
    title = next(line for line in articles[len(articles) // 2].read_text().splitlines() if line.startswith("Title:"))
    return max(re.findall(r"[a-z]+", title.lower()), key=len)


def bytes_for_one_query(site: Path, siteurl: str, word: str) -> tuple[int, int, int]:
    """(bytes fetched from the search bundle, files fetched, results shown) for ``word`` on the search page."""
    from playwright.sync_api import sync_playwright

    fetched: dict[str, int] = {}

    def answer(route) -> None:
        path = urlsplit(route.request.url).path
        file = site / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            route.fulfill(status=404, body="")
            return
        body = file.read_bytes()
        if BUNDLE.match(path):
            fetched[path] = len(body)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=body, content_type=kind)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        # Route every request, the worker's included, so that nothing is fetched from the network.
        context.route("**/*", answer)
        page = context.new_page()
        page.goto(f"{siteurl}/search/?q={quote(word)}", wait_until="load")
        page.locator('[data-search-results][aria-busy="false"]').wait_for(state="attached", timeout=60_000)
        shown = page.locator("[data-search-results] > li").count()
        browser.close()
    return sum(fetched.values()), len(fetched), shown
