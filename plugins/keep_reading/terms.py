"""From the words of a whole archive to numbered index terms, in bulk.

Looking every word up as a Python string costs more than all the rest of the
ranking put together, so the words of a chunk of stories are found with NumPy
in one UTF-8 byte string instead, and packed into 64-bit integers holding
exactly their bytes, so that equal words are equal integers:

* a word of up to eight bytes (most words) fits in one integer; a chunk's
  distinct ones are found with one sort and looked up in the vocabulary with
  one search of a sorted array;
* a word of up to 16 bytes fits in two; a chunk's distinct ones are found with
  one sort of a fingerprint (checked, so a collision cannot merge two words)
  and looked up in a dictionary;
* only the rare longer words are looked up in that dictionary one by one.

Only words never seen before are looked at as Python strings. A word is a run of
characters between white space once punctuation has become space,
lower-cased; ``normal_term`` turns it into an index term or drops it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from typing import NamedTuple

import numpy as np

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are around as at be because been before being
    below between both but by can could did do does doing down during each either else ever few for from
    further had has have having he her here hers herself him himself his how however i if in into is it its
    itself just last least less like made make many may me might more most much must my myself near neither
    new next no nor not now of off on once one only or other our ours ourselves out over own per rather said
    same say says she should since so some still such than that the their theirs them themselves then there
    these they this those though through to too two under until up upon us very via was we were what when
    where whether which while who whom whose why will with within without would year years yet you your
    yours yourself yourselves week weeks month months day days mr ms mrs percent according told added
    """.split()  # noqa: SIM905 (a word list reads better as prose)
)
# Punctuation and every non-ASCII space become an ASCII space, so only ASCII bytes separate words.
# The NUL byte is a separator too: packed words are padded with it.
_SPACES = str.maketrans(
    dict.fromkeys(
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~‘’‚“”„–—…«»·•′″"
        "\x00\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
        "\u2028\u2029\u202f\u205f\u3000",
        " ",
    )
)
# The same rule, applied fast: ``str.translate`` looks each character up in a dict once the text is not ASCII.
# Non-ASCII separators go in one regex pass; ASCII ones in one table over the UTF-8 bytes, where a byte
# below 128 is always an ASCII character, never part of another.
_NON_ASCII_SEPARATOR = re.compile("[" + re.escape("".join(chr(code) for code in _SPACES if code > 127)) + "]")
_ASCII_SEPARATORS = bytes(code for code in _SPACES if code < 128)
_ASCII_SEPARATORS_TO_SPACE = bytes.maketrans(_ASCII_SEPARATORS, b" " * len(_ASCII_SEPARATORS))
_IS_WORD_BYTE = np.ones(256, dtype=bool)
_IS_WORD_BYTE[list(b"\x00\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f ")] = False
# Words are packed into one 64-bit integer (up to eight bytes: most words) or two (up to 16: most others).
_SHORT_WORD_BYTES = 8
_MEDIUM_WORD_BYTES = 16
# The low n bytes of a 64-bit integer, for n = 0..8.
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
# Any odd 64-bit constant with well-spread bits does (this one is SplitMix64's).
_FINGERPRINT_MIX = np.uint64(0x9E3779B97F4A7C15)
_UNSEEN = -2
# Text from a Markdown file cannot hold a lone surrogate, but a plugin's metadata could: keep it, do not crash.
_LONE_SURROGATES = "surrogatepass"
# Which fields a term is in is kept as bits of one byte.
_MAX_FIELDS = 8
# Stories read at once: enough to keep NumPy busy, few enough to keep its arrays in the cache.
STORIES_PER_CHUNK = 256


def normal_term(word: str) -> str | None:
    """The index term for one lower-case word, or None for stop words, numbers and single letters."""
    if len(word) < 2 or word in STOP_WORDS or not word[0].isalpha():
        return None
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class Vocabulary:
    """Numbers index terms, and remembers the term number of every word seen (-1 for none)."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self._number_of_term: dict[str, int] = {}
        self._number_of_word: dict[bytes, int] = {}
        # Known words of up to eight bytes, packed and sorted, and their term numbers: found with one search.
        self._known_short_words = np.zeros(0, dtype=np.uint64)
        self._known_short_numbers = np.zeros(0, dtype=np.int64)

    def _numbers_of_short(self, words: np.ndarray) -> np.ndarray:
        """The term numbers of words of up to eight bytes, packed, distinct and sorted (as ``np.unique`` gives them)."""
        at = np.searchsorted(self._known_short_words, words)
        known = at < self._known_short_words.size
        known[known] = self._known_short_words[at[known]] == words[known]
        numbers = np.empty(words.size, dtype=np.int64)
        numbers[known] = self._known_short_numbers[at[known]]
        new = ~known
        if new.any():
            numbers[new] = [self._number(_unpacked(word)) for word in words[new].tolist()]
            # Both arrays stay sorted by word: ``words`` is sorted, so the insertion points are too.
            self._known_short_words = np.insert(self._known_short_words, at[new], words[new])
            self._known_short_numbers = np.insert(self._known_short_numbers, at[new], numbers[new])
        return numbers

    def _numbers_of_encoded(self, words: list[bytes]) -> np.ndarray:
        """The term numbers of UTF-8 encoded words (NUL bytes at the end are ignored)."""
        # Known words are looked up in one pass in C; only new ones take the Python path.
        numbers = np.array(list(map(self._number_of_word.get, words, repeat(_UNSEEN))), dtype=np.int64)
        for n in np.flatnonzero(numbers == _UNSEEN).tolist():
            word = words[n]
            # A new word may come up more than once in ``words``.
            if word not in self._number_of_word:
                self._number_of_word[word] = self._number(word.rstrip(b"\x00").decode(errors=_LONE_SURROGATES))
            numbers[n] = self._number_of_word[word]
        return numbers

    def alphabetical_places(self) -> np.ndarray:
        """For each term number, the term's place in alphabetical order.

        Term numbers depend on the order words are met in; the alphabetical
        place does not, so ties broken by it come out the same however the
        archive is read.
        """
        places = np.empty(len(self.terms), dtype=np.int32)
        places[sorted(range(len(self.terms)), key=self.terms.__getitem__)] = np.arange(len(self.terms))
        return places

    def _number(self, word: str) -> int:
        term = normal_term(word)
        if term is None:
            return -1
        number = self._number_of_term.setdefault(term, len(self.terms))
        if number == len(self.terms):
            self.terms.append(term)
        return number


class Occurrences(NamedTuple):
    """The distinct (story, term) pairs of some stories, sorted by story, then term number."""

    story: np.ndarray
    term: np.ndarray
    fields: np.ndarray  # bit n set when the term is in field n of the story
    count: np.ndarray  # how often the story uses the term, all fields together


def read_terms(stories: Sequence[Sequence[str]], vocabulary: Vocabulary) -> list[Occurrences]:
    """The index terms of each story, given as the same number of field texts per story (at most eight).

    One ``Occurrences`` per chunk of ``STORIES_PER_CHUNK`` stories, in story order.
    """
    if len({len(fields) for fields in stories}) > 1 or any(len(fields) > _MAX_FIELDS for fields in stories[:1]):
        raise ValueError(f"every story needs the same number of fields, at most {_MAX_FIELDS}")
    return [
        _chunk_terms(stories[start : start + STORIES_PER_CHUNK], start, vocabulary)
        for start in range(0, len(stories), STORIES_PER_CHUNK)
    ]


def field_terms(text: str) -> set[str]:
    """The distinct index terms of one text."""
    vocabulary = Vocabulary()
    (found,) = read_terms([[text]], vocabulary)
    return {vocabulary.terms[number] for number in found.term.tolist()}


def _chunk_terms(stories: Sequence[Sequence[str]], first_story: int, vocabulary: Vocabulary) -> Occurrences:
    """The occurrences of one chunk, its stories numbered from ``first_story``."""
    texts = [_spaced_utf8(text) for fields in stories for text in fields]
    data = b" ".join(texts)
    starts, ends = _word_bounds(data)
    field_starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    field = np.searchsorted(field_starts, starts, side="right") - 1
    term = _term_numbers(data, starts, ends, vocabulary)
    field, term = field[term >= 0], term[term >= 0]
    fields_per_story = len(texts) // len(stories) if stories else 1
    # The grouping sort: one entry per (story, term), with the fields it is in and its count.
    pairs, which, count = np.unique((field // fields_per_story) << 32 | term, return_inverse=True, return_counts=True)
    found_in = np.zeros(pairs.size, dtype=np.uint8)
    np.bitwise_or.at(found_in, which, (1 << (field % fields_per_story)).astype(np.uint8))
    # Narrow types: an archive holds millions of these pairs.
    return Occurrences(
        (first_story + (pairs >> 32)).astype(np.int32),
        (pairs & 0xFFFFFFFF).astype(np.int32),
        found_in,
        count.astype(np.int32),
    )


def _spaced_utf8(text: str) -> bytes:
    """``text`` lower-cased, with every separator of ``_SPACES`` made an ASCII space, in UTF-8."""
    text = text.lower()
    if not text.isascii():
        text = _NON_ASCII_SEPARATOR.sub(" ", text)
    return text.encode(errors=_LONE_SURROGATES).translate(_ASCII_SEPARATORS_TO_SPACE)


def _word_bounds(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the words in ``data``."""
    is_word = _IS_WORD_BYTE[np.frombuffer(data, dtype=np.uint8)]
    edges = np.flatnonzero(np.diff(is_word, prepend=False, append=False))
    return edges[::2], edges[1::2]


def _term_numbers(data: bytes, starts: np.ndarray, ends: np.ndarray, vocabulary: Vocabulary) -> np.ndarray:
    """The term number of every word (-1 for none)."""
    numbers = np.empty(starts.size, dtype=np.int64)
    lengths = ends - starts
    padded = np.frombuffer(data + bytes(_MEDIUM_WORD_BYTES), dtype=np.uint8)

    short = lengths <= _SHORT_WORD_BYTES
    packed = _packed_words(padded, starts[short], lengths[short], _SHORT_WORD_BYTES)[:, 0]
    distinct, which = np.unique(packed, return_inverse=True)
    numbers[short] = vocabulary._numbers_of_short(distinct)[which]

    medium = ~short & (lengths <= _MEDIUM_WORD_BYTES)
    distinct, which = _distinct_rows(_packed_words(padded, starts[medium], lengths[medium], _MEDIUM_WORD_BYTES))
    numbers[medium] = vocabulary._numbers_of_encoded(distinct.view(f"V{_MEDIUM_WORD_BYTES}").ravel().tolist())[which]

    long = np.flatnonzero(lengths > _MEDIUM_WORD_BYTES)
    numbers[long] = vocabulary._numbers_of_encoded(
        list(map(data.__getitem__, map(slice, starts[long].tolist(), ends[long].tolist())))
    )
    return numbers


def _packed_words(padded: np.ndarray, starts: np.ndarray, lengths: np.ndarray, width: int) -> np.ndarray:
    """Words of up to ``width`` bytes as rows of 64-bit integers holding exactly their bytes, NUL-padded."""
    rows = np.lib.stride_tricks.sliding_window_view(padded, width)[starts].view("<u8")
    # The bytes of each 64-bit column that belong to the word: all, some or none.
    rows &= _LOW_BYTES[np.clip(lengths[:, None] - np.arange(0, width, 8), 0, 8)]
    return rows


def _distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a two-column array, and which of them each row is.

    Rows are told apart by a 64-bit fingerprint, so one plain sort does; if
    two different rows ever share one, an exact (slower) sort redoes it.
    """
    fingerprints, which = np.unique(rows[:, 0] ^ (rows[:, 1] * _FINGERPRINT_MIX), return_inverse=True)
    distinct = np.empty((fingerprints.size, 2), dtype=rows.dtype)
    distinct[which] = rows
    if not np.array_equal(distinct[which], rows):
        distinct, which = np.unique(rows, axis=0, return_inverse=True)
    return distinct, which.ravel()


def _unpacked(word: int) -> str:
    return word.to_bytes(_SHORT_WORD_BYTES, "little").rstrip(b"\x00").decode(errors=_LONE_SURROGATES)
