"""The story registry, and which articles belong to which running story."""

from __future__ import annotations

import bisect
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugin_support import problems
from plugin_support.settings import fill_defaults
from plugin_support.text import one_line

DEFAULTS: dict[str, Any] = {
    "RUNNING_STORIES_FILE": "stories.toml",
    "RUNNING_STORIES": {},
    "RUNNING_STORY_URL": "story/{slug}/",
    "RUNNING_STORY_SAVE_AS": "story/{slug}/index.html",
    "RUNNING_STORIES_URL": "story/",
    "RUNNING_STORIES_SAVE_AS": "story/index.html",
    "RUNNING_STORY_FEED_ATOM": "feeds/story/{slug}.atom.xml",
}
STORY_KEYS = ("title", "summary")
# Story slugs become folder names in the site, so they keep to what Pelican's own slugs use.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Where the stories with published articles are kept in the build's shared context.
CONTEXT_KEY = "running_stories"
INDEX_KEY = "running_stories_url"


@dataclass(eq=False)
class RunningStory:
    """One story the newsroom follows, with its published articles, newest first."""

    slug: str
    title: str
    summary: str
    url: str
    save_as: str
    articles: list[Any] = field(default_factory=list)
    # Where its Atom feed is written, relative to the output folder; None when the build writes no feeds.
    feed: str | None = None

    @property
    def latest(self) -> Any:
        return self.articles[0] if self.articles else None


def _path_setting(settings: dict[str, Any], key: str, *, slug: bool, optional: bool) -> None:
    value = settings[key]
    if optional and value is None:
        return
    if not isinstance(value, str) or not value.strip("/") or (slug and "{slug}" not in value):
        expected = "a path in the site containing {slug}" if slug else "a path in the site"
        raise ValueError(f"{key} must be {expected}{' or None' if optional else ''}, got {value!r}")


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults, load the registry file, and reject a registry or setting of the wrong shape."""
    fill_defaults(settings, DEFAULTS)
    registry = settings["RUNNING_STORIES"]
    if not isinstance(registry, dict):
        raise ValueError(f"RUNNING_STORIES must map story slugs to stories, got {type(registry).__name__}")
    registry = dict(registry)
    file_name = settings["RUNNING_STORIES_FILE"]
    if not isinstance(file_name, str) or not file_name.strip():
        raise ValueError(f"RUNNING_STORIES_FILE must be a file name in the content folder, got {file_name!r}")
    story_file = Path(settings["PATH"]) / file_name
    source = "RUNNING_STORIES"
    if story_file.is_file():
        source = str(story_file)
        try:
            registry.update(tomllib.loads(story_file.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{story_file}: {error}") from error
    for slug, story in registry.items():
        check_story(slug, story, source)
    settings["RUNNING_STORIES"] = {
        slug: {key: one_line(story[key]) for key in STORY_KEYS} for slug, story in registry.items()
    }
    _path_setting(settings, "RUNNING_STORY_URL", slug=True, optional=False)
    _path_setting(settings, "RUNNING_STORY_SAVE_AS", slug=True, optional=False)
    _path_setting(settings, "RUNNING_STORIES_URL", slug=False, optional=False)
    _path_setting(settings, "RUNNING_STORIES_SAVE_AS", slug=False, optional=True)
    _path_setting(settings, "RUNNING_STORY_FEED_ATOM", slug=True, optional=True)


def check_story(slug: str, story: Any, source: str) -> None:
    """Raise ``ValueError`` naming ``source`` and the table when one registry entry is not a valid story."""
    where = f"{source}: story [{slug}]"
    if not SLUG.fullmatch(slug):
        raise ValueError(f"{where}: a story slug is lower-case letters, digits and single hyphens")
    if not isinstance(story, dict):
        raise ValueError(f"{where} must be a table with {' and '.join(STORY_KEYS)}")
    unknown = sorted(set(story) - set(STORY_KEYS))
    if unknown:
        raise ValueError(f"{where} has unknown key(s) {', '.join(unknown)}; a story has {' and '.join(STORY_KEYS)}")
    missing = [key for key in STORY_KEYS if not isinstance(story.get(key), str) or not story[key].strip()]
    if missing:
        raise ValueError(f"{where} needs text for: {', '.join(missing)}")
    if re.search(r"\n\s*\n", story["summary"].strip()):
        raise ValueError(f"{where}: the summary is one paragraph, with no blank line in it")


def story_slug(article: Any) -> str:
    """The slug an article's ``Story:`` line names, or ``""``."""
    return str(getattr(article, "metadata", {}).get("story") or "").strip()


def _moment(article: Any) -> tuple[float, str]:
    # Same-time instalments need an order too: by slug, so every build agrees.
    return (article.date.timestamp(), article.slug)


def newest_first(articles: Any) -> list[Any]:
    """``articles`` by date, newest first; articles of the same time by slug, the last first."""
    return sorted(articles, key=_moment, reverse=True)


def group_stories(articles: list[Any], settings: dict[str, Any], unlisted: list[Any] = ()) -> list[RunningStory]:
    """The running stories that have published articles, the one updated most recently first.

    Every article (``articles`` are published; ``unlisted`` are hidden articles and
    drafts, which are checked and linked but never listed) gets ``running_story``,
    ``story_previous`` and ``story_next``: its story and the published instalments
    just before and after it by date, or ``None``. A ``Story:`` naming no story of
    the registry is an error on that line.
    """
    registry: dict[str, dict[str, str]] = settings["RUNNING_STORIES"]
    members: dict[str, list[Any]] = defaultdict(list)
    for article in articles:
        slug = story_slug(article)
        if slug in registry:
            members[slug].append(article)
    stories: dict[str, RunningStory] = {}
    for slug, found in members.items():
        entry = registry[slug]
        stories[slug] = RunningStory(
            slug=slug,
            title=entry["title"],
            summary=entry["summary"],
            url=settings["RUNNING_STORY_URL"].format(slug=slug),
            save_as=settings["RUNNING_STORY_SAVE_AS"].format(slug=slug),
            articles=newest_first(found),
        )
    # Oldest first, for finding an article's neighbours by date.
    timelines = {slug: story.articles[::-1] for slug, story in stories.items()}
    moments = {slug: [_moment(a) for a in timeline] for slug, timeline in timelines.items()}
    for article in [*articles, *unlisted]:
        article.running_story = article.story_previous = article.story_next = None
        slug = story_slug(article)
        if not slug:
            continue
        if slug not in registry:
            problems.report_key(
                article.source_path,
                "story",
                f'Story: "{slug}" is not a running story; check the spelling, or add a [{slug}] table with '
                f"title and summary to {settings['RUNNING_STORIES_FILE']} in the content folder",
            )
            continue
        if slug not in stories:
            continue  # a hidden article or a draft in a story nothing published belongs to yet: no page to link
        article.running_story = stories[slug]
        timeline, moment = timelines[slug], _moment(article)
        before = bisect.bisect_left(moments[slug], moment)
        after = bisect.bisect_right(moments[slug], moment)
        article.story_previous = timeline[before - 1] if before > 0 else None
        article.story_next = timeline[after] if after < len(timeline) else None
    return sorted(stories.values(), key=lambda story: _moment(story.latest), reverse=True)
