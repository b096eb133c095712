"""Shared fixtures: real Pelican builds of the site, inspected with BeautifulSoup.

Every build runs ``invoke build`` in a fresh interpreter, the same path an
author or CI takes, with ``--strict`` so that any warning fails the build.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import tasks

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PRODUCTION_SITEURL = "https://example.org/atlas-news"


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_invoke(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run an invoke task in a fresh interpreter and capture what it prints."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=cwd, env=full_env, capture_output=True, text=True, check=False
    )


@dataclass
class BuiltSite:
    """A built site folder plus what the build printed."""

    root: Path
    log: str
    _parsed: dict[Path, BeautifulSoup] = field(default_factory=dict)

    def page(self, relative: str) -> BeautifulSoup:
        """Parse a built page; ``relative`` may name a folder (its index.html)."""
        path = self.root / relative
        if path.is_dir() or relative.endswith("/") or relative == "":
            path = path / "index.html"
        if path not in self._parsed:
            self._parsed[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return self._parsed[path]

    def all_html_files(self) -> list[Path]:
        """Every .html file the build wrote, redirect pages included."""
        return sorted(self.root.rglob("*.html"))

    def html_files(self) -> list[Path]:
        """The site's pages: every .html file but the redirect pages of moved stories."""
        return [path for path in self.all_html_files() if path not in set(self.redirect_files())]

    def redirect_files(self) -> list[Path]:
        """The pages at moved stories' old addresses (plugins/redirects), which only send the browser on."""
        if not hasattr(self, "_redirects"):
            self._redirects = [
                path for path in self.all_html_files() if 'http-equiv="refresh"' in path.read_text(encoding="utf-8")
            ]
        return self._redirects

    def article_files(self) -> list[Path]:
        """Built article pages: /YYYY/MM/slug/index.html."""
        return sorted(p for p in self.root.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


def build_site(
    output: Path,
    *,
    content: Path | None = None,
    production: bool = False,
    env: dict[str, str] | None = None,
    extra: tuple[str, ...] = (),
    cache: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Build with ``invoke build --strict`` into ``output``; return the finished process.

    Builds start from nothing (``--no-cache``) unless ``cache`` is true, so each
    test sees a cold build whatever ran before it.
    """
    args = ["build", "--strict", "--output", str(output), *extra, *(() if cache else ("--no-cache",))]
    if content is not None:
        args += ["--content", str(content)]
    if production:
        args.append("--production")
    return run_invoke(*args, env=env)


def built(output: Path, **kwargs) -> BuiltSite:
    """Build and fail the test with the build's own words when it does not succeed."""
    result = build_site(output, **kwargs)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return BuiltSite(output, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled content built with the development settings."""
    return built(tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def production_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled content built with publishconf.py under a sub-path."""
    return built(
        tmp_path_factory.mktemp("production") / "output",
        production=True,
        env={"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": "1795000000"},
    )


def executable_scripts(page: BeautifulSoup) -> list:
    """The page's scripts that run, except the theme's own search script (``search.js``, on the search page).

    JSON-LD is data, not code; nothing else may run anywhere on the site.
    """
    is_search_page = page.select_one("[data-search]") is not None
    return [
        script
        for script in page.find_all("script")
        if script.get("type") != "application/ld+json"
        and not (is_search_page and script.get("src", "").endswith("/js/search.js") and not script.string)
    ]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (by its path in it) with a digest of its bytes: to compare two trees."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def new_content_dir(parent: Path) -> Path:
    """``parent/content``: empty articles/ and pages/ plus the bundled author profiles."""
    folder = parent / "content"
    (folder / "articles").mkdir(parents=True)
    (folder / "pages").mkdir()
    shutil.copy(CONTENT / "authors.toml", folder / "authors.toml")
    return folder


@pytest.fixture
def content_dir(tmp_path: Path) -> Iterator[Path]:
    """An empty content folder with the bundled author profiles, for one-off sites."""
    yield new_content_dir(tmp_path)


def article_header(slug: str, **fields: str | None) -> str:
    """A valid article's front matter and the blank line after it; ``fields`` add keys or replace them (None drops one).

    Lines 1 to 6 are Title, Date, Category, Authors, Slug and Summary, in that order; added keys follow.
    """
    values: dict[str, str | None] = {
        "Title": slug.replace("-", " ").title(),
        "Date": "2026-05-01 09:00",
        "Category": "World",
        "Authors": "Mara Lindqvist",
        "Slug": slug,
        "Summary": f"Summary of {slug}.",
    }
    values.update({key.replace("__", "-"): value for key, value in fields.items()})
    return "".join(f"{key}: {value}\n" for key, value in values.items() if value is not None) + "\n"


def write_article(folder: Path, slug: str, body: str = "A paragraph of news.\n", **fields: str) -> Path:
    """Write ``articles/<slug>.md`` with front matter from ``fields`` (keys as in the file)."""
    path = folder / "articles" / f"{slug}.md"
    path.write_text(article_header(slug, **fields) + body, encoding="utf-8")
    return path


# --- Serving built sites over HTTP and driving a browser -----------------------
# The quality-gate tests (tests/test_quality_*.py) load pages the way a reader
# does: from a local server that answers like a static host, in Debian's
# Chromium. One server per built site and one browser per session keep them fast.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


class ServedSite:
    """An HTTP server on a free port of 127.0.0.1, in a background thread.

    By default it serves ``folder`` with ``tasks.SiteRequestHandler``, as
    ``invoke serve`` does; another ``handler`` class may serve something else
    (``folder`` is then passed to it only when given).
    """

    def __init__(self, folder: Path | None, handler: type | None = None) -> None:
        import functools
        import threading

        def quiet(self, format: str, *args: object) -> None:
            pass  # Hundreds of requests per run; failures show up in the tests instead.

        quiet_handler = type("Quiet", (handler or tasks.SiteRequestHandler,), {"log_message": quiet})
        factory = functools.partial(quiet_handler, directory=str(folder)) if folder is not None else quiet_handler
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), factory)
        self.server.daemon_threads = True
        self.port: int = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def answer_html(handler: http.server.BaseHTTPRequestHandler, body: bytes, status: int = 200) -> None:
    """Answer the request ``handler`` is serving with a small HTML page (the tests' stand-in services)."""
    handler.send_response(status)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture(scope="session")
def served_site(site: BuiltSite) -> Iterator[ServedSite]:
    """The development build, served at http://127.0.0.1:<port>/."""
    served = ServedSite(site.root)
    yield served
    served.close()


SUB_PATH = "/atlas-news/"


class SubPathHandler(tasks.SiteRequestHandler):
    """Serves a folder holding the site in atlas-news/, as GitHub Pages serves a project site."""

    def not_found_page(self) -> Path:
        return Path(self.directory) / SUB_PATH.strip("/") / "404.html"


@pytest.fixture(scope="session")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, BuiltSite]]:
    """A production build for http://127.0.0.1:PORT/atlas-news/, served there: (its base URL, the site)."""
    root = tmp_path_factory.mktemp("host")
    server = ServedSite(root, SubPathHandler)
    base = server.url(SUB_PATH)
    env = {"SITEURL": base.rstrip("/"), "SOURCE_DATE_EPOCH": "1795000000"}
    site = built(root / SUB_PATH.strip("/"), production=True, env=env)
    yield base, site
    server.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once per session by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def front_matter(source: Path | str) -> dict[str, str]:
    """The ``Key: value`` header of a Markdown file (a path, or its text), keys lower-cased."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields


def takeaways_article_path(content: Path = CONTENT) -> str:
    """Site path of a bundled article with a "Key Takeaways" section, preferring one with a hero image."""
    candidates = []
    for source in sorted((content / "articles").rglob("*.md")):
        if "Key Takeaways" not in source.read_text(encoding="utf-8"):
            continue
        fields = front_matter(source)
        if fields.get("status") == "draft":
            continue
        year, month = fields["date"][:4], fields["date"][5:7]
        candidates.append((not fields.get("image"), f"{year}/{month}/{fields['slug']}/"))
    assert candidates, "no bundled article has a Key Takeaways section"
    return min(candidates)[1]


def corrected_article_path(content: Path = CONTENT) -> str | None:
    """Site path of the first bundled article that carries a correction, if any does."""
    for source in sorted((content / "articles").rglob("*.md")):
        fields = front_matter(source)
        if "correction" in fields and fields.get("status") != "draft":
            return f"{fields['date'][:4]}/{fields['date'][5:7]}/{fields['slug']}/"
    return None


def quality_pages_of(site: BuiltSite) -> dict[str, str]:
    """The pages every quality gate checks, by name → site path (folder URLs end in "/").

    One of each kind of page the theme renders (the article is in a running
    story, so it has the story links, and "story" is that story's page); pages
    that only some builds have (the subscribe page) join the list when the build wrote them.
    """
    from urllib.parse import urljoin, urlsplit

    article = takeaways_article_path()
    soup = site.page(article)
    base = f"http://site/{article}"

    def site_path(link) -> str:
        assert link is not None, f"{article} lacks a link the quality gates follow"
        return urlsplit(urljoin(base, link["href"])).path.lstrip("/")

    pages = {
        "home": "",
        "article": article,
        "section": site_path(soup.select_one(".kicker a")),
        "tag": site_path(soup.select_one('a[rel~="tag"]')),
        "author": site_path(soup.select_one('a[rel~="author"]')),
        "archive": "archive/",
        "story": site_path(soup.select_one(".story-part-of a")),
        "404": "no-such-page/",
    }
    corrected = corrected_article_path()
    if corrected:
        pages["corrected"] = corrected
        pages["corrections"] = "corrections/"
    for optional in ("subscribe/", "search/"):
        if (site.root / optional / "index.html").is_file():
            pages[optional.strip("/")] = optional
    for name, path in pages.items():
        if name != "404":
            assert (site.root / path / "index.html").is_file(), f"{name} page {path} was not built"
    return pages


@pytest.fixture(scope="session")
def quality_pages(site: BuiltSite) -> dict[str, str]:
    return quality_pages_of(site)


@pytest.fixture(scope="session")
def browser_page(browser):
    """One reusable tab for the development build (tests set the viewport and colour scheme they need)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
