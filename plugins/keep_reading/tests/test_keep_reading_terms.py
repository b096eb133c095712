"""The bulk tokeniser agrees with plain ``str.split`` word for word, whatever the text."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keep_reading import terms
from keep_reading.terms import Vocabulary, field_terms, normal_term, read_terms

# Words that exercise every packing width: short, 9-16 bytes, longer, multi-byte and odd spaces.
WORDS = st.sampled_from(
    [
        "port", "Ports", "strikes", "Santos'", "dockworkers", "telecommunications", "counterintelligence",
        "négociations", "über", "Zürich-based", "東京", "2025", "a", "I", "the", "x1", "rates,", "“quoted”",
        "—", "…", "emoji🎯", "Straße", "ÉLECTIONS", "co-operation", "e-mail", "twelve-character",
        # 8, 9, 16 and 17 bytes once lower-cased, in ASCII and in two-byte letters.
        "Abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq", "éééé", "éééée", "éééééééé", "ééééééééa",
    ]
)  # fmt: skip
SPACES = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2009", "\u3000", "\r\n", "\x1f", "\x85"])
TEXTS = st.lists(st.tuples(WORDS | st.text(max_size=20), SPACES), max_size=40).map(
    lambda pairs: "".join(word + space for word, space in pairs)
)


def reference_terms(text: str) -> list[str]:
    """Every term occurrence of a text, the slow and obvious way."""
    words = text.lower().translate(terms._SPACES).split()
    return [term for term in map(normal_term, words) if term is not None]


SEPARATORS = st.sampled_from([chr(code) for code in terms._SPACES])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(max_size=8) | SEPARATORS | WORDS, max_size=30).map("".join))
def test_separators_become_spaces_exactly_as_the_translation_table_says(text):
    expected = text.lower().translate(terms._SPACES).encode(errors="surrogatepass")
    assert terms._spaced_utf8(text) == expected


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_field_terms_match_splitting_on_white_space(text):
    assert field_terms(text) == set(reference_terms(text))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS), min_size=1, max_size=9), st.integers(1, 4))
def test_read_terms_counts_every_occurrence_in_every_field(stories, chunk):
    with pytest.MonkeyPatch.context() as patch:
        # Small chunks, so stories fall on both sides of chunk boundaries.
        patch.setattr(terms, "STORIES_PER_CHUNK", chunk)
        vocabulary = Vocabulary()
        chunks = read_terms(stories, vocabulary)
    assert len(chunks) == -(-len(stories) // chunk)
    found = {
        (story, vocabulary.terms[term]): (fields, count)
        for part in chunks
        for story, term, fields, count in zip(*(column.tolist() for column in part), strict=True)
    }
    expected = {}
    for story, texts in enumerate(stories):
        counts = Counter()
        fields = Counter()
        for field, text in enumerate(texts):
            for term in reference_terms(text):
                counts[term] += 1
                fields[term] |= 1 << field
        expected.update({(story, term): (fields[term], counts[term]) for term in counts})
    assert found == expected


def test_rows_sharing_a_fingerprint_are_still_told_apart():
    mix = int(terms._FINGERPRINT_MIX)
    mask = 2**64 - 1
    # Two different rows built to collide: x1 ^ y1*mix == x2 ^ y2*mix.
    first = (5, 1)
    second = (5 ^ (1 * mix & mask) ^ (2 * mix & mask), 2)
    rows = np.array([first, second, first], dtype=np.uint64)
    fingerprints = rows[:, 0] ^ (rows[:, 1] * terms._FINGERPRINT_MIX)
    assert fingerprints[0] == fingerprints[1]
    distinct, which = terms._distinct_rows(rows)
    assert len(distinct) == 2
    assert [tuple(distinct[n].tolist()) for n in which] == [first, second, first]


def test_stories_must_have_the_same_number_of_fields():
    with pytest.raises(ValueError, match="same number of fields"):
        read_terms([("title", "body"), ("title only",)], Vocabulary())
