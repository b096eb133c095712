"""Hard-linking a file into another folder, or copying it where links cannot be made."""

from __future__ import annotations

from pathlib import Path

import pytest
from plugin_support.files import link_or_copy, replace_atomically


def test_the_file_is_shared_not_copied_and_its_folder_made(tmp_path: Path) -> None:
    source = tmp_path / "cache" / "card.jpeg"
    source.parent.mkdir()
    source.write_bytes(b"card")
    target = tmp_path / "site" / "images" / "cards" / "card.jpeg"
    link_or_copy(source, target)
    assert target.read_bytes() == b"card"
    assert target.stat().st_ino == source.stat().st_ino


def test_a_file_already_at_the_target_is_replaced(tmp_path: Path) -> None:
    source, target = tmp_path / "new", tmp_path / "old"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    link_or_copy(source, target)
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino == source.stat().st_ino


def test_a_missing_source_is_named_and_nothing_is_left_at_the_target(tmp_path: Path) -> None:
    target = tmp_path / "site" / "story" / "index.html"
    with pytest.raises(FileNotFoundError, match=r"gone\.html"):
        link_or_copy(tmp_path / "gone.html", target)
    assert not target.exists()


def test_a_file_is_replaced_whole_and_a_failed_write_leaves_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "pages.pickle"
    replace_atomically(target, lambda partial: partial.write_bytes(b"first"))
    assert target.read_bytes() == b"first"

    def fail_halfway(partial: Path) -> None:
        partial.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_atomically(target, fail_halfway)
    assert target.read_bytes() == b"first"
    assert [path.name for path in target.parent.iterdir()] == ["pages.pickle"]
    replace_atomically(target, lambda partial: partial.write_bytes(b"second"))
    assert target.read_bytes() == b"second"
    assert [path.name for path in target.parent.iterdir()] == ["pages.pickle"]
