"""Filling in setting defaults."""

from __future__ import annotations

from plugin_support.settings import fill_defaults


def test_only_missing_settings_get_their_default() -> None:
    settings = {"GIVEN": 1, "NONE_ON_PURPOSE": None}
    fill_defaults(settings, {"GIVEN": 2, "NONE_ON_PURPOSE": 3, "MISSING": 4})
    assert settings == {"GIVEN": 1, "NONE_ON_PURPOSE": None, "MISSING": 4}


def test_a_default_list_or_dict_is_never_shared() -> None:
    defaults = {"NAMES": ["a"], "TABLE": {"k": ["v"]}}
    first, second = {}, {}
    fill_defaults(first, defaults)
    fill_defaults(second, defaults)
    first["NAMES"].append("b")
    first["TABLE"]["k"].append("w")
    assert defaults == {"NAMES": ["a"], "TABLE": {"k": ["v"]}}
    assert second == {"NAMES": ["a"], "TABLE": {"k": ["v"]}}
