"""The build cache's store of kept articles: what an article holds of its build comes back as the reading build's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from front_matter import kept_store
from pelican.urlwrappers import Tag


class Story:
    """Stands for Pelican's ``Article``: the store keeps any class's objects by their path."""


class Mention:
    """An object in an article's attributes that refers to an article, as a linked takeaway does."""

    def __init__(self, article: Any) -> None:
        self.article = article


def settings_for(folder: Path) -> dict[str, Any]:
    return {"BUILD_CACHE_PATH": str(folder / "cache"), "PATH": str(folder / "content"), "MARKER": object()}


def stored_and_read_back(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any], dict, dict[str, tuple[Any, tuple]]]:
    writing = settings_for(tmp_path)
    first, second = Story(), Story()
    shipping = Tag("Shipping", writing)
    entries = {
        "/content/a.md": (first, ({"tags": [shipping], "own": Mention(first), "uses": writing}, "key-a")),
        "/content/b.md": (second, ({"tags": [shipping], "other": Mention(first)}, "key-b")),
    }
    folder = kept_store.folder_of(writing, "f" * 64)
    kept_store.save(folder, "f" * 64, range(kept_store.SHARDS), entries, writing, {"context": "of the writer"})
    reading, context, named = {**writing, "MARKER": object()}, {"context": "of the reader"}, {}
    return reading, context, named, kept_store.load(folder, "f" * 64, reading, context, named)


def test_articles_come_back_with_the_reading_builds_settings_and_one_object_per_name(tmp_path: Path) -> None:
    reading, _, named, loaded = stored_and_read_back(tmp_path)
    first, (first_attributes, first_key) = loaded["/content/a.md"]
    second, (second_attributes, _) = loaded["/content/b.md"]
    assert first_key == "key-a"
    assert isinstance(first, Story) and vars(first) == {}, "the object is made empty; kept fills it when taken"
    assert first_attributes["uses"] is reading
    assert first_attributes["own"].article is first and second_attributes["other"].article is first
    assert second is not first
    tag = first_attributes["tags"][0]
    assert tag is second_attributes["tags"][0] is named[(Tag, "Shipping")]
    assert tag.settings is reading and tag.slug == "shipping"


def test_a_store_of_other_settings_or_a_damaged_file_is_not_taken(tmp_path: Path) -> None:
    reading, context, _, loaded = stored_and_read_back(tmp_path)
    assert len(loaded) == 2
    folder = kept_store.folder_of(reading, "f" * 64)
    assert kept_store.load(folder, "e" * 64, reading, context, {}) == {}, "written under another fingerprint"
    damaged = folder / f"{kept_store.shard_of('/content/a.md'):02d}.pickle"
    damaged.write_bytes(b"not a pickle")
    assert "/content/a.md" not in kept_store.load(folder, "f" * 64, reading, context, {})


def test_only_the_shards_named_are_written_again(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    folder = kept_store.folder_of(settings, "f" * 64)
    paths = [f"/content/{number}.md" for number in range(200)]
    entries = {path: (Story(), ({"n": number}, "key")) for number, path in enumerate(paths)}
    kept_store.save(folder, "f" * 64, range(kept_store.SHARDS), entries, settings, {})
    written = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    changed = kept_store.shard_of(paths[7])
    entries[paths[7]] = (Story(), ({"n": "edited"}, "key"))
    kept_store.save(folder, "f" * 64, {changed}, entries, settings, {})
    again = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert {name for name in again if again[name] != written.get(name)} == {f"{changed:02d}.pickle"}
    assert kept_store.load(folder, "f" * 64, settings, {}, {})[paths[7]][1][0] == {"n": "edited"}


def test_stores_of_other_fingerprints_are_deleted_but_the_newest(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    entries = {"/content/a.md": (Story(), ({"n": 1}, "key"))}
    for fingerprint in "abcde":
        folder = kept_store.folder_of(settings, fingerprint * 64)
        kept_store.save(folder, fingerprint * 64, range(kept_store.SHARDS), entries, settings, {})
    other_content = kept_store.folder_of({**settings, "PATH": str(tmp_path / "elsewhere")}, "f" * 64)
    kept_store.save(other_content, "f" * 64, range(kept_store.SHARDS), entries, settings, {})
    left = sorted(path.name[-1] for path in (tmp_path / "cache").glob("articles-*") if path != other_content)
    assert left == ["c", "d", "e"], "the three most recent stores of one content folder are kept"
    assert other_content.is_dir()
