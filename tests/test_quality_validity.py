"""Every generated HTML page is valid HTML according to the W3C Nu HTML checker.

The checker (npm ``vnu-jar``, pinned in package.json) runs once over all files
of the development and production builds: starting Java is the slow part.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, BuiltSite

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_check(files: list[Path]) -> list[dict]:
    """Run the Nu checker over ``files`` in one process; return its error messages."""
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `invoke bootstrap` (npm ci)"
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    # The JSON report goes to stderr; exit status 1 only says that errors were found.
    assert result.returncode in (0, 1), f"vnu failed to run:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stderr)["messages"]


@pytest.mark.parametrize("build", ["site", "production_site"])
def test_every_page_passes_the_nu_html_checker(build: str, request: pytest.FixtureRequest) -> None:
    built: BuiltSite = request.getfixturevalue(build)
    files = built.all_html_files()
    assert files, "the build wrote no HTML"
    assert built.redirect_files(), "the bundled redirects wrote no pages"
    messages = nu_check(files)
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    per_file = Counter(m.get("url", "?") for m in errors)
    print(f"\nNu HTML checker ({build}): {len(files)} files, {len(errors)} errors in {len(per_file)} files")

    def where(message: dict) -> str:
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")).relative_to(built.root) if url.startswith("file:") else url
        return f"{path}:{message.get('lastLine', '?')}: {message.get('message')}"

    assert not errors, "HTML errors:\n" + "\n".join(where(m) for m in errors)
