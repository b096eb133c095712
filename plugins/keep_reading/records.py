"""The records the Keep Reading ranking works on: stories in, picks out, and its options.

Plain Python, apart from the ranking itself (``ranking``, NumPy and SciPy), so
that a build that ranks nothing (``invoke check``) need not import those.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

DEFAULT_WEIGHTS: dict[str, float] = {"tags": 0.5, "text": 3.0, "section": 0.15, "recency": 0.1}
WEIGHT_NAMES = tuple(DEFAULT_WEIGHTS)
FALLBACKS = ("section", "latest", None)


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
    # (name, value) of the front-matter fields ``Options.field_weights`` names; values compared without case.
    fields: tuple[tuple[str, str], ...] = ()
    # An unlisted story (a hidden article) gets picks but is never picked.
    listed: bool = True

    def texts(self, body_chars: int) -> tuple[str, str, str]:
        """The texts the ranking reads terms from: title, summary and the opening ``body_chars`` of the body."""
        return self.title, self.summary, self.body[:body_chars]


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
    field_weights: Mapping[str, float] = field(default_factory=dict)


def inputs_digest(stories: Sequence[Story], options: Options) -> str:
    """A digest of everything ``ranking.rank`` reads: the options and every story, in any order.

    A body counts only as far as the ranking reads it (``options.body_chars``),
    so an edit further down a story leaves the digest, and the picks, as they were.
    A story's fields are texts, numbers, booleans and tuples of texts: ``marshal``
    writes them in one call, each with its type and length, the same in every process.
    """
    digest = hashlib.sha256()
    knobs = {name: sorted(v.items()) if isinstance(v, Mapping) else v for name, v in vars(options).items()}
    digest.update(repr(sorted(knobs.items())).encode())
    for story in sorted(stories, key=lambda story: story.slug):
        read = [getattr(story, name) for name in Story.__slots__]
        read[Story.__slots__.index("body")] = story.body[: options.body_chars]
        digest.update(marshal.dumps(read, 2))
    return digest.hexdigest()
