"""Settings, and the bridge between Pelican articles and the ranking."""

from __future__ import annotations

import html
import numbers
import re
from collections.abc import Callable, Sequence
from typing import Any

from plugin_support import problems, workers
from plugin_support.cache import BuildCache
from plugin_support.last_build import FromLastBuild
from plugin_support.settings import fill_defaults

from .records import DEFAULT_WEIGHTS, FALLBACKS, WEIGHT_NAMES, Options, Pick, Story, inputs_digest

DEFAULTS: dict[str, Any] = {
    "KEEP_READING_COUNT": 3,
    "KEEP_READING_WEIGHTS": dict(DEFAULT_WEIGHTS),
    "KEEP_READING_MIN_SCORE": 0.2,
    "KEEP_READING_FALLBACK": "section",
    "KEEP_READING_HEADING": "Keep Reading",
    "KEEP_READING_EMPTY_TEXT": "No posts found",
    "KEEP_READING_HIDE_WHEN_EMPTY": False,
    "KEEP_READING_RECENCY_HALF_LIFE": 60,
    "KEEP_READING_MAX_DF": 0.1,
    "KEEP_READING_DF_FLOOR": 20,
    "KEEP_READING_DF_CAP": 250,
    "KEEP_READING_TERMS_PER_STORY": 50,
    "KEEP_READING_QUERY_TERMS": 12,
    "KEEP_READING_BODY_CHARS": 1500,
    "KEEP_READING_FIELD_WEIGHTS": {},
}


def _number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults; raise ``ValueError`` naming a setting of the wrong shape."""
    fill_defaults(settings, DEFAULTS)

    def bad(key: str, expected: str) -> ValueError:
        return ValueError(f"{key} must be {expected}, got {settings[key]!r}")

    count = settings["KEEP_READING_COUNT"]
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise bad("KEEP_READING_COUNT", "a whole number of stories, 0 or more")
    weights = settings["KEEP_READING_WEIGHTS"]
    if (
        not isinstance(weights, dict)
        or set(weights) - set(WEIGHT_NAMES)
        or not all(_number(value) and value >= 0 for value in weights.values())
    ):
        raise bad("KEEP_READING_WEIGHTS", f"a dict of numbers >= 0 with keys among {list(WEIGHT_NAMES)}")
    # A partial dict changes only the weights it names.
    settings["KEEP_READING_WEIGHTS"] = {**DEFAULT_WEIGHTS, **weights}
    if not _number(settings["KEEP_READING_MIN_SCORE"]):
        raise bad("KEEP_READING_MIN_SCORE", "a number")
    if settings["KEEP_READING_FALLBACK"] not in FALLBACKS:
        raise bad("KEEP_READING_FALLBACK", '"section", "latest" or None')
    for key in ("KEEP_READING_HEADING", "KEEP_READING_EMPTY_TEXT"):
        if not isinstance(settings[key], str) or not settings[key].strip():
            raise bad(key, "non-empty text")
    if not isinstance(settings["KEEP_READING_HIDE_WHEN_EMPTY"], bool):
        raise bad("KEEP_READING_HIDE_WHEN_EMPTY", "True or False")
    if not _number(settings["KEEP_READING_RECENCY_HALF_LIFE"]) or settings["KEEP_READING_RECENCY_HALF_LIFE"] < 0:
        raise bad("KEEP_READING_RECENCY_HALF_LIFE", "a number of days, 0 or more")
    if not _number(settings["KEEP_READING_MAX_DF"]) or not 0 < settings["KEEP_READING_MAX_DF"] <= 1:
        raise bad("KEEP_READING_MAX_DF", "a fraction of the archive above 0 and at most 1")
    for key in (
        "KEEP_READING_DF_FLOOR",
        "KEEP_READING_DF_CAP",
        "KEEP_READING_TERMS_PER_STORY",
        "KEEP_READING_QUERY_TERMS",
        "KEEP_READING_BODY_CHARS",
    ):
        value = settings[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise bad(key, "a whole number, 1 or more")
    fields = settings["KEEP_READING_FIELD_WEIGHTS"]
    if (
        not isinstance(fields, dict)
        or not all(isinstance(name, str) and name.strip() for name in fields)
        or not all(_number(value) and value >= 0 for value in fields.values())
    ):
        raise bad("KEEP_READING_FIELD_WEIGHTS", "a dict of front-matter field names to numbers >= 0")
    # Pelican keeps front-matter keys in lower case.
    fields = {name.strip().lower(): value for name, value in fields.items()}
    if set(fields) & set(WEIGHT_NAMES):
        raise bad("KEEP_READING_FIELD_WEIGHTS", f"a dict whose field names are not among {list(WEIGHT_NAMES)}")
    settings["KEEP_READING_FIELD_WEIGHTS"] = fields


def options_from(settings: dict[str, Any]) -> Options:
    """The ranking options the settings describe."""
    return Options(
        count=settings["KEEP_READING_COUNT"],
        weights=settings["KEEP_READING_WEIGHTS"],
        min_score=float(settings["KEEP_READING_MIN_SCORE"]),
        fallback=settings["KEEP_READING_FALLBACK"],
        max_df=float(settings["KEEP_READING_MAX_DF"]),
        df_floor=settings["KEEP_READING_DF_FLOOR"],
        df_cap=settings["KEEP_READING_DF_CAP"],
        terms_per_story=settings["KEEP_READING_TERMS_PER_STORY"],
        query_terms=settings["KEEP_READING_QUERY_TERMS"],
        body_chars=settings["KEEP_READING_BODY_CHARS"],
        recency_half_life_days=float(settings["KEEP_READING_RECENCY_HALF_LIFE"]),
        field_weights={name: float(weight) for name, weight in settings["KEEP_READING_FIELD_WEIGHTS"].items()},
    )


def parse_pins(value: Any) -> tuple[str, ...]:
    """The slugs of a ``Related:`` line, in order, without blanks or repeats."""
    if not value:
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(dict.fromkeys(item.strip() for item in map(str, items) if item.strip()))


TAG = re.compile(r"<[^>]*>")


def strip_tags(markup: str) -> str:
    """Plain text from HTML in one regex pass; good enough for counting words."""
    return html.unescape(TAG.sub(" ", markup))


def opening_text(markup: str, chars: int | None) -> str:
    """The plain text of ``markup`` (``strip_tags``), or at least its first ``chars`` characters.

    The HTML is cut just before a ``<``, where no character reference can be
    open, and the cut is kept only if no tag is open across it (no ``<`` is
    left once the tags are gone): then the text of the part kept is exactly the
    start of the whole text. The part grows until its text is long enough.
    """
    reach = 2 * chars if chars is not None else len(markup)
    while True:
        cut = markup.find("<", reach)
        if cut < 0:
            return strip_tags(markup)
        untagged = TAG.sub(" ", markup[:cut])
        if "<" in untagged:
            return strip_tags(markup)
        text = html.unescape(untagged)
        if len(text) >= chars:
            return text
        reach = 2 * cut


# Each story's opening text, by its HTML and the length read (plugin_support.last_build).
_openings: FromLastBuild[str] = FromLastBuild()


def _opening_from_last_build(markup: str, chars: int | None) -> str:
    return _openings.get((markup, chars), lambda: opening_text(markup, chars))


def story_from(article: Any, listed: bool = True, fields: tuple[str, ...] = (), body_chars: int | None = None) -> Story:
    """The plain record the ranking reads, made from a Pelican article.

    ``fields`` are front-matter keys to compare; ``body_chars``, when given,
    is how much of the body's text the ranking reads (more may be kept): its
    ``opening_text``, taken from the last ranking in this process for the same HTML.
    """
    metadata = getattr(article, "metadata", {})
    values = ((name, str(metadata.get(name) or "").strip()) for name in fields)
    # The reader's HTML, not the ``content`` property: that one resolves {filename}
    # links and memoises the result, and pages are not known yet at this point.
    body = _opening_from_last_build(getattr(article, "_content", "") or "", body_chars)
    category = getattr(article, "category", None)
    return Story(
        slug=article.slug,
        title=str(getattr(article, "title", "")),
        section=category.name if category is not None else "",
        published=article.date.timestamp(),
        summary=str(metadata.get("summary") or ""),
        body=body,
        tags=tuple(tag.name for tag in getattr(article, "tags", None) or ()),
        pins=parse_pins(metadata.get("related")),
        fields=tuple((name, value) for name, value in values if value),
        listed=listed,
    )


def check_pins(articles: list[Any], hidden: list[Any] = ()) -> None:
    """Report each ``Related:`` pin that names no published article, or the article itself, on its line."""
    published = {article.slug for article in articles}
    for article in [*articles, *hidden]:
        for pin in parse_pins(getattr(article, "metadata", {}).get("related")):
            if pin == article.slug:
                message = f'Related: "{pin}" is this article itself; pin another one'
            elif pin not in published:
                message = f'Related: no article has the slug "{pin}"'
            else:
                continue
            problems.report_key(article.source_path, "related", message)


def ranked(
    stories: list[Story], options: Options, cache: BuildCache, map_blocks: Callable[..., Any] = map
) -> dict[str, list[Pick]]:
    """The picks of every story: those the last build made when the ranking would read the same, else ranked now.

    ``map_blocks`` scores the blocks of stories (``ranking.rank``).
    """
    inputs = inputs_digest(stories, options)
    kept = cache.load()
    if kept.get("inputs") == inputs:
        return kept["picks"]
    # Imported here: NumPy and SciPy take a fifth of a second to load, and a check or a build that
    # finds the picks in its cache ranks nothing.
    from .ranking import rank

    picks = rank(stories, options, map_blocks)
    cache.save({"inputs": inputs, "picks": picks})
    return picks


def map_on_workers(settings: dict[str, Any]) -> Callable[[Callable[[int], Any], Sequence[int]], list[Any]]:
    """A ``map`` over the build's worker processes (``BUILD_JOBS``): the ranking scores blocks of stories on it."""

    def on_workers(score_block: Callable[[int], Any], starts: Sequence[int]) -> list[Any]:
        describe = "Keep Reading, the block of stories from number {}".format
        return workers.run_everywhere(
            score_block,
            starts,
            jobs=workers.job_count(settings),
            describe=describe,
            timeout=settings["BUILD_WORKER_TIMEOUT"],
        )

    return on_workers


def attach_keep_reading(articles: list[Any], settings: dict[str, Any], hidden: list[Any] = ()) -> None:
    """Set ``keep_reading`` and ``keep_reading_explained`` on every published (and hidden) article.

    Hidden articles are written to the site, so they get picks too, but they are never picked.
    A build that only checks the content (``BUILD_CHECK_ONLY``) checks the pins and picks nothing.
    """
    check_pins(articles, hidden)
    if problems.check_only(settings):
        return
    fields = tuple(settings.get("KEEP_READING_FIELD_WEIGHTS") or ())
    options = options_from(settings)
    _openings.start()
    stories = [story_from(article, True, fields, options.body_chars) for article in articles]
    stories += [story_from(article, False, fields, options.body_chars) for article in hidden]
    articles = [*articles, *hidden]
    by_slug = {article.slug: article for article in articles}
    picks = ranked(stories, options, BuildCache(settings, "keep-reading"), map_on_workers(settings))
    for article in articles:
        chosen = picks.get(article.slug, [])
        article.keep_reading = [by_slug[pick.slug] for pick in chosen]
        article.keep_reading_explained = [(by_slug[pick.slug], pick.parts, pick.reason) for pick in chosen]
