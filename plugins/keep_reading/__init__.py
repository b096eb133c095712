"""Keep Reading: related stories after every article, ranked the way an editor would.

Once all articles are read (``article_generator_finalized``), every published
article (hidden ones too, since their pages are written) gets
``article.keep_reading``, the stories to show after it in order, and
``article.keep_reading_explained``, a list of ``(article, parts, reason)``
with the score parts of each pick and why it was picked (``"pinned"``,
``"scored"`` or ``"fallback"``). Drafts, hidden articles and articles dated in
the future (which Pelican turns into drafts) are never recommended, and an
article never recommends itself.

Order of the picks:

1. Editor pins: the slugs of the article's ``Related:`` front-matter line
   (comma-separated), in that order. A slug that names no published article is
   an error on the ``Related:`` line (``plugin_support.problems``), which fails
   the build. A build that only checks the content (``BUILD_CHECK_ONLY``, set
   by ``invoke check``) checks the pins and ranks nothing, and does not even
   load NumPy and SciPy: the ranking (``ranking``) is imported when it first
   runs, and the records it works on live apart from it (``records``).
2. The best-scoring stories whose topical score (tags + text) reaches
   ``KEEP_READING_MIN_SCORE``. The score adds up, each times its weight:
   ``tags``, the rarity of every shared tag (log(N/df)/log(N): 1 for a tag only
   two stories share in a large archive, near 0 for one on most of it);
   ``text``, the TF-IDF cosine of title (counted 3×), summary (2×) and body,
   a word used n times counting √n times (``ranking`` and ``terms`` say how);
   ``section``, 1 in the same section; ``recency``, 0.5 to the power of the
   days between the two stories over the half-life (doubled for later
   follow-ups); and, for each front-matter field of
   ``KEEP_READING_FIELD_WEIGHTS``, its weight when both stories have the same
   value of it (compared without case), such as the same ``Story:`` line.
   Ties go to the newer story, then the slug. Only stories that
   share something with a positive weighted score (a telling term, a tag
   not on every story, or a weighted field's value) are candidates, so even a
   minimum of 0 never picks a story on merit for section and recency alone.
   Stories sharing a field's value are found by grouping them by value, not by
   comparing every pair: each meets the members of its group nearest to it in
   time, and they join its shortlist with the weight in their rough score.
3. Fallback when fewer than ``KEEP_READING_COUNT`` stories qualify: the newest
   stories of the same section, then of the whole site (``"section"``), the
   newest of the site only (``"latest"``), or nothing (``None``).

The ranking scores the stories in blocks, each on whichever of the build's
worker processes (``BUILD_JOBS``) is free, and takes the results back in
block order.

With a build cache (``BUILD_CACHE_PATH``), the picks are kept for the next
build under a digest of everything the ranking reads (``records.inputs_digest``:
the settings, and every story's record with its body cut where the ranking
stops reading); a build whose stories give the same digest takes them instead
of ranking again, so editing a story further down than
``KEEP_READING_BODY_CHARS`` ranks nothing.

Settings (defaults in ``DEFAULTS``):

``KEEP_READING_COUNT``
    Stories per article. Default ``3``.
``KEEP_READING_WEIGHTS``
    Weight of each score part; a partial dict changes only the parts it names.
    Default ``{"tags": 0.5, "text": 3.0, "section": 0.15, "recency": 0.1}``.
``KEEP_READING_MIN_SCORE``
    Least weighted tags + text (+ field) score for a story to be picked on merit.
    Default ``0.2``.
``KEEP_READING_FALLBACK``
    ``"section"``, ``"latest"`` or ``None``. Default ``"section"``.
``KEEP_READING_HEADING``
    Heading of the block. Default ``"Keep Reading"``.
``KEEP_READING_EMPTY_TEXT``
    Shown when there is no story at all to recommend. Default ``"No posts found"``.
``KEEP_READING_HIDE_WHEN_EMPTY``
    Leave the block out instead of showing the empty text. Default ``False``.
``KEEP_READING_RECENCY_HALF_LIFE``
    Days after which the recency part halves. Default ``60``.
``KEEP_READING_MAX_DF``
    Terms and tags on more than this fraction of the archive are not used to
    find candidates (too common to tell stories apart). Default ``0.1``.
``KEEP_READING_DF_FLOOR``
    …but a term or tag on at most this many articles is always used, so small
    sites are not left without any. Default ``20``.
``KEEP_READING_DF_CAP``
    …and one on more than this many articles never is, so the work per
    article stays bounded however large the archive grows. Default ``250``.
``KEEP_READING_TERMS_PER_STORY``
    Each article's text is reduced to its this-many most telling terms.
    Default ``50``.
``KEEP_READING_QUERY_TERMS``
    Candidates are found through each article's this-many strongest terms (and
    its rarer tags); the shortlist is then scored on all its terms. Default ``12``.
``KEEP_READING_BODY_CHARS``
    Only the opening this-many characters of each body are read: news says what
    a story is about first. Default ``1500`` (about the first three paragraphs).
``KEEP_READING_FIELD_WEIGHTS``
    Front-matter fields that make two stories related when they have the same
    value, each with the weight that adds to the score, e.g. ``{"story": 2.0}``
    for articles of the same running story; shown as a part of the score under
    the field's name. Names are front-matter keys (any case) other than the
    names of the score parts above. Default ``{}``: no field counts.
"""

from __future__ import annotations

from pelican import signals
from plugin_support import timing, workers

from .related import DEFAULTS, attach_keep_reading, validate_settings

__all__ = ["DEFAULTS", "register"]


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)
    workers.validate_settings(pelican.settings)  # the ranking scores on the build's workers


def _attach(generator) -> None:
    with timing.phase("keep_reading"):
        attach_keep_reading(generator.articles, generator.settings, hidden=generator.hidden_articles)


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.article_generator_finalized.connect(_attach)
