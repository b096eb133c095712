"""Laying a build's staged files over the live site: new files moved in, kept files untouched, stale files gone."""

from __future__ import annotations

from pathlib import Path

from plugin_support import site_update
from plugin_support.cache import KEEP_IN_FOLDER


def write(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")


def tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): path.read_text() for path in folder.rglob("*") if path.is_file()}


def test_staged_files_replace_kept_files_stay_and_stale_files_go(tmp_path: Path) -> None:
    site, staging = tmp_path / "site", tmp_path / "staging"
    write(
        site,
        {
            "index.html": "old front page",
            "kept-story/index.html": "kept story",
            "deleted-story/index.html": "deleted story",
            "tag/old/index.html": "a tag no story has any more",
        },
    )
    write(staging, {"index.html": "new front page", "new-story/index.html": "new story"})
    kept_inode = (site / "kept-story" / "index.html").stat().st_ino
    staged_inode = (staging / "index.html").stat().st_ino

    deleted = site_update.lay_over(staging, site, {"kept-story/index.html"})

    assert tree(site) == {
        "index.html": "new front page",
        "kept-story/index.html": "kept story",
        "new-story/index.html": "new story",
    }
    assert deleted == 2
    assert (site / "kept-story" / "index.html").stat().st_ino == kept_inode, "a kept file was rewritten"
    assert (site / "index.html").stat().st_ino == staged_inode, "the staged file was copied, not moved"
    assert not (site / "deleted-story").exists() and not (site / "tag").exists(), "emptied folders were left"
    assert tree(staging) == {}


def test_a_file_where_a_folder_now_goes_and_a_folder_where_a_file_now_goes(tmp_path: Path) -> None:
    site, staging = tmp_path / "site", tmp_path / "staging"
    write(site, {"feeds/all": "a file that is now a folder", "about/index.html": "a folder that is now a file"})
    write(staging, {"feeds/all/atom.xml": "feed", "about": "about as one file"})

    site_update.lay_over(staging, site, set())

    assert tree(site) == {"feeds/all/atom.xml": "feed", "about": "about as one file"}


def test_what_was_kept_is_remembered_until_the_next_build_starts() -> None:
    site_update.reset()
    site_update.keep(["a/index.html"])
    site_update.keep(iter(["b/index.html"]))
    assert site_update.kept() == {"a/index.html", "b/index.html"}
    site_update.reset()
    assert site_update.kept() == frozenset()


def test_the_next_update_finds_stale_files_in_the_listing_the_last_one_wrote(tmp_path: Path) -> None:
    site, staging, listing = tmp_path / "site", tmp_path / "staging", tmp_path / "cache" / "site-files.json"
    write(site, {"index.html": "front page", "old-story/index.html": "old story"})
    write(staging, {"index.html": "front page again"})
    site_update.lay_over(staging, site, {"old-story/index.html"}, listing)  # no listing yet: the site is walked
    assert listing.is_file()

    # Deep in the site, a file no build wrote: a listing that is current does not know it, so it stays.
    write(site, {"old-story/notes.txt": "left by hand"})
    write(staging, {"index.html": "front page, third build"})
    deleted = site_update.lay_over(staging, site, set(), listing)

    assert deleted == 1
    assert tree(site) == {"index.html": "front page, third build", "old-story/notes.txt": "left by hand"}


def test_a_listing_of_a_site_that_was_since_replaced_or_damaged_is_not_trusted(tmp_path: Path) -> None:
    site, staging, listing = tmp_path / "site", tmp_path / "staging", tmp_path / "site-files.json"
    write(site, {"index.html": "front page"})
    write(staging, {"index.html": "front page again"})
    site_update.lay_over(staging, site, set(), listing)

    # Another build replaced the whole site (a new folder), with a page this update does not keep.
    site.rename(tmp_path / "old-site")
    write(site, {"index.html": "replaced", "story/index.html": "a story"})
    write(staging, {"index.html": "front page, third build"})
    site_update.lay_over(staging, site, set(), listing)
    assert tree(site) == {"index.html": "front page, third build"}

    listing.write_text("{not json", encoding="utf-8")
    write(site, {"story/index.html": "a story"})
    write(staging, {"index.html": "front page, fourth build"})
    site_update.lay_over(staging, site, set(), listing)
    assert tree(site) == {"index.html": "front page, fourth build"}


def test_lists_of_many_sites_do_not_fill_the_cache_folder(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for number in range(KEEP_IN_FOLDER + 6):
        site, staging = tmp_path / f"site-{number}", tmp_path / f"staging-{number}"
        write(site, {"index.html": "old"})
        write(staging, {"index.html": "new"})
        site_update.lay_over(staging, site, set(), site_update.listing_path(cache, site))
    lists = list(cache.glob("*.json"))
    assert len(lists) == KEEP_IN_FOLDER
    assert site_update.listing_path(cache, tmp_path / f"site-{KEEP_IN_FOLDER + 5}") in lists, "the newest was deleted"
