"""axe-core finds no accessibility violations on any kind of page, in light or dark mode.

axe-core is the copy bundled with ``axe-playwright-python``; every rule it
runs by default stays on.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ServedSite

pytestmark = pytest.mark.browser


def describe(name: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(
                f"{name}: {violation['id']} ({violation['impact']}): {violation['help']}"
                f" at {', '.join(map(str, node['target']))}"
                f"\n    {node.get('failureSummary', '').replace(chr(10), ' ')}\n    {node['html'][:200]}"
            )
    return lines


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(
    scheme: str, served_site: ServedSite, quality_pages: dict[str, str], browser_page
) -> None:
    axe = Axe()
    browser_page.set_viewport_size({"width": 1280, "height": 900})
    browser_page.emulate_media(color_scheme=scheme)
    problems: list[str] = []
    for name, path in quality_pages.items():
        browser_page.goto(served_site.url(path), wait_until="load")
        results = axe.run(browser_page)
        counts = results.response.get("passes", [])
        problems += describe(name, results.response["violations"])
        print(f"axe {scheme} {name} ({path or '/'}): {results.violations_count} violations, {len(counts)} rules passed")
    assert not problems, f"{len(problems)} accessibility problems ({scheme} mode):\n" + "\n".join(problems)
