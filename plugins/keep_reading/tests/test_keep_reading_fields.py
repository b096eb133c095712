"""Front-matter fields that count in the ranking (KEEP_READING_FIELD_WEIGHTS), such as a running story."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from types import SimpleNamespace

import numpy as np
import pytest
from keep_reading import ranking
from keep_reading.benchmark import synthetic_archive
from keep_reading.ranking import Options, Story, rank
from keep_reading.related import options_from, story_from, validate_settings

DAY = 86_400.0


def story(slug: str, day: float = 0, section: str = "World", **fields) -> Story:
    return Story(
        slug=slug, title=fields.pop("title", slug), section=section, published=1_700_000_000 + day * DAY, **fields
    )


def in_story(name: str) -> tuple[tuple[str, str], ...]:
    return (("story", name),)


def with_fields(**weights: float) -> Options:
    return dataclasses.replace(Options(), field_weights=weights)


def test_without_weights_or_without_the_field_the_ranking_is_unchanged():
    plain = synthetic_archive(300, seed=5)
    expected = rank(plain)
    # Fields nobody weighs change nothing...
    marked = [dataclasses.replace(s, fields=in_story(f"thread-{n % 7}")) for n, s in enumerate(plain)]
    assert rank(marked) == expected
    # ...and a weight for a field no story has changes nothing either.
    assert rank(plain, with_fields(story=2.0)) == expected


def test_sharing_a_value_relates_stories_that_share_no_words():
    stories = [
        story("vote", 0, body="Parliament votes on the budget.", fields=in_story("budget")),
        story("deal", 30, "Economy", body="Coalition partners agree spending cuts.", fields=in_story("budget")),
        story("harbour", 1, body="Harbour dues rise at the port.", tags=("ports",)),
        story("dues", 2, body="Port dues rise again.", tags=("ports",)),
        *(story(f"filler-{n}", n, body=f"{word} unrelated") for n, word in enumerate(["rain", "goal", "kiln", "moss"])),
    ]
    without = rank(stories, dataclasses.replace(Options(), fallback=None))
    assert "deal" not in [pick.slug for pick in without["vote"]]
    picks = rank(stories, dataclasses.replace(with_fields(story=2.0), fallback=None))
    first = picks["vote"][0]
    assert (first.slug, first.reason) == ("deal", "scored")
    assert first.parts["story"] == 2.0
    assert first.parts["text"] == 0.0 and first.parts["tags"] == 0.0
    # Values are compared without case; the part is there, at 0, for picks outside the story.
    assert all(pick.parts.get("story") == 0.0 for pick in picks["harbour"] if pick.reason == "scored")


def test_values_are_compared_without_case():
    stories = [story("a", 0, fields=in_story("Red-Sea")), story("b", 1, fields=in_story("red-sea"))]
    assert rank(stories, with_fields(story=1.0))["a"][0].reason == "scored"


def test_a_large_group_meets_only_its_nearest_members_and_they_win():
    count = 300
    stories = [story(f"part-{n:03d}", n, body=f"instalment {n}", fields=in_story("long")) for n in range(count)]
    stories += [story(f"other-{n}", n, body="instalment elsewhere") for n in range(20)]
    options = dataclasses.replace(with_fields(story=2.0), count=3)
    picks = rank(stories, options)
    for n in (0, 150, 299):
        chosen = [int(pick.slug.split("-")[1]) for pick in picks[f"part-{n:03d}"]]
        assert all(pick.reason == "scored" for pick in picks[f"part-{n:03d}"])
        # The nearest instalments by date.
        assert all(abs(other - n) <= 3 for other in chosen), chosen
    # The work is linear in the group: at most `reach` members either side of each story.
    reach = ranking._shortlist_size(options)
    groups = np.zeros(count, dtype=np.int64)
    rows, others = ranking._group_neighbours(groups, np.arange(count, dtype=float), np.ones(count, bool), reach)
    assert rows.size <= count * 2 * reach
    assert rows.size == sum(min(n, reach) + min(count - 1 - n, reach) for n in range(count))
    assert not (rows == others).any()


def test_unlisted_members_get_neighbours_but_are_never_one():
    groups = np.array([0, 0, 0, 0, 1, 1, -1])
    published = np.array([1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0])
    listed = np.array([True, False, True, True, True, True, True])
    rows, others = ranking._group_neighbours(groups, published, listed, reach=1)
    pairs = set(zip(rows.tolist(), others.tolist(), strict=True))
    assert pairs == {(0, 2), (1, 0), (1, 2), (2, 0), (2, 3), (3, 2), (4, 5), (5, 4)}


def test_hidden_members_get_picks_from_their_story_and_are_never_picked():
    stories = [
        story("a", 0, body="alpha", fields=in_story("s")),
        story("b", 5, body="beta", fields=in_story("s")),
        story("hidden", 3, body="gamma", fields=in_story("s"), listed=False),
        *(story(f"filler-{n}", n, body=f"{word} unrelated") for n, word in enumerate(["rain", "goal", "kiln"])),
    ]
    picks = rank(stories, with_fields(story=2.0))
    assert [pick.slug for pick in picks["hidden"][:2]] == ["b", "a"]
    assert all(pick.slug != "hidden" for result in picks.values() for pick in result)


def test_several_fields_add_up_and_the_result_does_not_depend_on_order_or_block_size(monkeypatch):
    stories = synthetic_archive(240, seed=9)
    stories = [
        dataclasses.replace(s, fields=(("story", f"t{n % 11}"), ("desk", f"d{n % 3}")), listed=n % 13 != 0)
        for n, s in enumerate(stories)
    ]
    options = with_fields(story=2.0, desk=0.25)
    expected = rank(stories, options)
    assert rank(list(reversed(stories)), options) == expected
    monkeypatch.setattr(ranking, "STORIES_PER_BLOCK", 17)
    assert rank(stories, options) == expected
    both = [pick for picks in expected.values() for pick in picks if pick.parts.get("story") and pick.parts.get("desk")]
    for pick in both:
        assert pick.parts["story"] + pick.parts["desk"] == 2.25


def test_field_weights_setting_is_checked_and_reaches_the_options():
    settings = {"KEEP_READING_FIELD_WEIGHTS": {"Story": 2}}
    validate_settings(settings)
    assert settings["KEEP_READING_FIELD_WEIGHTS"] == {"story": 2}
    assert options_from(settings).field_weights == {"story": 2.0}
    empty: dict = {}
    validate_settings(empty)
    assert empty["KEEP_READING_FIELD_WEIGHTS"] == {} and options_from(empty).field_weights == {}


@pytest.mark.parametrize("value", [["story"], {"story": -1}, {"story": "high"}, {"": 1.0}, {"tags": 1.0}])
def test_field_weights_of_the_wrong_shape_are_refused(value: object):
    with pytest.raises(ValueError, match="KEEP_READING_FIELD_WEIGHTS"):
        validate_settings({"KEEP_READING_FIELD_WEIGHTS": value})


def test_story_records_carry_the_weighted_fields_of_the_front_matter():
    article = SimpleNamespace(
        slug="a",
        title="A",
        category=SimpleNamespace(name="World"),
        date=datetime(2026, 6, 1, tzinfo=UTC),
        metadata={"story": " red-sea ", "desk": "", "summary": "S."},
        tags=[],
        _content="<p>Text.</p>",
    )
    assert story_from(article, fields=("story", "desk")).fields == (("story", "red-sea"),)
    assert story_from(article).fields == ()
