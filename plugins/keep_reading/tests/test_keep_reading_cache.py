"""The ranking is kept in the build cache: reused when it would read the same, made again when not."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from keep_reading import related
from keep_reading.ranking import rank
from keep_reading.records import Options, Pick, Story, inputs_digest
from keep_reading.related import opening_text, ranked, strip_tags
from plugin_support.cache import BuildCache

DAY = 86_400.0
WORDS = ["ports", "strike", "tariff", "crane", "Santos", "licence", "rare", "earth", "vote", "union"]


def archive(size: int = 30, seed: int = 3) -> list[Story]:
    chooser = random.Random(seed)
    stories = []
    for number in range(size):
        body = " ".join(chooser.choice(WORDS) for _ in range(400))
        stories.append(
            Story(
                slug=f"story-{number:03d}",
                title=" ".join(chooser.sample(WORDS, 3)),
                section=chooser.choice(["Trade", "World"]),
                published=1_700_000_000 + number * DAY,
                body=body,
                tags=tuple(chooser.sample(["ports", "labour", "trade", "mining"], 2)),
            )
        )
    return stories


def cache_in(folder, content: str = "content") -> BuildCache:
    return BuildCache({"BUILD_CACHE_PATH": str(folder), "PATH": content, "THEME": str(folder / "no-theme")}, "kr")


FRAGMENTS = ["<p>", "</p>", "<em>", "</em>", "&amp;", "&lt", "&#x27;", "<a title='x<y'>", "</a>", "<", ">", "&", " "]


@given(st.lists(st.sampled_from(FRAGMENTS + WORDS), max_size=80), st.integers(min_value=1, max_value=60))
def test_the_opening_text_is_exactly_the_start_of_the_whole_text(pieces, chars):
    markup = "".join(pieces)
    opening = opening_text(markup, chars)
    whole = strip_tags(markup)
    assert opening == whole[: len(opening)]
    assert len(opening) >= min(chars, len(whole))


def test_the_opening_text_stops_soon_after_what_is_read():
    markup = "".join(f"<p>Paragraph {number} about the port strike.</p>\n" for number in range(500))
    opening = opening_text(markup, 200)
    assert 200 <= len(opening) < len(strip_tags(markup)) / 10
    assert opening_text(markup, None) == strip_tags(markup)


@given(
    st.lists(st.lists(st.sampled_from(FRAGMENTS + WORDS), max_size=40).map("".join), min_size=1, max_size=6),
    st.lists(st.sampled_from([None, 1, 5, 30]), min_size=1, max_size=3),
)
def test_openings_taken_from_the_last_ranking_are_those_opening_text_gives(bodies, lengths):
    for ranking in range(3):  # each ranking after the first takes what the one before read
        related._openings.start()
        for body in bodies[ranking % 2 :]:
            for chars in lengths:
                edited = body + " edited" * ranking
                assert related._opening_from_last_build(body, chars) == opening_text(body, chars)
                assert related._opening_from_last_build(edited, chars) == opening_text(edited, chars)


def test_the_digest_depends_on_what_the_ranking_reads_and_nothing_else():
    stories, options = archive(), Options(body_chars=300)
    digest = inputs_digest(stories, options)
    assert inputs_digest(list(reversed(stories)), options) == digest
    longer = [replace(stories[0], body=stories[0].body[:300] + " a later paragraph"), *stories[1:]]
    assert inputs_digest(longer, options) == digest
    changed = [
        [replace(stories[0], body="strike " + stories[0].body), *stories[1:]],
        [replace(stories[0], title="A new headline"), *stories[1:]],
        [replace(stories[0], tags=("mining",)), *stories[1:]],
        [replace(stories[0], listed=False), *stories[1:]],
        [replace(stories[0], published=stories[0].published + 1), *stories[1:]],
        stories[1:],
    ]
    for different in changed:
        assert inputs_digest(different, options) != digest
    assert inputs_digest(stories, Options(body_chars=300, weights={"tags": 1.0})) != digest
    assert inputs_digest(stories, Options(body_chars=301)) != digest


def test_the_picks_are_kept_for_the_next_build_and_made_again_when_a_story_changes(tmp_path):
    stories, options = archive(), Options(body_chars=300)
    first = ranked(stories, options, cache_in(tmp_path))
    assert first == rank(stories, options)

    # A marker in the cache shows that the next build takes the picks from there.
    marker = {"story-000": [Pick("story-029", "scored", 9.0, {"marker": 1.0})]}
    cache_in(tmp_path).save({"inputs": inputs_digest(stories, options), "picks": marker})
    assert ranked(stories, options, cache_in(tmp_path)) == marker

    edited = [replace(stories[0], title="Santos strike vote"), *stories[1:]]
    assert ranked(edited, options, cache_in(tmp_path)) == rank(edited, options)
    assert cache_in(tmp_path).load()["inputs"] == inputs_digest(edited, options)


def test_without_a_cache_folder_every_build_ranks(tmp_path):
    stories, options = archive(size=8), Options()
    nowhere = BuildCache({"BUILD_CACHE_PATH": None, "PATH": "content"}, "kr")
    assert ranked(stories, options, nowhere) == rank(stories, options)
    assert nowhere.load() == {}
