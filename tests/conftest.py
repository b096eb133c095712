"""Shared fixtures: real Pelican builds of the site, inspected with BeautifulSoup.

Every build runs ``invoke build`` in a fresh interpreter, the same path an
author or CI takes, with ``--strict`` so that any warning fails the build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PRODUCTION_SITEURL = "https://example.org/atlas-news"


def run_invoke(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run an invoke task in a fresh interpreter and capture what it prints."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=cwd, env=full_env, capture_output=True, text=True, check=False
    )


@dataclass
class BuiltSite:
    """A built site folder plus what the build printed."""

    root: Path
    log: str
    _parsed: dict[Path, BeautifulSoup] = field(default_factory=dict)

    def page(self, relative: str) -> BeautifulSoup:
        """Parse a built page; ``relative`` may name a folder (its index.html)."""
        path = self.root / relative
        if path.is_dir() or relative.endswith("/") or relative == "":
            path = path / "index.html"
        if path not in self._parsed:
            self._parsed[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return self._parsed[path]

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def article_files(self) -> list[Path]:
        """Built article pages: /YYYY/MM/slug/index.html."""
        return sorted(p for p in self.root.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


def build_site(
    output: Path,
    *,
    content: Path | None = None,
    production: bool = False,
    env: dict[str, str] | None = None,
    extra: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Build with ``invoke build --strict`` into ``output``; return the finished process."""
    args = ["build", "--strict", "--output", str(output), *extra]
    if content is not None:
        args += ["--content", str(content)]
    if production:
        args.append("--production")
    return run_invoke(*args, env=env)


def built(output: Path, **kwargs) -> BuiltSite:
    """Build and fail the test with the build's own words when it does not succeed."""
    result = build_site(output, **kwargs)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return BuiltSite(output, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled content built with the development settings."""
    return built(tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def production_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled content built with publishconf.py under a sub-path."""
    return built(
        tmp_path_factory.mktemp("production") / "output",
        production=True,
        env={"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": "1795000000"},
    )


@pytest.fixture
def content_dir(tmp_path: Path) -> Iterator[Path]:
    """An empty content folder with the bundled author profiles, for one-off sites."""
    folder = tmp_path / "content"
    (folder / "articles").mkdir(parents=True)
    (folder / "pages").mkdir()
    shutil.copy(CONTENT / "authors.toml", folder / "authors.toml")
    yield folder


def write_article(folder: Path, slug: str, body: str = "A paragraph of news.\n", **fields: str) -> Path:
    """Write ``articles/<slug>.md`` with front matter from ``fields`` (keys as in the file)."""
    defaults = {
        "Title": slug.replace("-", " ").title(),
        "Date": "2026-05-01 09:00",
        "Category": "World",
        "Authors": "Mara Lindqvist",
        "Slug": slug,
        "Summary": f"Summary of {slug}.",
    }
    defaults.update({key.replace("__", "-"): value for key, value in fields.items()})
    header = "".join(f"{key}: {value}\n" for key, value in defaults.items() if value is not None)
    path = folder / "articles" / f"{slug}.md"
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path
