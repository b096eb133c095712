"""What livereload keeps of an article between builds: the setting, and a copy of its state kept apart from it."""

from __future__ import annotations

import pytest
from front_matter.kept import _copied, validate_settings


def test_keeping_articles_is_off_unless_asked_and_takes_only_true_or_false() -> None:
    settings: dict = {}
    validate_settings(settings)
    assert settings["BUILD_KEEP_READ_ARTICLES"] is False
    with pytest.raises(ValueError, match="BUILD_KEEP_READ_ARTICLES must be True or False, got 'yes'"):
        validate_settings({"BUILD_KEEP_READ_ARTICLES": "yes"})


def test_a_copy_of_an_articles_state_shares_no_container_with_it_but_keeps_its_own_sharing() -> None:
    tags = ["trade", "shipping"]
    marker = object()
    state = {"tags": tags, "metadata": {"tags": tags, "seen": {"a"}}, "lead": marker}
    copy = _copied(state, {})
    assert copy == state
    copy["tags"].append("ports")
    copy["metadata"]["seen"].add("b")
    assert tags == ["trade", "shipping"] and state["metadata"]["seen"] == {"a"}
    # An attribute and its metadata entry that were one list stay one list, as Pelican made them.
    assert copy["metadata"]["tags"] is copy["tags"]
    assert copy["lead"] is marker
