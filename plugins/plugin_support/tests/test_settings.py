"""Filling in setting defaults, and adding Jinja filters."""

from __future__ import annotations

from plugin_support.settings import add_jinja_filters, fill_defaults


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


def test_jinja_filters_are_added_to_a_new_dict_beside_the_sites_own() -> None:
    own = {"shout": str.upper}
    settings = {"JINJA_FILTERS": own}
    add_jinja_filters(settings, date_text=str, json_ld=repr)
    add_jinja_filters(settings, absolute_url=str.strip)
    added = {"date_text": str, "json_ld": repr, "absolute_url": str.strip}
    assert settings["JINJA_FILTERS"] == {"shout": str.upper, **added}
    assert own == {"shout": str.upper}
    empty: dict = {}
    add_jinja_filters(empty, date_text=str)
    assert empty == {"JINJA_FILTERS": {"date_text": str}}
