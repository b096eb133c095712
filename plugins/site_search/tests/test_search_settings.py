"""The search settings: defaults, the fallback form worked out from them, and the errors that name them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from site_search import DEFAULTS, SearchSettingError, Shard, fallback_form, index_parts, page_glob, plan_shards
from site_search.installed import find_pagefind, platform_package
from site_search.settings import installed_pagefind, validate_settings

DUCKDUCKGO = "https://duckduckgo.com/?sites={host}&q="


def test_defaults_index_nothing_and_have_no_fallback() -> None:
    settings: dict = {}
    validate_settings(settings)
    assert settings == DEFAULTS
    assert fallback_form(settings) is None


def test_the_fallback_url_becomes_a_form_with_the_site_filled_in() -> None:
    form = fallback_form({"SEARCH_FALLBACK_URL": DUCKDUCKGO, "SITEURL": "https://owner.github.io/atlas-news"})
    assert form is not None
    assert form.action == "https://duckduckgo.com/"
    assert form.query_field == "q"
    assert form.hidden == (("sites", "owner.github.io"),)
    site = fallback_form(
        {"SEARCH_FALLBACK_URL": "https://search.example/find?in={site}&lang=en&query=", "SITEURL": "https://a.b/news/"}
    )
    assert site is not None and site.hidden == (("in", "a.b/news"), ("lang", "en")) and site.query_field == "query"


def test_without_a_site_host_the_fallback_that_needs_one_is_left_out() -> None:
    assert fallback_form({"SEARCH_FALLBACK_URL": DUCKDUCKGO, "SITEURL": ""}) is None
    assert fallback_form({"SEARCH_FALLBACK_URL": "https://engine.example/?q=", "SITEURL": ""}) is not None


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"SEARCH_INDEX": "yes"}, "SEARCH_INDEX"),
        ({"SEARCH_URL": "/search/"}, "SEARCH_URL"),
        ({"SEARCH_SAVE_AS": "search/"}, "SEARCH_SAVE_AS"),
        ({"SEARCH_FALLBACK_URL": "http://duckduckgo.com/?q="}, "https://"),
        ({"SEARCH_FALLBACK_URL": "https://duckduckgo.com/?q=x"}, "left empty"),
        ({"SEARCH_FALLBACK_URL": "https://duckduckgo.com/?q=&sites=x"}, "left empty"),
        ({"SEARCH_FALLBACK_URL": 42}, "SEARCH_FALLBACK_URL"),
        ({"SEARCH_INDEX_AT_ONCE": 0}, "SEARCH_INDEX_AT_ONCE"),
        ({"SEARCH_INDEX_PARTS": 0}, "SEARCH_INDEX_PARTS"),
        ({"SEARCH_INDEX_PARTS": 17}, "SEARCH_INDEX_PARTS"),
        ({"SEARCH_INDEX_AT_ONCE": True}, "SEARCH_INDEX_AT_ONCE"),
        ({"SEARCH_NODE_MODULES": ""}, "SEARCH_NODE_MODULES"),
        ({"SEARCH_INDEX": True, "SEARCH_NODE_MODULES": "/nonexistent/node_modules"}, "run npm ci"),
    ],
)
def test_bad_settings_stop_the_build_naming_the_setting(settings: dict, named: str) -> None:
    with pytest.raises(SearchSettingError, match=named):
        validate_settings(settings)


def test_the_archive_size_sets_the_parts_unless_the_setting_does() -> None:
    automatic = {"SEARCH_INDEX_PARTS": None}
    counts = {articles: index_parts(automatic, articles) for articles in (1, 2500, 2501, 10_000, 1_000_000)}
    assert counts == {1: 2, 2500: 2, 2501: 3, 10_000: 8, 1_000_000: 16}
    assert index_parts({"SEARCH_INDEX_PARTS": 3}, 10_000) == 3


def test_only_pages_where_articles_are_written_are_read() -> None:
    assert page_glob("{date:%Y}/{date:%m}/{slug}/index.html") == "*/*/*/index.html"
    assert page_glob("posts/{slug}.html") == "posts/*.html"


def test_the_index_is_split_by_first_folder_newest_first_in_runs_of_about_equal_size() -> None:
    glob = "*/*/*/index.html"
    years = {"2024": 300, "2025": 300, "2026": 200, "2023": 200}
    assert [(shard.folder, shard.glob) for shard in plan_shards(glob, years, 2)] == [
        ("pagefind", "{2026,2025}/*/*/index.html"),
        ("pagefind-2", "{2024,2023}/*/*/index.html"),
    ]
    assert len(plan_shards(glob, years, 4)) == 4
    assert plan_shards(glob, {"2026": 10}, 2) == [Shard("pagefind", glob)]
    assert plan_shards("posts/*.html", {"posts": 10}, 2) == [Shard("pagefind", "posts/*.html")]
    assert plan_shards(glob, years, 1) == [Shard("pagefind", glob)]


def test_pagefind_is_found_where_npm_installs_it_for_this_machine(tmp_path: Path) -> None:
    node_modules = tmp_path / "node_modules"
    package = node_modules / "@pagefind" / platform_package()
    assert find_pagefind(node_modules) is None
    (package / "bin").mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"name": f"@pagefind/{platform_package()}", "version": "9.8.7"}))
    assert find_pagefind(node_modules) is None  # the package without its executable
    (package / "bin" / "pagefind").write_bytes(b"")
    found = installed_pagefind({"SEARCH_NODE_MODULES": str(node_modules)})
    assert (found.executable, found.version) == (package / "bin" / "pagefind", "9.8.7")
    (package / "bin" / "pagefind_extended").write_bytes(b"")
    assert find_pagefind(node_modules).executable.name == "pagefind_extended"
