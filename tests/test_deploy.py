"""Publishing for any static host, proven under a sub-path like a GitHub project site."""

from __future__ import annotations

import re
import tarfile
import urllib.error
import urllib.request
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from conftest import SUB_PATH, built, run_invoke, tree_digest
from lxml import etree

import tasks

EPOCH = "1795000000"
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@pytest.fixture(scope="module")
def served_site(sub_path_site):
    """A production build for http://127.0.0.1:PORT/atlas-news, served there."""
    return sub_path_site


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def links_in(url: str, content_type: str, body: bytes) -> list[str]:
    """Every URL a browser or feed reader would follow from this response."""
    found: list[str] = []
    if content_type == "text/html":
        page = BeautifulSoup(body, "html.parser")
        found += [tag["href"] for tag in page.find_all(href=True)]
        found += [tag["src"] for tag in page.find_all(src=True)]
        for tag in page.find_all(srcset=True):
            found += [candidate.split()[0] for candidate in tag["srcset"].split(",") if candidate.strip()]
    elif content_type == "text/css":
        found += CSS_URL.findall(body.decode("utf-8"))
    elif content_type in {"application/xml", "text/xml", "application/atom+xml", "application/rss+xml"}:
        tree = etree.fromstring(body)
        found += tree.xpath("//@href")
        found += [text.strip() for text in tree.xpath("//*[local-name()='link' or local-name()='loc']/text()")]
    return [urldefrag(urljoin(url, link))[0] for link in found if not link.startswith(("mailto:", "data:", "#"))]


def test_crawl_under_a_sub_path_finds_no_broken_or_escaping_link(served_site) -> None:
    base, _ = served_site
    host = urlparse(base).netloc
    queue, seen, broken, escaping = deque([base]), {base}, [], []
    while queue:
        url = queue.popleft()
        status, content_type, body = fetch(url)
        if status != 200:
            broken.append(f"{status} {url}")
            continue
        for link in links_in(url, content_type, body):
            parsed = urlparse(link)
            if parsed.netloc != host:
                continue
            if not parsed.path.startswith(SUB_PATH):
                escaping.append(f"{url} → {link}")
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    print(f"crawled {len(seen)} URLs under {base}")
    assert not broken, "\n".join(broken)
    assert not escaping, "\n".join(escaping)
    assert any(link.endswith(".css") for link in seen)
    assert sum(1 for link in seen if re.search(r"/\d{4}/\d{2}/[^/]+/$", link)) >= 12


def test_missing_page_at_any_depth_gets_a_working_404(served_site) -> None:
    base, _ = served_site
    for missing in ("no-such-page", "2026/01/gone/", "a/b/c/d/e/"):
        status, _, body = fetch(base + missing)
        assert status == 404
        page = BeautifulSoup(body, "html.parser")
        assert page.h1.get_text(strip=True) == "We can’t find that page"
        own = [
            link
            for link in links_in(base + missing, "text/html", body)
            if urlparse(link).netloc == urlparse(base).netloc
        ]
        assert own, f"the 404 page at {missing} links nowhere on the site"
        for link in own:
            assert fetch(link)[0] == 200, link


def test_production_build_writes_host_files(served_site) -> None:
    _, site = served_site
    assert (site.root / ".nojekyll").is_file()
    assert (site.root / ".well-known" / "security.txt").read_text().startswith("Contact: ")
    assert not (site.root / "CNAME").exists()


def test_custom_domain_writes_cname(tmp_path: Path) -> None:
    env = {"SITEURL": "https://news.example.org", "CNAME": "news.example.org"}
    site = built(tmp_path / "out", production=True, env=env)
    assert (site.root / "CNAME").read_text() == "news.example.org\n"


def test_two_production_builds_are_byte_identical(tmp_path: Path) -> None:
    env = {"SITEURL": "https://example.org/atlas-news", "SOURCE_DATE_EPOCH": EPOCH}
    sites = [built(tmp_path / name, production=True, env=env) for name in ("first", "second")]
    assert tree_digest(sites[0].root) == tree_digest(sites[1].root)

    archives = []
    for site in sites:
        archive = tmp_path / f"{site.root.name}.tar"
        result = run_invoke("pages-artifact", "--output", str(site.root), "--archive", str(archive), env=env)
        assert result.returncode == 0, result.stderr
        archives.append(archive)
    assert archives[0].read_bytes() == archives[1].read_bytes()
    with tarfile.open(archives[0]) as tar:
        packed = {member.name.removeprefix("./") for member in tar.getmembers() if member.isfile()}
    assert packed == set(tree_digest(sites[0].root))
    assert {".nojekyll", ".well-known/security.txt", "404.html", "index.html"} <= packed


def test_every_old_address_leads_to_its_story_under_the_sub_path(served_site) -> None:
    """Each line of content/redirects.txt answers with a page that refreshes to the story, under the sub-path."""
    base, site = served_site
    lines = [line.split() for line in (tasks.ROOT / "content" / "redirects.txt").read_text().splitlines()]
    redirects = [parts for parts in lines if parts and not parts[0].startswith("#")]
    assert redirects
    host_lines = set((site.root / "_redirects").read_text().splitlines())
    clock = datetime.fromtimestamp(int(EPOCH), tz=UTC)
    scheduled = 0
    for old, target in redirects:
        source = tasks.ROOT / "content" / target.removeprefix("{filename}/")
        header = dict(line.split(": ", 1) for line in source.read_text().split("\n\n", 1)[0].splitlines())
        status, content_type, body = fetch(urljoin(base, old.lstrip("/") + "/"))
        if datetime.strptime(header["Date"], "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Europe/London")) > clock:
            # A story scheduled after the build clock: its old address starts working when it goes live.
            assert status == 404, old
            scheduled += 1
            continue
        assert (status, content_type) == (200, "text/html"), old
        page = BeautifulSoup(body, "html.parser")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        destination = refresh.split("url=", 1)[1]
        assert page.find("link", rel="canonical")["href"] == destination
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert urlparse(destination).path.startswith(SUB_PATH), destination
        status, _, story = fetch(destination)
        assert status == 200, destination
        assert BeautifulSoup(story, "html.parser").h1.get_text(strip=True) == header["Title"].strip()
        assert f"{SUB_PATH.rstrip('/')}{old} {urlparse(destination).path} 301" in host_lines
    assert scheduled < len(redirects)
    sitemap = (site.root / "sitemap.xml").read_text()
    assert "/p/" not in sitemap
