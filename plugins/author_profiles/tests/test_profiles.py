"""The author_profiles plugin on small settings and stand-in articles."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from author_profiles.profiles import attach_profiles, validate_settings
from plugin_support import problems


def author(name: str, slug: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, slug=slug)


def test_profiles_load_from_the_content_folder(tmp_path: Path) -> None:
    (tmp_path / "authors.toml").write_text('[ana-ruiz]\nname = "Ana Ruiz"\nrole = "Editor"\nbio = "Edits."\n')
    settings = {"PATH": str(tmp_path)}
    validate_settings(settings)
    assert settings["AUTHOR_PROFILES"]["ana-ruiz"]["role"] == "Editor"


def test_no_file_means_no_profiles(tmp_path: Path) -> None:
    settings = {"PATH": str(tmp_path)}
    validate_settings(settings)
    assert settings["AUTHOR_PROFILES"] == {}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[ana-ruiz]\nname = "Ana Ruiz"\nrole = "Editor"\n', r"\[ana-ruiz\] needs text for: bio"),
        ('[ana-ruiz]\nname = "Ana Ruiz"\nrole = ""\nbio = "x"\n', "needs text for: role"),
        ("[ana-ruiz\n", "authors.toml"),
    ],
)
def test_incomplete_or_broken_profiles_are_rejected(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "authors.toml").write_text(toml)
    with pytest.raises(ValueError, match=message):
        validate_settings({"PATH": str(tmp_path)})


def test_profiles_reach_every_author_object_and_gaps_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("Title: A\nDate: 2026-01-01\nAuthors: Ana Ruiz, Stringer\n\nText.\n", encoding="utf-8")
    known, unknown = author("Ana Ruiz", "ana-ruiz"), author("Stringer", "stringer")
    listed = author("Ana Ruiz", "ana-ruiz")
    articles = [SimpleNamespace(authors=[known, unknown], source_path=str(source), metadata={"authors": "..."})]
    settings = {
        "AUTHOR_PROFILES": {"ana-ruiz": {"name": "Ana Ruiz", "role": "Editor", "bio": "Edits."}},
        "AUTHOR_PROFILES_FILE": "authors.toml",
    }
    problems.reset()
    attach_profiles(articles, [(listed, articles)], settings)
    assert known.bio == listed.bio == "Edits."
    assert known.role == "Editor"
    assert unknown.profile is None
    assert unknown.bio == ""
    [problem] = problems.collected()
    assert (problem.path, problem.line, problem.severity) == (str(source), 3, problems.ERROR)
    assert problem.message.startswith('Authors: "Stringer" has no profile; check the spelling, or add a [stringer]')
