"""Related: pins are checked against the published archive, each problem on the file's Related: line."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from keep_reading.related import check_pins
from plugin_support import problems


@pytest.fixture(autouse=True)
def fresh() -> None:
    problems.reset()


def article(folder: Path, slug: str, related: str | None = None) -> SimpleNamespace:
    path = folder / f"{slug}.md"
    header = f"Title: {slug}\nSlug: {slug}\n" + (f"Related: {related}\n" if related else "")
    path.write_text(header + "\nText.\n", encoding="utf-8")
    return SimpleNamespace(slug=slug, source_path=str(path), metadata={"related": related} if related else {})


def test_pins_to_published_stories_pass_and_others_are_reported(tmp_path: Path) -> None:
    published = [
        article(tmp_path, "fine", "other, fine-too"),
        article(tmp_path, "other"),
        article(tmp_path, "fine-too", "nowhere, fine-too"),
    ]
    hidden = [article(tmp_path, "hidden-one", "fine"), article(tmp_path, "points-to-hidden", "hidden-one")]
    check_pins(published, hidden)
    found = {(Path(p.path).stem, p.line, p.message) for p in problems.collected()}
    assert found == {
        ("fine-too", 3, 'Related: no article has the slug "nowhere"'),
        ("fine-too", 3, 'Related: "fine-too" is this article itself; pin another one'),
        ("points-to-hidden", 3, 'Related: no article has the slug "hidden-one"'),
    }
