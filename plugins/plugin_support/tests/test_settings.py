"""Filling in setting defaults, and adding Jinja filters and Markdown extensions."""

from __future__ import annotations

from plugin_support.settings import add_jinja_filters, fill_defaults, use_markdown_extension


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


class Marker:
    """A stand-in Markdown extension: only its class matters here."""


class OtherMarker:
    pass


def test_a_markdown_extension_replaces_the_one_an_earlier_build_added() -> None:
    other, first, second = OtherMarker(), Marker(), Marker()
    settings: dict = {"MARKDOWN": {"output_format": "html5"}}
    use_markdown_extension(settings, Marker, first)
    use_markdown_extension(settings, OtherMarker, other)
    assert settings["MARKDOWN"] == {"output_format": "html5", "extensions": [first, other]}
    use_markdown_extension(settings, Marker, second)
    assert settings["MARKDOWN"]["extensions"] == [other, second]
    use_markdown_extension(settings, Marker, None)
    assert settings["MARKDOWN"]["extensions"] == [other]
