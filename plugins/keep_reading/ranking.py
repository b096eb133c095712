"""Ranking related stories: a pure function over plain records, no Pelican needed.

The work is kept close to linear in the size of the archive:

* every story becomes a sparse TF-IDF vector over its terms (stop words left
  out), trimmed to its ``terms_per_story`` heaviest terms and normalised, so a
  cosine is the dot product of two short vectors;
* an inverted index maps each term (and each tag) to the stories that carry it;
  terms and tags found in more than ``max_df`` of the archive are left out of
  the index: they say little and their posting lists are what would make the
  work quadratic;
* candidates are found through each story's ``query_terms`` strongest terms
  and its rarer tags (the index holds each story's strongest terms only), a
  shortlist is kept with ``heapq``, and only the shortlist gets the full score:
  the exact cosine of the two trimmed vectors plus tags, section and recency;
* only the opening ``body_chars`` of each body are read: news puts what a
  story is about first, and the rest only costs time.

There is no story-by-story matrix and no loop over all pairs.
"""

from __future__ import annotations

import heapq
import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

DEFAULT_WEIGHTS: dict[str, float] = {"tags": 0.5, "text": 3.0, "section": 0.15, "recency": 0.1}
WEIGHT_NAMES = tuple(DEFAULT_WEIGHTS)
FALLBACKS = ("section", "latest", None)
# How much a word counts in each field: a headline word says more than a body word.
FIELD_BOOST = {"title": 3, "summary": 2, "body": 1}
SECONDS_PER_DAY = 86_400.0

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
TAG = re.compile(r"<[^>]*>")
# Punctuation becomes a space, so ``split()`` finds the words; cheaper than a regex scan.
_SPACES = str.maketrans(dict.fromkeys("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~‘’‚“”„–—…«»·•′″", " "))


@dataclass(frozen=True, slots=True)
class Story:
    """What the ranking needs to know about one published article."""

    slug: str
    title: str
    section: str
    published: float  # POSIX timestamp
    summary: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    pins: tuple[str, ...] = ()
    # An unlisted story (a hidden article) gets picks but is never picked.
    listed: bool = True


class Pick(NamedTuple):
    """One recommended story, why it was chosen and how it scored."""

    slug: str
    reason: str  # "pinned", "scored" or "fallback"
    score: float
    parts: dict[str, float]


@dataclass(frozen=True)
class Options:
    """The knobs of the ranking; see the plugin docstring for what each does."""

    count: int = 3
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    min_score: float = 0.2
    fallback: str | None = "section"
    max_df: float = 0.1
    df_floor: int = 20
    df_cap: int = 250
    terms_per_story: int = 50
    query_terms: int = 12
    body_chars: int = 1500
    recency_half_life_days: float = 60.0


def strip_tags(markup: str) -> str:
    """Plain text from HTML in one regex pass; good enough for counting words."""
    return html.unescape(TAG.sub(" ", markup))


def normal_term(word: str) -> str | None:
    """The index term for one lower-case word, or None for stop words, numbers and single letters."""
    if len(word) < 2 or word in STOP_WORDS or not word[0].isalpha():
        return None
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def field_terms(text: str, cache: dict[str, str | None] | None = None) -> set[str]:
    """The distinct index terms of a text; ``cache`` remembers each word's term across calls."""
    cache = {} if cache is None else cache
    words = set(text.lower().translate(_SPACES).split())
    for word in words.difference(cache):
        cache[word] = normal_term(word)
    found = set(map(cache.__getitem__, words))
    found.discard(None)
    return found


def unknown_pins(stories: Iterable[Story]) -> list[tuple[Story, str]]:
    """Pins that name no listed story in the archive, in reading order."""
    stories = list(stories)
    known = {story.slug for story in stories if story.listed}
    return [(story, pin) for story in stories for pin in story.pins if pin not in known]


def _check_options(options: Options) -> None:
    unknown = set(options.weights) - set(WEIGHT_NAMES)
    if unknown:
        raise ValueError(f"unknown weight(s) {sorted(unknown)}; use {list(WEIGHT_NAMES)}")
    if options.fallback not in FALLBACKS:
        raise ValueError(f"fallback must be one of {FALLBACKS}, got {options.fallback!r}")


def _idf(document_count: int, df: int) -> float:
    # 0 for a term every story has, log(N) for a term only one story has.
    return math.log(document_count / df) if df else 0.0


def _text_vectors(stories: Sequence[Story], keep: int, cutoff: float, body_chars: int) -> list[dict[str, float]]:
    """Normalised TF-IDF vectors over the terms that can link stories, each trimmed to ``keep`` terms.

    A term counts once per field, boosted by the field (``FIELD_BOOST``). Terms
    on one story only, or on more than ``cutoff`` stories, are left out: the
    first cannot link anything, the second link everything. Each vector's
    terms come heaviest first.
    """
    cache: dict[str, str | None] = {}
    fields: list[tuple[set[str], set[str], tuple[str, ...]]] = []
    df: Counter[str] = Counter()
    for story in stories:
        title = field_terms(story.title, cache)
        summary = field_terms(story.summary, cache)
        body = field_terms(story.body[:body_chars], cache)
        df.update(body.union(title, summary))
        fields.append((title, summary, tuple(body)))
    total = len(stories)
    idf = {term: _idf(total, n) for term, n in df.items() if 2 <= n <= cutoff}
    indexed = idf.keys()
    body_boost, summary_boost, title_boost = FIELD_BOOST["body"], FIELD_BOOST["summary"], FIELD_BOOST["title"]
    vectors = []
    for title, summary, body in fields:
        # Built with set and dict operations that run in C: this loop meets every word.
        common = indexed & body
        weights = dict(zip(common, map(idf.__getitem__, common), strict=True))
        if body_boost != 1:
            weights = {term: body_boost * weight for term, weight in weights.items()}
        for boost, terms in ((summary_boost, indexed & summary), (title_boost, indexed & title)):
            for term in terms:
                weights[term] = weights.get(term, 0.0) + boost * idf[term]
        # Ties broken by the term, so the vector does not depend on set order (hash seeds differ per run).
        top = sorted(weights.items(), key=itemgetter(1, 0), reverse=True)[:keep]
        norm = math.sqrt(sum(w * w for _, w in top))
        vectors.append({term: w / norm for term, w in top if w > 0} if norm else {})
    return vectors


def rank(stories: Sequence[Story], options: Options | None = None) -> dict[str, list[Pick]]:
    """For every story, up to ``options.count`` picks: pins, then the best scored, then fallback.

    Pins naming no story are ignored here (report them with ``unknown_pins``).
    The result does not depend on the order of ``stories``.
    """
    options = options or Options()
    _check_options(options)
    weights = {name: float(options.weights.get(name, 0.0)) for name in WEIGHT_NAMES}
    # A fixed internal order keeps floating-point sums, and so the ties, reproducible.
    ordered = sorted(stories, key=lambda story: story.slug)
    total = len(ordered)
    index_of = {story.slug: i for i, story in enumerate(ordered) if story.listed}
    # Posting lists stay short whatever the archive size, which keeps the work linear.
    cutoff = min(max(options.max_df * total, options.df_floor), max(options.df_cap, options.df_floor))

    vectors = _text_vectors(ordered, options.terms_per_story, cutoff, options.body_chars)
    # Each story's strongest terms: what it is found by, and what it searches with.
    strongest = [list(vector.items())[: options.query_terms] for vector in vectors]
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, terms in enumerate(strongest):
        if ordered[i].listed:
            for term, weight in terms:
                postings[term].append((i, weight))

    story_tags = [frozenset(tag.casefold() for tag in story.tags) for story in ordered]
    tag_df: Counter[str] = Counter()
    for tags in story_tags:
        tag_df.update(tags)
    # Rarity of a tag between 0 (on every story) and 1 (on one story).
    scale = math.log(total) if total > 1 else 1.0
    tag_rarity = {tag: _idf(total, df) / scale for tag, df in tag_df.items()}
    tag_postings: dict[str, list[int]] = defaultdict(list)
    for i, tags in enumerate(story_tags):
        if not ordered[i].listed:
            continue
        for tag in tags:
            if 2 <= tag_df[tag] <= cutoff:
                tag_postings[tag].append(i)

    by_date = sorted((i for i in index_of.values()), key=lambda i: (-ordered[i].published, ordered[i].slug))
    by_section: dict[str, list[int]] = defaultdict(list)
    for i in by_date:
        by_section[ordered[i].section].append(i)

    half_life = options.recency_half_life_days * SECONDS_PER_DAY
    w_text, w_tags, w_section, w_recency = (weights[name] for name in ("text", "tags", "section", "recency"))
    shortlist = max(5 * options.count, 15)
    results: dict[str, list[Pick]] = {}
    for i, story in enumerate(ordered):
        picks: list[Pick] = []
        chosen = {i}
        for pin in story.pins:
            j = index_of.get(pin)
            if j is not None and j not in chosen and len(picks) < options.count:
                chosen.add(j)
                picks.append(Pick(pin, "pinned", 0.0, {}))

        wanted = options.count - len(picks)
        if wanted > 0:
            # Find candidates through the index: a rough topical score from the rarer tags and terms.
            rough: defaultdict[int, float] = defaultdict(float)
            vector = vectors[i]
            for term, weight in strongest[i]:
                weight *= w_text
                for j, other_weight in postings.get(term, ()):
                    rough[j] += weight * other_weight
            tags = story_tags[i]
            for tag in sorted(tags):
                weight = w_tags * tag_rarity[tag]
                for j in tag_postings.get(tag, ()):
                    rough[j] += weight
            for j in chosen:
                rough.pop(j, None)
            # Only the best few by topical score go on to the full score.
            best = rough.items()
            if len(rough) > shortlist:
                best = heapq.nlargest(shortlist, best, key=itemgetter(1))
            scored = []
            for j, topical in best:
                other = ordered[j]
                # fsum is exact, so the order of set iteration (hash seeds) cannot change a score.
                all_tags = math.fsum(tag_rarity[tag] for tag in tags & story_tags[j])
                other_vector = vectors[j]
                shared_terms = vector.keys() & other_vector.keys()
                text = w_text * math.fsum(vector[term] * other_vector[term] for term in shared_terms)
                topical = text + w_tags * all_tags
                if topical < options.min_score:
                    continue
                gap = other.published - story.published
                # Follow-ups (later stories) fade at half the speed of background pieces.
                age = abs(gap) / (2 * half_life if gap > 0 else half_life) if half_life > 0 else 0.0
                parts = {
                    "tags": w_tags * all_tags,
                    "text": text,
                    "section": w_section * (other.section == story.section),
                    "recency": w_recency * 0.5**age,
                }
                score = round(sum(parts.values()), 9)
                scored.append((score, other.published, _Reverse(other.slug), j, parts))
            for score, _, _, j, parts in heapq.nlargest(wanted, scored):
                chosen.add(j)
                picks.append(Pick(ordered[j].slug, "scored", score, {k: round(v, 4) for k, v in parts.items()}))

        if len(picks) < options.count and options.fallback:
            sources: list[list[int]] = [by_date]
            if options.fallback == "section":
                sources.insert(0, by_section[story.section])
            for source in sources:
                for j in source:
                    if len(picks) >= options.count:
                        break
                    if j not in chosen:
                        chosen.add(j)
                        picks.append(Pick(ordered[j].slug, "fallback", 0.0, {}))
        results[story.slug] = picks
    return results


class _Reverse(str):
    """A slug that sorts backwards, so ``nlargest`` breaks ties alphabetically."""

    __slots__ = ()

    def __lt__(self, other: Any) -> bool:
        return str.__gt__(self, other)

    def __gt__(self, other: Any) -> bool:
        return str.__lt__(self, other)
