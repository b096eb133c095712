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
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

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


def _files_under(folder: Path) -> set[str]:
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


def lay_over(staging: Path, site: Path, kept: Iterable[str]) -> int:
    """Move every file of ``staging`` into ``site``; delete the files of ``site`` neither staged nor in ``kept``.

    New files go in before stale ones go, so no moment has a page linking to
    a file that is neither old nor new. Folders left empty are removed.
    Returns how many stale files were deleted.
    """
    staged = _files_under(staging)
    for relative in sorted(staged):
        target = site / relative
        _clear_the_way(target, site)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)
    wanted = staged | {os.path.normpath(path) for path in kept}
    deleted = 0
    for root, folders, files in os.walk(site, topdown=False):
        relative = os.path.relpath(root, site)
        for name in files:
            if os.path.normpath(os.path.join(relative, name)) not in wanted:
                os.unlink(os.path.join(root, name))
                deleted += 1
        for name in folders:
            folder = os.path.join(root, name)
            if not os.path.islink(folder) and not os.listdir(folder):
                os.rmdir(folder)
    return deleted
