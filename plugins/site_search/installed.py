"""The Pagefind executable that npm installed for this machine, from the pinned ``pagefind`` package.

``package.json`` pins the ``pagefind`` package; npm installs with it the one
package of executables for this platform and processor
(``@pagefind/<platform>-<processor>``, an optional dependency of it), whose
``bin/`` folder holds the executable. The build runs that executable itself
rather than npm's ``pagefind`` command, which would start Node.js first for
every part of the index.
"""

from __future__ import annotations

import json
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

# npm's names (``process.platform`` and ``process.arch``) for Python's, as in Pagefind's package names.
NPM_PLATFORMS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "freebsd": "freebsd"}
NPM_PROCESSORS = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
# The extended build also splits Chinese and Japanese text into words; npm ships it for most platforms.
EXECUTABLES = ("pagefind_extended", "pagefind")


@dataclass(frozen=True)
class Pagefind:
    executable: Path
    version: str


def platform_package() -> str:
    """This machine's Pagefind package name under ``@pagefind/``, such as ``linux-x64``."""
    system = "freebsd" if sys.platform.startswith("freebsd") else NPM_PLATFORMS.get(sys.platform, sys.platform)
    processor = platform.machine().lower()
    return f"{system}-{NPM_PROCESSORS.get(processor, processor)}"


def find_pagefind(node_modules: Path) -> Pagefind | None:
    """Pagefind as npm installed it into ``node_modules``; ``None`` when it is not there."""
    package = node_modules / "@pagefind" / platform_package()
    try:
        version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    suffix = ".exe" if sys.platform == "win32" else ""
    for name in EXECUTABLES:
        executable = package / "bin" / f"{name}{suffix}"
        if executable.is_file():
            return Pagefind(executable, str(version))
    return None
