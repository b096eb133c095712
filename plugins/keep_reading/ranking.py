"""Ranking related stories: a pure function over plain records, no Pelican needed.

The archive is handled as sparse matrices (SciPy), so the work runs in
compiled code and grows about linearly with the archive:

* every story becomes a row of TF-IDF weights over its terms (stop words left
  out; see ``terms``), trimmed to its ``terms_per_story`` heaviest terms and
  normalised, so a cosine is the dot product of two short rows;
* candidates come from a sparse product of each story's ``query_terms``
  strongest terms and rarer tags with those of every listed story. Like an
  inverted index, it only meets pairs that share a term or a tag; terms and
  tags found in more than ``max_df`` of the archive are left out of it: they
  say little, and they are what would make the work quadratic;
* each story keeps a shortlist of its best candidates by that rough score, and
  only the shortlist gets the full score: the exact cosine of the two trimmed
  rows plus tags, section and recency;
* only the opening ``body_chars`` of each body are read: news puts what a
  story is about first, and the rest only costs time;
* a front-matter field with a weight in ``field_weights`` (a running story's
  slug, say) adds that weight to every pair of stories with the same value of
  it. Stories are grouped by value, and each meets only the members of its
  groups nearest to it in time (as many on either side as a shortlist holds),
  so a field shared by a large part of the archive adds linear work, not
  quadratic; those pairs join the shortlist with the weight in their rough
  score.

Stories are scored a block at a time, so the arrays stay small however large
the archive. There is no dense story-by-story matrix and no loop over all pairs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from scipy import sparse

from . import terms
from .records import FALLBACKS, WEIGHT_NAMES, Options, Pick, Story
from .terms import Occurrences, Vocabulary, read_terms

# How much a word counts in each field: a headline word says more than a body word.
FIELD_BOOST = {"title": 3, "summary": 2, "body": 1}
# The summed boost of every set of fields a term can be in (bit n for the n-th field of FIELD_BOOST).
BOOST_OF_FIELDS = np.array(
    [sum(boost for n, boost in enumerate(FIELD_BOOST.values()) if fields >> n & 1) for fields in range(8)]
)
SECONDS_PER_DAY = 86_400.0
# Stories scored at once: enough to keep NumPy busy, few enough to keep its arrays in the cache.
STORIES_PER_BLOCK = 512

Columns = tuple[np.ndarray, ...]
# How the blocks are scored: ``map``'s signature, the function applied to each block's first story, in order.
BlockMap = Callable[[Callable[[int], Columns], Sequence[int]], Iterable[Columns]]


def _check_options(options: Options) -> None:
    unknown = set(options.weights) - set(WEIGHT_NAMES)
    if unknown:
        raise ValueError(f"unknown weight(s) {sorted(unknown)}; use {list(WEIGHT_NAMES)}")
    if options.fallback not in FALLBACKS:
        raise ValueError(f"fallback must be one of {FALLBACKS}, got {options.fallback!r}")
    clashing = set(options.field_weights) & set(WEIGHT_NAMES)
    if clashing:
        raise ValueError(f"field weight(s) {sorted(clashing)} would share a name with a part of the score")


def _rank_within_groups(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... along each run of equal values of a sorted array."""
    if not groups.size:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    return np.arange(groups.size) - np.repeat(starts, np.diff(np.r_[starts, groups.size]))


class _TermsReadBefore:
    """The terms of each story's fields as the last ranking in this process read them.

    ``invoke livereload`` ranks the whole archive again after a save that
    changes what the ranking reads (a headline, an opening paragraph); only
    the stories whose fields changed are read again. Term numbers depend on the
    order words were first met in, which the ranking never lets show (ties go
    by a term's alphabetical place, and a term no story uses weighs nothing),
    so picks made from terms read before are the picks a ranking from nothing
    makes. Only the last ranking's stories are kept, and the vocabulary starts
    again once it has read three times as many stories as the archive holds.
    """

    def __init__(self) -> None:
        self._start_again()

    def _start_again(self) -> None:
        self.vocabulary = Vocabulary()
        self._found: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._stories_read = 0

    def terms(self, stories: list[tuple[str, ...]]) -> tuple[Vocabulary, list[Occurrences]]:
        """``read_terms(stories, vocabulary)`` and its vocabulary, reading only fields not read before."""
        distinct = list(dict.fromkeys(stories))
        unread = [fields for fields in distinct if fields not in self._found]
        if self._stories_read + len(unread) > 3 * len(distinct):
            self._start_again()
            unread = distinct
        self._read(unread)
        self._found = {each: self._found[each] for each in distinct}
        return self.vocabulary, [
            self._chunk(stories[start : start + terms.STORIES_PER_CHUNK], start)
            for start in range(0, len(stories), terms.STORIES_PER_CHUNK)
        ]

    def _read(self, unread: list[tuple[str, ...]]) -> None:
        self._stories_read += len(unread)
        if unread:
            story, term, fields, count = map(np.concatenate, zip(*read_terms(unread, self.vocabulary), strict=True))
            bounds = np.searchsorted(story, np.arange(len(unread) + 1)).tolist()
            for n, each in enumerate(unread):
                rows = slice(bounds[n], bounds[n + 1])
                self._found[each] = (term[rows], fields[rows], count[rows])

    def _chunk(self, stories: list[tuple[str, ...]], first_story: int) -> Occurrences:
        found = [self._found[fields] for fields in stories]
        sizes = [len(term) for term, _, _ in found]
        return Occurrences(
            np.repeat(np.arange(first_story, first_story + len(stories), dtype=np.int32), sizes),
            *(np.concatenate(column) for column in zip(*found, strict=True)),
        )


_read_before = _TermsReadBefore()


def _text_vectors(
    stories: Sequence[Story], keep: int, strongest: int, cutoff: float, body_chars: int
) -> tuple[sparse.csr_array, sparse.csr_array]:
    """Normalised TF-IDF rows over the terms that can link stories, trimmed to ``keep`` terms each.

    A term's weight is its IDF, times the square root of how often the story
    uses it (as in Lucene's classic TF-IDF: repeats count, but less and less),
    times the summed boost of the fields it is in (``FIELD_BOOST``). Terms on
    one story only, or on more than ``cutoff`` stories, are left out: the first
    cannot link anything, the second link everything. Also returns the same
    rows cut to their ``strongest`` heaviest terms.
    """
    # Fields in FIELD_BOOST order: the n-th field sets bit n of ``Occurrences.fields``.
    fields = [story.texts(body_chars) for story in stories]
    vocabulary, chunks = _read_before.terms(fields)
    df = np.zeros(len(vocabulary.terms), dtype=np.int64)
    for chunk in chunks:
        df += np.bincount(chunk.term, minlength=df.size)
    idf = np.log(len(stories) / np.maximum(df, 1))
    idf[(df < 2) | (df > cutoff)] = 0.0
    alphabetical = vocabulary.alphabetical_places()
    heaviest = [_heaviest_terms(chunk, idf, alphabetical, keep) for chunk in chunks]
    row, term, weight, rank = map(np.concatenate, zip(*heaviest, strict=True))
    shape = (len(stories), df.size)
    top = rank < strongest
    return (
        sparse.csr_array((weight, (row, term)), shape=shape),
        sparse.csr_array((weight[top], (row[top], term[top])), shape=shape),
    )


def _heaviest_terms(found: Occurrences, idf: np.ndarray, alphabetical: np.ndarray, keep: int) -> tuple[np.ndarray, ...]:
    """Story, term, normalised weight and rank (0 = heaviest) of each story's ``keep`` heaviest terms.

    Terms are given by their alphabetical place, so that the matrices, and the
    order of every floating-point sum over them, do not depend on how the archive was read.
    """
    linking = idf[found.term] > 0
    story, term = found.story[linking], found.term[linking]
    if not story.size:
        return story, term, np.zeros(0), np.zeros(0, dtype=np.int64)
    weight = BOOST_OF_FIELDS[found.fields[linking]] * np.sqrt(found.count[linking]) * idf[term]
    term = alphabetical[term]
    # Stories numbered from the chunk's first, in the smallest integer type: small keys sort faster.
    in_chunk = story - story[0]
    in_chunk = in_chunk.astype(np.min_scalar_type(in_chunk[-1]))
    # Heaviest first within each story, ties in alphabetical order, so the trim is reproducible.
    order = np.lexsort((term, -weight, in_chunk))
    in_chunk, term, weight = in_chunk[order], term[order], weight[order]
    rank = _rank_within_groups(in_chunk)
    kept = rank < keep
    in_chunk, term, weight, rank = in_chunk[kept], term[kept], weight[kept], rank[kept]
    weight /= np.sqrt(np.bincount(in_chunk, weights=weight * weight))[in_chunk]
    return story[0] + in_chunk.astype(np.int64), term, weight, rank


def _tag_matrix(stories: Sequence[Story]) -> sparse.csr_array:
    """A 1 for every (story, tag) pair, tags compared without case, columns in tag order."""
    tags_of = [{tag.casefold() for tag in story.tags} for story in stories]
    number = {tag: n for n, tag in enumerate(sorted(set().union(*tags_of)))}
    rows = np.repeat(np.arange(len(stories)), [len(tags) for tags in tags_of])
    columns = np.fromiter((number[tag] for tags in tags_of for tag in tags), dtype=np.int64, count=rows.size)
    return sparse.csr_array((np.ones(rows.size), (rows, columns)), shape=(len(stories), len(number)))


def _shortlist_size(options: Options) -> int:
    return max(5 * options.count, 15)


def _field_groups(ordered: Sequence[Story], name: str) -> np.ndarray:
    """For each story, the number of its group of ``name``'s value, or -1 when no other story shares it."""
    values = [next((value.casefold() for key, value in story.fields if key == name), None) for story in ordered]
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        if value is not None:
            counts[value] += 1
    number = {value: n for n, value in enumerate(sorted(value for value, count in counts.items() if count > 1))}
    return np.array([number.get(value, -1) if value is not None else -1 for value in values], dtype=np.int64)


def _group_neighbours(
    groups: np.ndarray, published: np.ndarray, listed: np.ndarray, reach: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each story paired with up to ``reach`` listed stories of its group either side of it in time.

    One sort of the grouped stories, then a fixed number of offsets per story:
    the work grows with the archive times ``reach``, however large a group.
    """
    grouped = np.flatnonzero(groups >= 0)
    if not grouped.size:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # By group, then time, then position (slug order): a fixed order, so ties between instalments are reproducible.
    grouped = grouped[np.lexsort((grouped, published[grouped], groups[grouped]))]
    group_of = groups[grouped]
    is_listed = listed[grouped]
    # Listed members alone, in the same order; each story's place among them is the count of listed ones before it.
    listed_members = grouped[is_listed]
    listed_group = group_of[is_listed]
    before = np.cumsum(is_listed) - is_listed
    offsets = np.r_[np.arange(-reach, 0), np.arange(1, reach + 1)]
    # A listed story is itself at `before`, so the next one is at `before + 1`; an unlisted one is
    # between `before - 1` and `before`, so the next one is at `before`.
    later_unlisted = ((offsets > 0)[None, :] & ~is_listed[:, None]).astype(np.int64)
    places = before[:, None] + offsets[None, :] - later_unlisted
    rows = np.repeat(grouped, offsets.size)
    places = places.ravel()
    inside = (places >= 0) & (places < listed_members.size)
    rows, places = rows[inside], places[inside]
    same = listed_group[places] == groups[rows]
    rows, others = rows[same], listed_members[places[same]]
    keep = rows != others
    rows, others = rows[keep], others[keep]
    order = np.lexsort((others, rows))
    return rows[order], others[order]


def _merge_pairs(
    rows: np.ndarray, others: np.ndarray, rough: np.ndarray, more: tuple[np.ndarray, ...], total: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The union of two sets of (row, other, rough) pairs, rough scores of a pair in both summed, in row order."""
    more_rows, more_others, more_rough = more
    keys, inverse = np.unique(np.r_[rows * total + others, more_rows * total + more_others], return_inverse=True)
    summed = np.bincount(inverse, weights=np.r_[rough, more_rough], minlength=keys.size)
    return keys // total, keys % total, summed


def _pairs(matrix: sparse.csr_array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and value of every stored entry, in row order and column order within a row."""
    matrix.sort_indices()
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return rows, matrix.indices.astype(np.int64), matrix.data


def _row_dots(left: sparse.csr_array, right: sparse.csr_array, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The dot product of ``left[rows[k]]`` and ``right[others[k]]`` for every k."""
    if not rows.size:
        return np.zeros(0)
    return np.asarray(left[rows].multiply(right[others]).sum(axis=1)).ravel()


class _Archive:
    """Everything the scores are computed from, as arrays and sparse matrices in ``ordered`` order."""

    def __init__(self, ordered: Sequence[Story], weights: dict[str, float], options: Options) -> None:
        total = len(ordered)
        # Posting lists stay short whatever the archive size, which keeps the work linear.
        cutoff = min(max(options.max_df * total, options.df_floor), max(options.df_cap, options.df_floor))
        self.text, strongest = _text_vectors(
            ordered, options.terms_per_story, options.query_terms, cutoff, options.body_chars
        )
        self.tags = _tag_matrix(ordered)
        tag_df = self.tags.sum(axis=0)
        # Rarity of a tag between 0 (on every story) and 1 (on one story).
        rarity = np.log(total / np.maximum(tag_df, 1)) / (math.log(total) if total > 1 else 1.0)
        self.tag_rarity = self.tags @ sparse.diags_array(rarity)
        rare = np.flatnonzero((tag_df >= 2) & (tag_df <= cutoff))
        # Rough topical score = finder[i] . finder[j]: weighted strong-term products plus rare shared tags.
        self.finder = sparse.hstack(
            [
                strongest * math.sqrt(weights["text"]),
                self.tags[:, rare] @ sparse.diags_array(np.sqrt(weights["tags"] * rarity[rare])),
            ],
            format="csr",
        )
        listed = sparse.diags_array(np.array([story.listed for story in ordered], dtype=float))
        self.findable = (listed @ self.finder).T.tocsr()
        self.published = np.array([story.published for story in ordered])
        sections = {name: n for n, name in enumerate(sorted({story.section for story in ordered}))}
        self.section = np.array([sections[story.section] for story in ordered])
        # Per weighted field: its weight and each story's group. Candidates sharing a value, with their bonus.
        self.fields: dict[str, tuple[float, np.ndarray]] = {}
        found: list[tuple[np.ndarray, ...]] = []
        is_listed = np.array([story.listed for story in ordered], dtype=bool)
        for name, weight in sorted(options.field_weights.items()):
            groups = _field_groups(ordered, name)
            if weight <= 0 or not (groups >= 0).any():
                continue
            self.fields[name] = (float(weight), groups)
            rows, others = _group_neighbours(groups, self.published, is_listed, _shortlist_size(options))
            found.append((rows, others, np.full(rows.size, float(weight))))
        self.field_pairs: tuple[np.ndarray, ...] | None = found[0] if found else None
        for more in found[1:]:
            self.field_pairs = _merge_pairs(*self.field_pairs, more, total)


def rank(stories: Sequence[Story], options: Options | None = None, map_blocks: BlockMap = map) -> dict[str, list[Pick]]:
    """For every story, up to ``options.count`` picks: pins, then the best scored, then fallback.

    Pins naming no story are ignored here (``related.check_pins`` reports them).
    The result does not depend on the order of ``stories``. Each block of
    stories is scored on its own from arrays made once, so ``map_blocks`` may
    score them anywhere (the build gives a map over worker processes) as long
    as it hands the results back in order.
    """
    options = options or Options()
    _check_options(options)
    # A fixed internal order keeps floating-point sums, and so the ties, reproducible.
    ordered = sorted(stories, key=lambda story: story.slug)
    index_of = {story.slug: i for i, story in enumerate(ordered) if story.listed}

    pinned: list[list[int]] = []
    for i, story in enumerate(ordered):
        chosen = dict.fromkeys(j for pin in story.pins if (j := index_of.get(pin)) is not None and j != i)
        pinned.append(list(chosen)[: options.count])
    scored = _scored_picks(ordered, pinned, options, map_blocks) if len(ordered) > 1 and options.count else {}

    by_date = sorted(index_of.values(), key=lambda i: (-ordered[i].published, ordered[i].slug))
    by_section: dict[str, list[int]] = defaultdict(list)
    for i in by_date:
        by_section[ordered[i].section].append(i)

    results: dict[str, list[Pick]] = {}
    for i, story in enumerate(ordered):
        picks = [Pick(ordered[j].slug, "pinned", 0.0, {}) for j in pinned[i]]
        picks += scored.get(i, [])
        if len(picks) < options.count and options.fallback:
            chosen = {i, *pinned[i], *(index_of[pick.slug] for pick in picks)}
            sources = [by_section[story.section], by_date] if options.fallback == "section" else [by_date]
            for j in (j for source in sources for j in source):
                if len(picks) >= options.count:
                    break
                if j not in chosen:
                    chosen.add(j)
                    picks.append(Pick(ordered[j].slug, "fallback", 0.0, {}))
        results[story.slug] = picks
    return results


def _scored_picks(
    ordered: Sequence[Story], pinned: list[list[int]], options: Options, map_blocks: BlockMap
) -> dict[int, list[Pick]]:
    """The picks on merit of every story that has any, by its position in ``ordered``."""
    weights = {name: float(options.weights.get(name, 0.0)) for name in WEIGHT_NAMES}
    archive = _Archive(ordered, weights, options)
    wanted = options.count - np.array([len(pins) for pins in pinned])

    def score_block(start: int) -> Columns:
        stop = min(start + STORIES_PER_BLOCK, len(ordered))
        return _score_block(archive, start, stop, pinned, wanted, weights, options)

    blocks = list(map_blocks(score_block, range(0, len(ordered), STORIES_PER_BLOCK)))
    stories, chosen, scores, *parts = (np.concatenate(column) for column in zip(*blocks, strict=True))
    explained = np.round(np.column_stack(parts), 4).tolist()
    names = (*WEIGHT_NAMES, *archive.fields)
    picks: dict[int, list[Pick]] = defaultdict(list)
    for i, j, score, shown in zip(stories.tolist(), chosen.tolist(), scores.tolist(), explained, strict=True):
        picks[i].append(Pick(ordered[j].slug, "scored", score, dict(zip(names, shown, strict=True))))
    return picks


def _score_block(
    archive: _Archive,
    start: int,
    stop: int,
    pinned: list[list[int]],
    wanted: np.ndarray,
    weights: dict[str, float],
    options: Options,
) -> Columns:
    """The picks on merit of the stories ``start`` to ``stop``, best first for each.

    Returned as columns: story, pick, score, then the score parts in ``WEIGHT_NAMES`` order, then
    one per weighted field, in ``archive.fields`` order.
    """
    # Candidates: every story sharing a strong term or a rare tag, by rough score.
    rows, others, rough = _pairs(archive.finder[start:stop] @ archive.findable)
    rows += start
    if archive.field_pairs is not None:
        # ...and the nearest stories sharing a weighted field's value, the weight added to their rough score.
        field_rows, field_others, field_rough = archive.field_pairs
        low, high = np.searchsorted(field_rows, [start, stop])
        if high > low:
            more = (field_rows[low:high], field_others[low:high], field_rough[low:high])
            rows, others, rough = _merge_pairs(rows, others, rough, more, len(pinned))
    exclude = rows == others
    pins = [i * len(pinned) + j for i in range(start, stop) for j in pinned[i]]
    if pins:
        exclude |= np.isin(rows * len(pinned) + others, pins)
    rows, others, rough = rows[~exclude], others[~exclude], rough[~exclude]
    # Only the best few by rough score go on to the full score; the sort is stable, so ties stay in slug order.
    order = np.lexsort((-rough, rows))
    order = order[_rank_within_groups(rows[order]) < _shortlist_size(options)]
    rows, others = rows[order], others[order]

    tags = weights["tags"] * _row_dots(archive.tags, archive.tag_rarity, rows, others)
    text = weights["text"] * _row_dots(archive.text, archive.text, rows, others)
    fields = [
        weight * ((groups[rows] == groups[others]) & (groups[rows] >= 0)) for weight, groups in archive.fields.values()
    ]
    topical = tags + text
    for part in fields:
        topical = topical + part
    relevant = topical >= options.min_score
    rows, others, tags, text = (column[relevant] for column in (rows, others, tags, text))
    fields = [part[relevant] for part in fields]
    section = weights["section"] * (archive.section[rows] == archive.section[others])
    gap = archive.published[others] - archive.published[rows]
    half_life = options.recency_half_life_days * SECONDS_PER_DAY
    # Follow-ups (later stories) fade at half the speed of background pieces.
    age = np.abs(gap) / np.where(gap > 0, 2 * half_life, half_life) if half_life > 0 else np.zeros(gap.size)
    recency = weights["recency"] * 0.5**age
    total = tags + text + section + recency
    for part in fields:
        total = total + part
    score = np.round(total, 9)

    # Best score first; ties go to the newer story, then the slug (``ordered`` is in slug order).
    order = np.lexsort((others, -archive.published[others], -score, rows))
    order = order[_rank_within_groups(rows[order]) < wanted[rows[order]]]
    return tuple(column[order] for column in (rows, others, score, tags, text, section, recency, *fields))
