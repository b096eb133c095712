"""The site root relative to each page, as the parallel writer gives it to pages written with relative URLs."""

from __future__ import annotations

from pathlib import Path

from fast_build.writer import ParallelWriter
from hypothesis import given
from hypothesis import strategies as st
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import get_relative_path, path_to_url

segment = st.sampled_from(["", ".", "..", "2024", "05", "a-story", "index.html", "page", "2.html", "tag"])
page_name = st.lists(segment, max_size=7).map("/".join)


@given(st.lists(page_name, min_size=1, max_size=30))
def test_every_page_gets_the_root_pelican_would_give_it(names: list[str]) -> None:
    # One writer for all the names, in any order: what it worked out for one page must hold for the next.
    writer = ParallelWriter(str(Path("/nonexistent/output")), settings=dict(DEFAULT_CONFIG))
    assert [writer._root_from(name) for name in names] == [path_to_url(get_relative_path(name)) for name in names]


def test_pages_at_one_depth_share_a_root_and_deeper_pages_go_further_up() -> None:
    writer = ParallelWriter(str(Path("/nonexistent/output")), settings=dict(DEFAULT_CONFIG))
    assert writer._root_from("index.html") == "."
    assert writer._root_from("2024/05/a-story/index.html") == "../../.."
    assert writer._root_from("tag/economy/index.html") == "../.."
    assert writer._root_from("tag/trade/index.html") == "../.."
    assert writer._root_from("/page//2.html") == ".."
