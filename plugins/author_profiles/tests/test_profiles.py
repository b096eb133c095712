"""The author_profiles plugin on small settings and stand-in articles."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from author_profiles.profiles import attach_profiles, validate_settings


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


def test_profiles_reach_every_author_object_and_gaps_are_reported(caplog: pytest.LogCaptureFixture) -> None:
    known, unknown = author("Ana Ruiz", "ana-ruiz"), author("Stringer", "stringer")
    listed = author("Ana Ruiz", "ana-ruiz")
    articles = [SimpleNamespace(authors=[known, unknown], source_path="content/a.md")]
    settings = {"AUTHOR_PROFILES": {"ana-ruiz": {"name": "Ana Ruiz", "role": "Editor", "bio": "Edits."}}}
    with caplog.at_level(logging.WARNING):
        attach_profiles(articles, [(listed, articles)], settings)
    assert known.bio == listed.bio == "Edits." and known.role == "Editor"
    assert unknown.profile is None and unknown.bio == ""
    assert [record.getMessage() for record in caplog.records] == [
        'content/a.md: author "Stringer" has no profile; add a [stringer] table with name, role and bio to the '
        "author profiles"
    ]
