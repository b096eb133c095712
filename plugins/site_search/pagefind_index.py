"""Running Pagefind over the finished site and measuring what it wrote."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .canonical import make_reproducible
from .settings import BUNDLE_FOLDER

# Pagefind writes ready-made search interfaces next to its engine; the theme
# has its own (theme/static/js/search.js), so these are never loaded.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
INDEXED_PAGES = re.compile(r"Indexed (\d+) pages?")
NO_MARKED_PAGES = "Did not find a data-pagefind-body element"


class SearchIndexError(RuntimeError):
    """Pagefind failed, or found nothing the theme marked as searchable."""


@dataclass(frozen=True)
class IndexStats:
    pages: int
    files: int
    bytes: int


def page_glob(save_as: str) -> str:
    """The files Pagefind reads: the article pages' ``ARTICLE_SAVE_AS`` with every ``{field}`` as ``*``.

    Only article pages are searchable (they carry ``data-pagefind-body``), so
    listing pages need not be parsed at all.
    """
    return re.sub(r"\{[^}]*\}", "*", save_as)


def build_index(site: Path, glob: str) -> IndexStats:
    """Index the articles under ``site`` into ``site/pagefind/``; raise ``SearchIndexError`` if that fails."""
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(site), "--output-subdir", BUNDLE_FOLDER, "--glob", glob,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    said = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index {site}:\n{said}")
    bundle = site / BUNDLE_FOLDER
    if NO_MARKED_PAGES in said:
        # Pagefind then indexes whole pages, menus and all: a theme without the markers is a mistake.
        raise SearchIndexError(
            f"No page matching {glob!r} marks its searchable text with data-pagefind-body; "
            "the article template must (theme/templates/article.html)"
        )
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    make_reproducible(bundle)
    match = INDEXED_PAGES.search(said)
    files = [path for path in bundle.rglob("*") if path.is_file()]
    return IndexStats(
        pages=int(match.group(1)) if match else 0,
        files=len(files),
        bytes=sum(path.stat().st_size for path in files),
    )
