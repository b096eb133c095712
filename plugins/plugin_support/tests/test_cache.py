"""The build cache's fingerprint and file handling."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from markdown.extensions.toc import TocExtension
from plugin_support.cache import FORMAT, BuildCache, fingerprint, settle, stable_repr, writing_later


def settings_for(tmp_path: Path, **extra: object) -> dict[str, object]:
    theme, plugins, content = tmp_path / "theme", tmp_path / "plugins", tmp_path / "content"
    for folder in (theme, plugins, content):
        folder.mkdir(exist_ok=True)
    (theme / "base.html").write_text("<html>{{ SITENAME }}</html>", encoding="utf-8")
    (plugins / "one.py").write_text("VALUE = 1\n", encoding="utf-8")
    return {
        "THEME": str(theme),
        "PLUGIN_PATHS": [str(plugins)],
        "PATH": str(content),
        "SITENAME": "Atlas News",
        "BUILD_CACHE_PATH": str(tmp_path / "cache"),
        **extra,
    }


def test_objects_are_described_by_kind_and_configuration_not_address() -> None:
    assert stable_repr(TocExtension(baselevel=2)) == stable_repr(TocExtension(baselevel=2))
    assert stable_repr(TocExtension(baselevel=2)) != stable_repr(TocExtension(baselevel=3))
    assert stable_repr({"b": 1, "a": [object()]}) == stable_repr({"a": [object()], "b": 1})


def test_settings_theme_and_plugin_files_all_change_the_fingerprint(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    first = fingerprint(settings)
    assert fingerprint(settings_for(tmp_path)) == first
    assert fingerprint({**settings, "OUTPUT_PATH": "/elsewhere", "BUILD_JOBS": 7}) == first
    assert fingerprint({**settings, "SITENAME": "Other"}) != first
    (tmp_path / "theme" / "base.html").write_text("<html>changed</html>", encoding="utf-8")
    assert fingerprint(settings) != first
    second = fingerprint(settings)
    (tmp_path / "plugins" / "one.py").write_text("VALUE = 2\n", encoding="utf-8")
    assert fingerprint(settings) != second


def test_a_plugins_own_tests_leave_the_fingerprint_as_it_was(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    first = fingerprint(settings)
    tests = tmp_path / "plugins" / "one" / "tests"
    tests.mkdir(parents=True)
    (tests / "test_one.py").write_text("def test_value() -> None: ...\n", encoding="utf-8")
    assert fingerprint(settings) == first
    (tmp_path / "plugins" / "one" / "extension.py").write_text("VALUE = 3\n", encoding="utf-8")
    assert fingerprint(settings) != first


def test_a_cache_is_read_back_only_under_the_same_fingerprint(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    BuildCache(settings, "markdown").save({"key": "value"})
    assert BuildCache(settings, "markdown").load() == {"key": "value"}
    assert BuildCache({**settings, "SITENAME": "Other"}, "markdown").load() == {}
    assert BuildCache({**settings, "BUILD_CACHE_PATH": None}, "markdown").load() == {}


def test_a_damaged_cache_file_is_a_miss(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    cache = BuildCache(settings, "markdown")
    cache.save({"key": "value"})
    assert cache.path is not None
    cache.path.write_bytes(b"not a pickle")
    assert BuildCache(settings, "markdown").load() == {}


def test_old_cache_files_are_deleted_per_content_folder_and_in_all(tmp_path: Path) -> None:
    from plugin_support import cache as build_cache

    settings = settings_for(tmp_path)
    for number in range(5):
        BuildCache({**settings, "SITENAME": f"Site {number}"}, "markdown").save({"key": number})
    assert len(list((tmp_path / "cache").glob("markdown-*.pickle"))) == build_cache.KEEP_PER_CONTENT
    assert BuildCache({**settings, "SITENAME": "Site 4"}, "markdown").load() == {"key": 4}

    for number in range(build_cache.KEEP_IN_FOLDER + 5):
        folder = tmp_path / f"content-{number}"
        folder.mkdir()
        BuildCache({**settings, "PATH": str(folder)}, "markdown").save({"key": number})
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == build_cache.KEEP_IN_FOLDER


def test_a_process_reads_a_cache_file_once_until_another_process_writes_it(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    cache = BuildCache(settings, "markdown")
    cache.save({"key": "saved"})
    assert cache.path is not None

    def written_by_another_process(entries: dict[str, str], at_ns: int) -> None:
        cache.path.write_bytes(pickle.dumps((FORMAT, cache.fingerprint, entries)))
        os.utime(cache.path, ns=(at_ns, at_ns))

    later = cache.path.stat().st_mtime_ns + 1_000_000
    written_by_another_process({"key": "from another build"}, later)
    assert BuildCache(settings, "markdown").load() == {"key": "from another build"}
    # The same time of writing: what was read is kept, and the file is not read again.
    written_by_another_process({"key": "never read"}, later)
    assert BuildCache(settings, "markdown").load() == {"key": "from another build"}
    written_by_another_process({"key": "read again"}, later + 1_000_000)
    assert BuildCache(settings, "markdown").load() == {"key": "read again"}


def test_entries_saved_while_writing_later_are_loaded_from_memory_and_written_once_it_ends(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    cache = BuildCache(settings, "pages")
    assert cache.path is not None
    with writing_later():
        cache.save({"page": "first build"})
        assert not cache.path.exists()  # nothing is written while the build runs
        assert BuildCache(settings, "pages").load() == {"page": "first build"}
    settle()
    assert pickle.loads(cache.path.read_bytes()) == (FORMAT, cache.fingerprint, {"page": "first build"})

    with writing_later():  # the next build: its first save waits for nothing, and replaces the file after it
        assert BuildCache(settings, "pages").load() == {"page": "first build"}
        cache.save({"page": "second build"})
    with writing_later():  # and the one after finds the second build's file written before it starts
        assert pickle.loads(cache.path.read_bytes())[2] == {"page": "second build"}
    settle()
