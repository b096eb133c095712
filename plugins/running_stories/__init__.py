"""Running stories: the articles that follow one story over weeks, gathered on a page of their own.

An article joins a story with a ``Story: <slug>`` front-matter line. The
stories are registered in a TOML file in the content folder
(``content/stories.toml``): a table per story keyed by its slug (lower-case
letters, digits and hyphens), each with a ``title`` and a ``summary`` (one
paragraph of plain text). The file is read and checked at start-up: broken
TOML, a missing or empty field, an unknown key or a bad slug stops the build,
naming the file and the table. A ``Story:`` that names no registered story is
an error on that line (``plugin_support.problems``); a registered story with
no published article is fine and gets no page.

Once the articles are read (``article_generator_finalized``), every article
gets ``running_story`` (a ``stories.RunningStory``, or ``None``) and
``story_previous`` / ``story_next``: the published articles of the same story
just before and after it by date, or ``None``. Hidden articles and drafts are
linked to their story but never listed in it. The stories that have published
articles are in the template context as ``running_stories``, the one updated
most recently first, and ``running_stories_url`` is the index's URL (``None``
when there is no index to link).

A generator (``get_generators``) then writes, through Pelican's writer:

* a page per story (theme template ``story.html``, context ``running_story``
  and ``articles``, newest first);
* an index of every story (``stories.html``, context ``running_stories``);
* an Atom feed per story (Pelican's ``write_feed``), only when the site has
  feeds at all (``FEED_ALL_ATOM`` is set, as ``publishconf.py`` does), since
  feeds need absolute URLs. ``running_story.feed`` is its path, or ``None``.
  Its home page and id are the story page (``feed_generated``), not the
  site's home as Pelican would have it.

Settings (defaults in ``DEFAULTS``):

``RUNNING_STORIES_FILE``
    The TOML registry, relative to the content folder. Default
    ``"stories.toml"``; when the file does not exist there are no stories.
``RUNNING_STORIES``
    Stories given directly in the settings, ``{slug: {"title", "summary"}}``;
    the file's tables are added to them. Default ``{}``.
``RUNNING_STORY_URL``
    URL of a story page; must contain ``{slug}``. Default ``"story/{slug}/"``.
``RUNNING_STORY_SAVE_AS``
    Where a story page is written; must contain ``{slug}``.
    Default ``"story/{slug}/index.html"``.
``RUNNING_STORIES_URL``
    URL of the index of stories. Default ``"story/"``.
``RUNNING_STORIES_SAVE_AS``
    Where the index is written, or ``None`` for no index. Default ``"story/index.html"``.
``RUNNING_STORY_FEED_ATOM``
    Where a story's Atom feed is written; must contain ``{slug}``, or ``None``
    for no story feeds. Default ``"feeds/story/{slug}.atom.xml"``.
"""

from __future__ import annotations

from pelican import signals

from .pages import StoryGenerator, point_feed_at_story, story_feeds
from .stories import CONTEXT_KEY, DEFAULTS, INDEX_KEY, group_stories, validate_settings

__all__ = ["DEFAULTS", "register"]


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)


def _group(generator) -> None:
    stories = group_stories(
        generator.articles, generator.settings, unlisted=[*generator.hidden_articles, *generator.drafts]
    )
    story_feeds(stories, generator.settings)
    generator.context[CONTEXT_KEY] = stories
    # Every page's footer links the index; a plain string keeps the footer from depending on every story's
    # articles, so a page the last build wrote stays reusable when a story gains or loses one.
    has_index = stories and generator.settings["RUNNING_STORIES_SAVE_AS"]
    generator.context[INDEX_KEY] = generator.settings["RUNNING_STORIES_URL"] if has_index else None


def _supply_generator(pelican) -> type[StoryGenerator]:
    return StoryGenerator


def _point_feed(context, feed) -> None:
    point_feed_at_story(context, feed)


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.article_generator_finalized.connect(_group)
    signals.get_generators.connect(_supply_generator)
    signals.feed_generated.connect(_point_feed)
