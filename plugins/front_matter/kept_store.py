"""The kept articles in the build cache, so that a build in a new process takes them too.

``kept`` holds, for each article a build read, the ``Article`` as reading left
it and what it was read from. With a build cache (``BUILD_CACHE_PATH``), they
are also written to ``<cache>/articles-<content folder>-<fingerprint>/``, in
``SHARDS`` files by a digest of the article's path, and the first build of the
next process (``invoke build``, ``invoke check``) reads them back. A build
rewrites only the files holding an article it read again, dropped or added: a
one-story edit rewrites one file of some 150 articles.

What an article holds of its build is not written but named, and the build
that reads the file puts its own in its place: the settings and the
generator's context, every kept ``Article`` (a takeaway refers to its own
article), and tag, section and author objects, which become the reading
build's one object per class and name. A file that cannot be read, or was
written under another fingerprint, is ignored: its articles are read again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pelican.urlwrappers import URLWrapper
from plugin_support import cache
from plugin_support.files import replace_atomically

logger = logging.getLogger(__name__)

FORMAT = 1
# The start of every store's folder name in the build cache (``plugin_support.cache.family``).
NAME = "articles"
SHARDS = 64

# One stored article: its path, its class, and what ``kept`` keeps of it besides the object.
Record = tuple[Any, ...]


def folder_of(settings: dict[str, Any], fingerprint: str) -> Path | None:
    """The store's folder for this content folder and fingerprint; ``None`` without a build cache."""
    cache_folder = settings.get("BUILD_CACHE_PATH")
    if not cache_folder:
        return None
    return Path(cache_folder) / f"{cache.family(settings, NAME)}{fingerprint[:16]}"


def shard_of(path: str) -> int:
    """The file of the store that holds the article at ``path``, the same in every process."""
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=2).digest(), "big") % SHARDS


class _Pickler(pickle.Pickler):
    def __init__(self, stream: Any, settings: dict[str, Any], context: dict[str, Any], articles: dict[int, Any]):
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self._settings, self._context, self._articles = settings, context, articles

    def persistent_id(self, obj: Any) -> Any:
        if obj is self._settings:
            return ("settings",)
        if obj is self._context:
            return ("context",)
        named = self._articles.get(id(obj))
        if named is not None:
            return ("article", *named)
        if isinstance(obj, URLWrapper):
            return ("named", type(obj), obj.name)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(
        self,
        stream: Any,
        settings: dict[str, Any],
        context: dict[str, Any],
        article_of: Callable[[str, type], Any],
        named: dict[tuple[type, str], URLWrapper],
    ):
        super().__init__(stream)
        self._settings, self._context, self._article_of, self._named = settings, context, article_of, named

    def persistent_load(self, pid: Any) -> Any:
        kind = pid[0]
        if kind == "settings":
            return self._settings
        if kind == "context":
            return self._context
        if kind == "article":
            return self._article_of(pid[1], pid[2])
        if kind == "named":
            cls, name = pid[1], pid[2]
            found = self._named.get((cls, name))
            if found is None:
                found = self._named[(cls, name)] = cls(name, self._settings)
            return found
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def load(
    folder: Path | None,
    fingerprint: str,
    settings: dict[str, Any],
    context: dict[str, Any],
    named: dict[tuple[type, str], URLWrapper],
) -> dict[str, tuple[Any, Record]]:
    """Every stored article by path: a new, empty object of its class and its record.

    ``kept`` fills the object when the build takes the article.
    """
    if folder is None or not folder.is_dir():
        return {}
    objects: dict[str, Any] = {}

    def article_of(path: str, cls: type) -> Any:
        found = objects.get(path)
        if found is None:
            found = objects[path] = cls.__new__(cls)
        return found

    stored: dict[str, tuple[Any, Record]] = {}
    for shard in range(SHARDS):
        path = folder / f"{shard:02d}.pickle"
        try:
            with path.open("rb") as stream:
                stored_format, stored_fingerprint, records = _Unpickler(
                    stream, settings, context, article_of, named
                ).load()
        except FileNotFoundError:
            continue
        except Exception as error:  # a damaged file costs only the reading of its articles
            logger.info("Ignoring the kept articles in %s: %s", path, error)
            continue
        if stored_format != FORMAT or stored_fingerprint != fingerprint:
            continue
        for source_path, cls, *record in records:
            stored[source_path] = (article_of(source_path, cls), tuple(record))
    return stored


def save(
    folder: Path | None,
    fingerprint: str,
    shards: Iterable[int],
    entries: dict[str, tuple[Any, Record]],
    settings: dict[str, Any],
    context: dict[str, Any],
) -> None:
    """Rewrite the files ``shards`` of the store with the entries of ``entries`` that belong in them."""
    shards = set(shards)
    if folder is None or not shards:
        return
    by_shard: dict[int, list[tuple[Any, ...]]] = {shard: [] for shard in shards}
    articles: dict[int, tuple[str, type]] = {}
    for source_path, (article, record) in entries.items():
        articles[id(article)] = (source_path, type(article))
        shard = shard_of(source_path)
        if shard in by_shard:
            by_shard[shard].append((source_path, type(article), *record))
    for shard, records in sorted(by_shard.items()):

        def dump(partial: Path, records: list[tuple[Any, ...]] = records) -> None:
            with partial.open("wb") as stream:
                _Pickler(stream, settings, context, articles).dump((FORMAT, fingerprint, records))

        try:
            replace_atomically(folder / f"{shard:02d}.pickle", dump)
        except Exception as error:  # an article that cannot be stored is only read again next time
            logger.warning("The kept articles could not be written to %s: %s", folder, error)
            return
    _keep_newest(folder, cache.family(settings, NAME))


def _keep_newest(folder: Path, family: str) -> None:
    """Keep as many stores per content folder (``family``), and in all, as the build cache keeps of its files."""
    os.utime(folder)
    stores = [each for each in folder.parent.glob(f"{NAME}-*") if each.is_dir()]
    cache.keep_newest([each for each in stores if each.name.startswith(family)], cache.KEEP_PER_CONTENT)
    cache.keep_newest(stores, cache.KEEP_IN_FOLDER)
