"""site_url gives exactly what urljoin gives, whatever the path."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plugin_support.urls import site_url

SITEURLS = ["https://example.org", "https://example.org/", "https://example.org/atlas-news", ""]


def reference(siteurl: str, path: str) -> str:
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return urljoin(siteurl.rstrip("/") + "/", path)


@pytest.mark.parametrize("siteurl", SITEURLS)
@pytest.mark.parametrize(
    "path",
    [
        *("", "index.html", "2026/05/slug/", "section/world/index.html", "feeds/all.json", "tag/ai chips/"),
        *("/about/", "../up/", "a/./b", "a/../b", "a//", "a//b/", "?q=1", "#top"),
        *("mailto:desk@example.org", "https://other.org/x", "a:b/c"),
    ],
)
def test_known_paths(siteurl: str, path: str) -> None:
    assert site_url(siteurl, path) == reference(siteurl, path)


@settings(max_examples=500)
@given(st.sampled_from(SITEURLS), st.text(alphabet="ab./:?#-_ %é\t", max_size=20))
def test_any_path_matches_urljoin(siteurl: str, path: str) -> None:
    assert site_url(siteurl, path) == reference(siteurl, path)
