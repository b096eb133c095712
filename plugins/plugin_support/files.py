"""Putting a file a build already has into another folder without copying its bytes, and replacing a file whole."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


def link_or_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Put ``source`` at ``target``: a hard link where the file system allows, else a copy.

    The builds never change a file in place, so one file may be shared by the
    live site, the new site and a cache. The target's folder is made, and a
    file already at the target is replaced.
    """
    # A build links thousands of files into folders most of which exist: try the link first, and make
    # the folder or clear the way only when the system says that is what stops it.
    try:
        os.link(source, target)
        return
    except FileExistsError:
        os.unlink(target)
    except FileNotFoundError:  # no folder yet (or no source, which the copy below reports)
        os.makedirs(os.path.dirname(target), exist_ok=True)
    except OSError:  # another file system, or one without links
        shutil.copy2(source, target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Make ``target`` with ``write``, which is given a file beside it to fill, then rename that file over ``target``.

    Whoever reads ``target`` meanwhile, and whatever a build stopped halfway
    leaves, gets the old file or the new one, never part of one. The target's
    folder is made; a ``write`` that fails leaves no half-written file beside it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        write(partial)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
