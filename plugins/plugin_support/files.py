"""Putting a file a build already has into another folder without copying its bytes."""

from __future__ import annotations

import os
import shutil


def link_or_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Put ``source`` at ``target``: a hard link where the file system allows, else a copy.

    The builds never change a file in place, so one file may be shared by the
    live site, the new site and a cache. The target's folder is made, and a
    file already at the target is replaced.
    """
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
