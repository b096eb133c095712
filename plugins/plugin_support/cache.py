"""Values kept from one build to the next, thrown away whole when anything they could depend on changes.

A cache file belongs to one content folder and one set of settings (so the
development and the production build each keep their own; the three most
recently written files per content folder, and 24 in all, are kept). Its fingerprint covers
every setting (objects by their kind and configuration, never their
address), every file of the theme and of the plugin folders (but the
plugins' tests), and
the versions of Python and of the packages that shape the output; when any of
them differs from the build that wrote it, the file is ignored and rewritten.
Entries are looked up by the bytes of what they were made from, so an edited
file simply misses.

Settings (defaults in ``DEFAULTS``):

``BUILD_CACHE_PATH``
    Folder for the cache files, or ``None`` for no cache (every build starts
    from nothing). Default ``None``; ``pelicanconf.py`` sets ``.build-cache/``
    in the project, and ``invoke build --no-cache`` or ``invoke rebuild``
    build without reading it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import shutil
import sys
import threading
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from .files import replace_atomically
from .settings import fill_defaults

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {"BUILD_CACHE_PATH": None}
# Settings that never change what a build writes: where it writes, how many processes it uses, and
# whether it writes at all (so `invoke check` and `invoke build` share one cache).
IGNORED_SETTINGS = frozenset(
    {
        "OUTPUT_PATH",
        "BUILD_JOBS",
        "BUILD_WORKER_TIMEOUT",
        "BUILD_CACHE_PATH",
        "BUILD_PREVIOUS_OUTPUT",
        "BUILD_UPDATE_IN_PLACE",
        "BUILD_CHECK_ONLY",
        "BUILD_KEEP_READ_ARTICLES",
        "BUILD_CLOCK",
        "IMAGES_CACHE_PATH",
    }
)
UNREAD_FOLDERS = frozenset({"__pycache__", ".pytest_cache", "tests"})
PACKAGES = ("pelican", "markdown", "jinja2", "markupsafe", "feedgenerator", "pillow", "numpy", "scipy")
FORMAT = 1
KEEP_PER_CONTENT = 3
KEEP_IN_FOLDER = 24


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in the default and reject a value of the wrong shape."""
    fill_defaults(settings, DEFAULTS)
    path = settings["BUILD_CACHE_PATH"]
    if path is not None and not isinstance(path, str | os.PathLike):
        raise ValueError(f"BUILD_CACHE_PATH must be a folder path or None, got {path!r}")


def keeps_articles(settings: dict[str, Any]) -> bool:
    """Whether a build keeps the articles it reads for the next one (the front_matter plugin's ``kept``).

    It does with a build cache, which stores them, and in a process that
    builds again and again (``BUILD_KEEP_READ_ARTICLES``, livereload), which
    holds them in memory; but not when the site turns Pelican's own content
    cache on (``CACHE_CONTENT``, ``LOAD_CONTENT_CACHE``), which then keeps
    what it was made to keep through the same hooks of the generator.
    """
    if settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE"):
        return False
    return bool(settings.get("BUILD_KEEP_READ_ARTICLES") or settings.get("BUILD_CACHE_PATH"))


def stable_repr(value: Any) -> str:
    """A description of ``value`` that is the same in every process that has the same value."""
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return repr(value)
    if isinstance(value, os.PathLike):
        return repr(os.fspath(value))
    if isinstance(value, dict):
        items = sorted((stable_repr(key), stable_repr(item)) for key, item in value.items())
        return "{" + ", ".join(f"{key}: {item}" for key, item in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(stable_repr(item) for item in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(stable_repr(item) for item in value)) + "}"
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    get_configs = getattr(value, "getConfigs", None)  # a Markdown extension: its configuration matters
    if callable(get_configs):
        return f"{kind}({stable_repr(get_configs())})"
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', kind)}"
    return kind


def _files_digest(folders: list[Path]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            # A plugin's own tests never change what a build writes.
            if path.is_file() and not UNREAD_FOLDERS.intersection(path.relative_to(folder).parts):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _versions() -> str:
    found = [sys.version]
    for package in PACKAGES:
        try:
            found.append(f"{package}=={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} missing")
    return ";".join(found)


def fingerprint(settings: dict[str, Any]) -> str:
    """What a cache file must have been written under to be used."""
    digest = hashlib.sha256()
    for key in sorted(settings):
        if key not in IGNORED_SETTINGS:
            digest.update(f"{key}={stable_repr(settings[key])}\n".encode())
    plugin_folders = [Path(folder) for folder in settings.get("PLUGIN_PATHS") or []]
    digest.update(_files_digest([Path(settings["THEME"]), *plugin_folders]).encode())
    digest.update(_versions().encode())
    return digest.hexdigest()


def content_key(data: bytes) -> str:
    """The key of an entry made from ``data``."""
    return hashlib.sha256(data).hexdigest()


# What this process saved last, by cache file: (the file's modification time then, the entries).
_in_memory: dict[Path, tuple[int, dict[str, Any]]] = {}
# Within ``writing_later``: the entries saved so far, by cache file, written once it ends.
_later: dict[Path, tuple[BuildCache, dict[str, Any]]] | None = None
_writer: threading.Thread | None = None


@contextlib.contextmanager
def writing_later() -> Iterator[None]:
    """Within, ``save`` keeps the entries in memory; once it ends, a thread writes the files.

    For a process that builds again and again (``invoke livereload``): its
    next build finds the entries in memory either way, and the reader need not
    wait for the files (a fifth of a second or more at ten thousand stories)
    before the browser reloads. Each use, and ``settle``, first waits for the
    files of the last one. The thread is not a daemon: the process ends only
    once they are written.
    """
    global _later, _writer
    settle()
    _later = {}
    try:
        yield
    finally:
        queued, _later = list(_later.values()), None
        if queued:
            _writer = threading.Thread(target=_write_all, args=(queued,), name="build-cache-writer")
            _writer.start()


def settle() -> None:
    """Wait until the files of the last ``writing_later`` are written."""
    global _writer
    if _writer is not None:
        _writer.join()
        _writer = None


def _write_all(queued: list[tuple[BuildCache, dict[str, Any]]]) -> None:
    for cache, entries in queued:
        try:
            cache.write(entries)
        except Exception as error:  # a cache that cannot be written is only a slower next build
            logger.warning("The build cache %s could not be written: %s", cache.path, error)


def family(settings: dict[str, Any], name: str) -> str:
    """The start of the names of ``name``'s cache entries for this content folder; the fingerprint ends them."""
    content = hashlib.sha256(os.path.abspath(settings["PATH"]).encode()).hexdigest()[:16]
    return f"{name}-{content}-"


class BuildCache:
    """One named cache file of one content folder: ``load`` what the last build left, ``save`` this build's."""

    def __init__(self, settings: dict[str, Any], name: str) -> None:
        folder = settings.get("BUILD_CACHE_PATH")
        self.path: Path | None = None
        if folder:
            self.fingerprint = fingerprint(settings)
            self._family = family(settings, name)
            self.path = Path(folder) / f"{self._family}{self.fingerprint[:16]}.pickle"

    def load(self) -> dict[str, Any]:
        """The entries the last build saved under the same fingerprint; empty when there are none.

        A process that builds again and again (``invoke livereload``) keeps
        what it read or saved in memory and does not read it again, unless
        another process has written the file since.
        """
        if self.path is None:
            return {}
        if _later is not None and self.path in _later:
            return _later[self.path][1]
        if not self.path.is_file():
            return {}
        written = self.path.stat().st_mtime_ns
        remembered = _in_memory.get(self.path)
        if remembered is not None and remembered[0] == written:
            return remembered[1]
        try:
            with self.path.open("rb") as stream:
                stored_format, stored_fingerprint, entries = pickle.load(stream)
        except Exception as error:  # a damaged or foreign file is only a missed cache
            logger.info("Ignoring the build cache %s: %s", self.path, error)
            return {}
        if stored_format != FORMAT or stored_fingerprint != self.fingerprint:
            return {}
        _in_memory[self.path] = (written, entries)
        return entries

    def save(self, entries: dict[str, Any]) -> None:
        """Replace the file with ``entries`` (within ``writing_later``, once it ends)."""
        if self.path is None:
            return
        if _later is not None:
            _later[self.path] = (self, entries)
            return
        self.write(entries)

    def write(self, entries: dict[str, Any]) -> None:
        """Replace the file with ``entries``, atomically, so a build stopped halfway leaves the old one."""
        assert self.path is not None, "a cache without a folder writes nothing"

        def dump(partial: Path) -> None:
            with partial.open("wb") as stream:
                pickle.dump((FORMAT, self.fingerprint, entries), stream, protocol=pickle.HIGHEST_PROTOCOL)

        replace_atomically(self.path, dump)
        _in_memory[self.path] = (self.path.stat().st_mtime_ns, entries)
        keep_newest(self.path.parent.glob(f"{self._family}*.pickle"), KEEP_PER_CONTENT)
        # Builds of many content folders (the tests make one per test) must not fill the folder either.
        keep_newest(self.path.parent.glob("*.pickle"), KEEP_IN_FOLDER)


def keep_newest(paths: Any, count: int = KEEP_IN_FOLDER) -> None:
    """Delete all but the ``count`` most recently written of ``paths`` (files, or folders with all they hold)."""
    dated = []
    for path in paths:
        try:
            dated.append((path.stat().st_mtime_ns, path))
        except OSError:  # deleted meanwhile by another build
            continue
    for _, stale in sorted(dated, reverse=True)[count:]:
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
