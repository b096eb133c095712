"""The ranking as a pure function, on small hand-made archives."""

from __future__ import annotations

import dataclasses
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keep_reading import ranking, terms
from keep_reading.benchmark import run, synthetic_archive
from keep_reading.ranking import Options, Story, rank
from keep_reading.related import map_on_workers, options_from, parse_pins, strip_tags, validate_settings
from keep_reading.terms import field_terms
from plugin_support import workers

DAY = 86_400.0


def story(slug: str, day: float = 0, section: str = "World", **fields) -> Story:
    return Story(
        slug=slug,
        title=fields.pop("title", slug.replace("-", " ")),
        section=section,
        published=1_700_000_000 + day * DAY,
        **fields,
    )


def archive() -> list[Story]:
    return [
        story(
            "strike-vote",
            0,
            "Trade",
            body="Santos dockworkers vote to strike over crane automation.",
            tags=("Brazil", "ports"),
        ),
        story(
            "strike-talks",
            5,
            "Trade",
            body="Mediator opens talks as the Santos dockworkers strike goes on.",
            tags=("Brazil", "ports"),
        ),
        story(
            "strike-deal",
            20,
            "Trade",
            body="Santos dockworkers accept a deal; crane automation delayed.",
            tags=("Brazil", "ports"),
        ),
        story("coffee-harvest", 3, "Economy", body="Brazil raises its coffee harvest forecast.", tags=("Brazil",)),
        story("glacier-melt", 4, "Climate", body="Alpine glaciers lose record ice.", tags=("climate",)),
        story("marathon", 8, "Sport", body="A course record in Berlin.", tags=("athletics",)),
    ]


def slugs(picks) -> list[str]:
    return [pick.slug for pick in picks]


def test_same_story_ranks_first_and_self_is_never_picked():
    result = rank(archive())
    assert set(slugs(result["strike-vote"])[:2]) == {"strike-talks", "strike-deal"}
    for slug, picks in result.items():
        assert slug not in slugs(picks)
        assert len(picks) == 3


def test_pins_come_first_in_their_order_and_unknown_pins_are_ignored():
    stories = archive()
    stories[0] = story("strike-vote", 0, "Trade", body="Santos dockworkers vote.", pins=("marathon", "glacier-melt"))
    stories.append(story("lonely", 9, pins=("no-such-story",)))
    picks = rank(stories)["strike-vote"]
    assert slugs(picks)[:2] == ["marathon", "glacier-melt"]
    assert [pick.reason for pick in picks][:2] == ["pinned", "pinned"]
    assert "no-such-story" not in slugs(rank(stories)["lonely"])


def test_rare_shared_tag_outweighs_common_shared_tag():
    common = [story(f"filler-{n}", n, tags=("Europe",), body=f"unrelated filler {n}") for n in range(8)]
    stories = [
        story("a", 0, tags=("Europe", "volcanoes"), body="alpha"),
        story("b", 1, tags=("volcanoes",), body="beta"),
        story("c", 1, tags=("Europe",), body="gamma"),
        *common,
    ]
    picks = rank(stories, Options(min_score=0.0, fallback=None, weights={"tags": 1.0}))["a"]
    scores = {pick.slug: pick.parts["tags"] for pick in picks}
    assert scores["b"] > scores.get("c", 0.0)
    assert slugs(picks)[0] == "b"


def test_newer_story_wins_a_tie_in_relevance():
    stories = [
        story("base", 10, body="Kvislarfell volcano ash cloud"),
        story("older", 0, body="Kvislarfell volcano ash cloud"),
        story("newer", 20, body="Kvislarfell volcano ash cloud"),
        *(story(f"filler-{n}", n, body=f"unrelated {word}") for n, word in enumerate(["vote", "tariff", "goal"])),
    ]
    picks = rank(stories, Options(count=2))["base"]
    assert slugs(picks) == ["newer", "older"]
    assert picks[0].parts["recency"] > picks[1].parts["recency"]
    assert picks[0].parts["text"] == picks[1].parts["text"]


def test_fallback_fills_from_section_then_site_and_can_be_switched_off():
    stories = [
        story("empty", 0, "Sport", title="x"),
        story("sport-old", 1, "Sport", body="cycling"),
        story("sport-new", 2, "Sport", body="rowing"),
        story("world-newest", 9, "World", body="elections"),
    ]
    assert slugs(rank(stories)["empty"]) == ["sport-new", "sport-old", "world-newest"]
    assert slugs(rank(stories, Options(fallback="latest"))["empty"]) == ["world-newest", "sport-new", "sport-old"]
    assert rank(stories, Options(fallback=None))["empty"] == []
    assert {pick.reason for pick in rank(stories)["empty"]} == {"fallback"}


def test_one_story_archive_has_nothing_to_recommend():
    assert rank([story("only")]) == {"only": []}
    assert rank([]) == {}


def test_result_does_not_depend_on_input_order():
    stories = synthetic_archive(300, seed=3)
    first = rank(stories)
    shuffled = stories[:]
    random.Random(5).shuffle(shuffled)
    assert rank(shuffled) == first


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["ash", "vote", "strike", "port", "fire", "chip"]), st.integers(0, 60)),
        min_size=1,
        max_size=12,
    ),
    st.integers(0, 5),
    st.sampled_from(["section", "latest", None]),
)
def test_picks_are_distinct_bounded_and_never_the_story_itself(items, count, fallback):
    stories = [story(f"s{n}", day, body=f"{word} {word}s news", tags=(word,)) for n, (word, day) in enumerate(items)]
    result = rank(stories, Options(count=count, fallback=fallback))
    for slug, picks in result.items():
        chosen = slugs(picks)
        assert slug not in chosen
        assert len(chosen) == len(set(chosen)) <= count
        if fallback:
            assert len(chosen) == min(count, len(stories) - 1)


def test_text_helpers():
    assert strip_tags("<p>Ports &amp; <em>strikes</em></p>").split() == ["Ports", "&", "strikes"]
    assert field_terms("The Strikes at Santos' ports, in 2025!") == {"strike", "santo", "port"}
    assert parse_pins("a, b,, a ,c") == ("a", "b", "c")


def ranked_with(settings: dict, stories: list[Story]) -> dict[str, list]:
    """Rank as a build does: settings checked and filled in, then turned into options."""
    validate_settings(settings)
    return rank(stories, options_from(settings))


def test_without_settings_each_story_gets_three_picks_filled_from_its_own_section_first():
    counts = {slug: len(picks) for slug, picks in ranked_with({}, archive()).items()}
    assert counts == {slug: 3 for slug in slugs(archive())}
    stories = [
        story("empty", 0, "Sport", title="x"),
        story("sport-old", 1, "Sport", body="cycling"),
        story("sport-new", 2, "Sport", body="rowing"),
        story("world-newest", 9, "World", body="elections"),
    ]
    picks = ranked_with({}, stories)["empty"]
    assert slugs(picks) == ["sport-new", "sport-old", "world-newest"]
    assert {pick.reason for pick in picks} == {"fallback"}


def test_a_partial_weights_setting_changes_only_the_weights_it_names():
    # "a" and "b" share a rare tag and no words; the fillers share nothing with either.
    stories = [
        story("a", 0, "World", tags=("volcanoes",), body="alpha"),
        story("b", 1, "Sport", tags=("volcanoes",), body="beta"),
        *(
            story(f"filler-{n}", n, "Climate", tags=(f"t{n}",), body=f"unrelated {word}")
            for n, word in enumerate(["vote", "tariff", "goal", "port", "rain"])
        ),
    ]
    # Turning the text weight off leaves the tag weight on: "b" is still picked on its tag.
    (first, *_) = ranked_with({"KEEP_READING_WEIGHTS": {"text": 0.0}}, stories)["a"]
    assert (first.slug, first.reason) == ("b", "scored")
    assert first.parts["tags"] > 0
    # Turning the tag weight off leaves nothing to score "b" on.
    picks = ranked_with({"KEEP_READING_WEIGHTS": {"tags": 0.0}}, stories)["a"]
    assert {pick.reason for pick in picks} == {"fallback"}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("KEEP_READING_COUNT", -1),
        ("KEEP_READING_COUNT", True),
        ("KEEP_READING_COUNT", 2.5),
        ("KEEP_READING_WEIGHTS", {"colour": 1}),
        ("KEEP_READING_WEIGHTS", {"text": -1}),
        ("KEEP_READING_WEIGHTS", [("text", 1.0)]),
        ("KEEP_READING_MIN_SCORE", "high"),
        ("KEEP_READING_FALLBACK", "random"),
        ("KEEP_READING_HEADING", " "),
        ("KEEP_READING_EMPTY_TEXT", None),
        ("KEEP_READING_HIDE_WHEN_EMPTY", "yes"),
        ("KEEP_READING_RECENCY_HALF_LIFE", -1),
        ("KEEP_READING_MAX_DF", 0),
        ("KEEP_READING_MAX_DF", 2),
        ("KEEP_READING_DF_FLOOR", 0),
        ("KEEP_READING_QUERY_TERMS", 1.5),
    ],
)
def test_settings_of_the_wrong_shape_are_refused_by_name(key: str, value: object):
    with pytest.raises(ValueError, match=key):
        validate_settings({key: value})


def test_synthetic_archives_have_the_size_asked_for_and_follow_their_seed():
    assert [len(synthetic_archive(size, seed=3)) for size in (1, 7, 60)] == [1, 7, 60]
    assert synthetic_archive(40, seed=3) == synthetic_archive(40, seed=3)
    assert synthetic_archive(40, seed=3) != synthetic_archive(40, seed=4)
    assert len({story.slug for story in synthetic_archive(300, seed=3)}) == 300


def test_benchmark_times_and_measures_each_size_and_reports_it():
    lines: list[str] = []
    rows = run([240, 60], say=lines.append, repeat=1)
    print("\n".join(lines))
    assert [size for size, _, _ in rows] == [240, 60]
    for _size, median, peak in rows:
        assert 0 < median < 60
        assert peak > 0
    # Four times the stories hold more in memory while they are ranked.
    assert rows[0][2] > rows[1][2]
    header, *reported = lines
    assert header.split()[:2] == ["articles", "median"]
    assert len(reported) == 2
    for line, (size, median, peak) in zip(reported, rows, strict=True):
        fields = line.split()
        assert fields[0] == f"{size:,}"
        assert fields[1] == f"{median:.2f}s"
        assert f"{peak / 2**20:.1f} MB" in line
    with pytest.raises(ValueError, match="repeat"):
        run([10], say=lines.append, repeat=0)


def test_result_is_the_same_in_every_process():
    # String hashing differs between interpreter runs; builds must not.
    program = (
        "import json; from keep_reading.benchmark import synthetic_archive; from keep_reading.ranking import rank; "
        "print(json.dumps({k: [(p.slug, p.reason, p.score, p.parts) for p in v] "
        "for k, v in rank(synthetic_archive(300, seed=7)).items()}))"
    )
    plugins = str(Path(__file__).resolve().parents[2])
    outputs = [
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": plugins},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]


def test_result_does_not_depend_on_chunk_or_block_size(monkeypatch):
    stories = synthetic_archive(400, seed=11)
    # Hidden stories, pins, long and non-ASCII words take paths the synthetic archive does not.
    for n, original in enumerate(stories[::25]):
        stories.append(
            story(
                f"extra-{n}",
                n,
                original.section,
                title=f"{original.title} Zürich-überwachungskommission",
                body=f"{original.body[:400]} négociations internationalisation",
                tags=original.tags,
                pins=(original.slug,) if n % 2 else (),
                listed=n % 3 != 0,
            )
        )
    expected = rank(stories)
    monkeypatch.setattr(terms, "STORIES_PER_CHUNK", 7)
    monkeypatch.setattr(ranking, "STORIES_PER_BLOCK", 13)
    assert rank(stories) == expected


def test_hidden_stories_get_picks_but_are_never_picked():
    stories = [*archive(), story("strike-hidden", 6, "Trade", body="Santos dockworkers strike.", listed=False)]
    result = rank(stories)
    assert len(result["strike-hidden"]) == 3
    assert all("strike-hidden" not in slugs(picks) for picks in result.values())


# Each test below leaves one score part working and checks a rule of it, with
# the rule's loser being newer, so that without the rule it would win the tie.


def text_only(count: int = 1) -> Options:
    return Options(count=count, fallback=None, min_score=0.0, weights={"text": 1.0})


def fillers() -> list[Story]:
    # Enough other stories that the shared words are rare, each also used once elsewhere.
    return [
        story(f"filler-{n}", n, title="", body=f"{word} unrelated news")
        for n, word in enumerate(["kvarn", "tolbek"] * 3)
    ]


def test_a_headline_word_counts_more_than_a_body_word():
    stories = [
        # Both candidates have kvarn and tolbek, once each; the base story has kvarn only.
        story("base", 0, title="", body="Kvarn"),
        story("in-headline", 1, title="Kvarn", body="Tolbek"),
        story("in-body", 2, title="Tolbek", body="Kvarn"),
        *fillers(),
    ]
    picks = rank(stories, text_only(len(stories)))["base"]
    assert slugs(picks)[0] == "in-headline"
    assert slugs(picks).index("in-headline") < slugs(picks).index("in-body")


def test_a_word_used_more_often_counts_more_but_not_in_proportion():
    stories = [
        story("base", 0, body="Kvarn tolbek"),
        story("repeats", 1, body="Kvarn kvarn kvarn kvarn tolbek"),
        story("once", 2, body="Kvarn tolbek"),
        story("no-shared", 3, body="Kvarn kvarn kvarn kvarn"),
        *fillers(),
    ]
    result = rank(stories, text_only(3))
    scores = {pick.slug: pick.parts["text"] for pick in result["base"]}
    # "once" is an exact match; "repeats" leans on kvarn, which base uses once.
    assert scores["once"] > scores["repeats"] > scores["no-shared"]
    # "no-shared" has kvarn alone. In "repeats", four uses of kvarn weigh sqrt(4) = 2 times its IDF,
    # beside tolbek's IDF, and the cosine is kvarn's share of that row.
    kvarn, tolbek = math.log(10 / 7), math.log(10 / 6)  # 10 stories; 7 use kvarn, 6 tolbek
    text = {pick.slug: pick.parts["text"] for pick in result["no-shared"]}
    assert text["repeats"] == pytest.approx(2 * kvarn / math.hypot(2 * kvarn, tolbek), abs=1e-4)


def test_equal_scores_and_dates_go_to_the_slug_first_in_order():
    stories = [
        story("base", 0, title="", body="Kvarn tolbek"),
        story("zeta-copy", 5, title="", body="Kvarn tolbek"),
        story("beta-copy", 5, title="", body="Kvarn tolbek"),
        *fillers(),
    ]
    picks = rank(stories, text_only(2))["base"]
    assert slugs(picks) == ["beta-copy", "zeta-copy"]
    assert picks[0].score == picks[1].score


def test_sharing_only_what_every_story_has_is_no_merit_even_at_a_minimum_of_zero():
    stories = [story(slug, n, tags=("Brazil",)) for n, slug in enumerate(["a", "b", "c"])]
    assert rank(stories, Options(min_score=0.0, fallback=None)) == {"a": [], "b": [], "c": []}
    assert {pick.reason for pick in rank(stories, Options(min_score=0.0))["a"]} == {"fallback"}


def edited(stories: list[Story], every: int, words: str) -> list[Story]:
    """``stories`` with a headline changed in every ``every``-th one."""
    return [
        dataclasses.replace(each, title=f"{each.title} {words}") if n % every == 0 else each
        for n, each in enumerate(stories)
    ]


def test_ranking_again_in_one_process_picks_exactly_what_a_ranking_from_nothing_picks(monkeypatch):
    archive_now = synthetic_archive(300, seed=3)
    # Another archive first, then this one, then this one with headlines changed: the terms each ranking
    # reads are remembered, and words no story uses any more stay in the vocabulary.
    rank(synthetic_archive(200, seed=4))
    rank(archive_now)
    after_edits = edited(archive_now, 7, "harbour cranes stalled again")
    remembered = rank(after_edits)
    monkeypatch.setattr(ranking, "_read_before", ranking._TermsReadBefore())
    assert remembered == rank(after_edits)
    assert rank(archive_now) == rank(archive_now)


def test_ranking_again_reads_only_the_stories_whose_fields_changed(monkeypatch):
    monkeypatch.setattr(ranking, "_read_before", ranking._TermsReadBefore())
    read: list[int] = []
    real_read_terms = ranking.read_terms

    def counting(stories, vocabulary):
        read.append(len(stories))
        return real_read_terms(stories, vocabulary)

    monkeypatch.setattr(ranking, "read_terms", counting)
    stories = synthetic_archive(300, seed=5)
    rank(stories)
    rank(edited(stories, 100, "port strike"))
    rank(stories[:-1])
    assert read == [300, 3, 3]


def test_blocks_scored_on_worker_processes_give_the_picks_of_one_process() -> None:
    stories = synthetic_archive(2 * ranking.STORIES_PER_BLOCK + 100, seed=5)
    options = Options()
    settings: dict = {"BUILD_JOBS": 2}
    workers.validate_settings(settings)
    on_two = rank(stories, options, map_on_workers(settings))
    assert on_two == rank(stories, options)
    assert sum(len(picks) for picks in on_two.values()) == options.count * len(stories)
