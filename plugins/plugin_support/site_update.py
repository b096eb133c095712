"""Updating the live site in place: only the files a build changed are moved in, stale ones are deleted.

A build writes into a staging folder. When it takes pages over from the live
site without changing them (``fast_build``, with ``BUILD_UPDATE_IN_PLACE``),
it leaves them where they are and names them here instead of linking them
into the staging folder: at ten thousand stories, making a fresh tree of
fifteen thousand folders and links, and deleting the old one, cost more than
the rest of a one-story rebuild. Once the build has succeeded, ``lay_over``
moves each staged file over its counterpart in the site (a rename: a reader
gets the old file or the new one, never half of one) and deletes every file
the build neither wrote nor kept. A build that fails leaves the site as it was.

Which files the site holds is read from a list ``lay_over`` writes beside
the build cache after each update, so that a one-story rebuild need not walk
the site's fifteen thousand folders to find the few stale files. A build
that replaces the site whole writes the list too, when the next build may
update in place (it has a build cache and makes no search index): the first
save in ``invoke livereload`` then finds the list its first build left. The list
is used only while the site folder is the one it was written for, untouched
at its top level since (its inode, modification and change times): a site
replaced whole by another build, or edited by hand at the top, is walked
instead. A file added by hand deeper in the site than that is left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from .cache import keep_newest
from .files import replace_atomically

LISTING_PREFIX = "site-files-"
_kept: set[str] = set()


def reset() -> None:
    """Forget what the last build kept (a process may build again and again)."""
    _kept.clear()


def keep(relative_paths: Iterable[str]) -> None:
    """Note files of the live site (paths relative to it) that this build leaves where they are."""
    _kept.update(relative_paths)


def kept() -> frozenset[str]:
    """The files of the live site this build left where they are."""
    return frozenset(_kept)


def files_under(folder: Path) -> set[str]:
    """Every file under ``folder``, by its path relative to it."""
    found = set()
    for root, _, files in os.walk(folder):
        relative = os.path.relpath(root, folder)
        found.update(os.path.normpath(os.path.join(relative, name)) for name in files)
    return found


def _clear_the_way(target: Path, site: Path) -> None:
    """Remove what stands where ``target`` must go: a folder where a file goes, a file where a folder goes."""
    for parent in reversed(target.relative_to(site).parents[:-1]):
        if (site / parent).is_file() or (site / parent).is_symlink():
            (site / parent).unlink()
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def listing_path(cache_folder: str | os.PathLike[str], site: Path) -> Path:
    """Where the list of the files ``site`` holds is kept, in the build cache's folder."""
    digest = hashlib.sha256(str(site.resolve()).encode()).hexdigest()[:16]
    return Path(cache_folder) / f"{LISTING_PREFIX}{digest}.json"


def _stamp(site: Path) -> list[int]:
    found = site.stat()
    return [found.st_ino, found.st_mtime_ns, found.st_ctime_ns]


def _listed(site: Path, listing: Path | None) -> set[str]:
    """The files ``site`` holds: from ``listing`` while it describes this very folder, else by walking it."""
    if listing is not None:
        try:
            recorded = json.loads(listing.read_text(encoding="utf-8"))
            if recorded["site"] == str(site) and recorded["stamp"] == _stamp(site):
                return set(recorded["files"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged: walk the site instead
    return files_under(site)


def _remove_emptied_folders(site: Path, files: Iterable[str]) -> None:
    """Remove the folders of ``files`` (deleted) that are now empty, and their parents that are then empty."""
    folders = {parent for relative in files for parent in Path(relative).parents[:-1]}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty, or gone already
            (site / folder).rmdir()


def lay_over(staging: Path, site: Path, kept: Iterable[str], listing: Path | None = None) -> int:
    """Move every file of ``staging`` into ``site``; delete the files of ``site`` neither staged nor in ``kept``.

    New files go in before stale ones go, so no moment has a page linking to
    a file that is neither old nor new. Folders left empty are removed. What
    ``site`` held is read from ``listing`` when it is current (see the module
    docstring), and ``listing`` is rewritten with what it holds now. Returns
    how many stale files were deleted.
    """
    present = _listed(site, listing)
    staged = files_under(staging)
    for relative in sorted(staged):
        target = site / relative
        _clear_the_way(target, site)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)
    wanted = staged | {os.path.normpath(path) for path in kept}
    stale = present - wanted
    deleted = 0
    for relative in stale:
        target = site / relative
        # Not when a staged folder now stands there, or it went with a folder a staged file replaced.
        if target.is_symlink() or target.is_file():
            target.unlink()
            deleted += 1
    _remove_emptied_folders(site, stale)
    if listing is not None:
        record_listing(listing, site, wanted)
    return deleted


def record_listing(listing: Path, site: Path, files: Iterable[str]) -> None:
    """Write ``listing``: ``site`` holds ``files`` (paths relative to it), as of its stamp now."""
    record = {"site": str(site), "stamp": _stamp(site), "files": sorted(files)}
    replace_atomically(listing, lambda partial: partial.write_text(json.dumps(record), encoding="utf-8"))
    # The tests build into many folders; their lists must not fill the cache's folder.
    keep_newest(listing.parent.glob(f"{LISTING_PREFIX}*.json"))
