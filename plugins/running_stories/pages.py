"""Writing the story pages, the story index and each story's Atom feed through Pelican's writer."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator
from plugin_support.urls import site_url

from .stories import CONTEXT_KEY, RunningStory, newest_first


def story_feeds(stories: list[RunningStory], settings: dict[str, Any]) -> None:
    """Set where each story's feed goes: only where the site has feeds at all, since they need absolute URLs."""
    pattern = settings.get("RUNNING_STORY_FEED_ATOM")
    for story in stories:
        story.feed = pattern.format(slug=story.slug) if pattern and settings.get("FEED_ALL_ATOM") else None


def point_feed_at_story(context: dict[str, Any], feed: Any) -> None:
    """Make a story feed's home page, and its id, the story page (``feed_generated``).

    Pelican gives every feed the site's home as both, so two feeds would share one id.
    """
    stories: list[RunningStory] = context.get(CONTEXT_KEY) or []
    domain = context.get("FEED_DOMAIN") or context.get("SITEURL", "")
    story = next((s for s in stories if s.feed and site_url(domain, s.feed) == feed.feed.get("feed_url")), None)
    if story is not None:
        feed.feed["link"] = feed.feed["id"] = site_url(context.get("SITEURL", ""), story.url)


class StoryGenerator(Generator):
    """Writes ``story.html`` for every story with published articles, ``stories.html`` for all of them, and feeds.

    Pages go through ``writer.write_file`` like Pelican's own listings, so the
    sitemaps see them (``content_written``) and they get the site's head.
    """

    def generate_output(self, writer: Any) -> None:
        stories: list[RunningStory] = self.context.get(CONTEXT_KEY) or []
        if not stories:
            return
        relative_urls = self.settings["RELATIVE_URLS"]
        template = self.get_template("story")
        for story in stories:
            writer.write_file(
                story.save_as,
                template,
                self.context,
                relative_urls=relative_urls,
                template_name="story",
                url=story.url,
                running_story=story,
                # As Pelican gives a section page its articles; the sitemap dates the page by them.
                articles=story.articles,
                dates=story.articles,
            )
            if story.feed:
                writer.write_feed(story.articles, self.context, story.feed, feed_title=story.title)
        if self.settings["RUNNING_STORIES_SAVE_AS"]:
            every_article = newest_first(article for story in stories for article in story.articles)
            writer.write_file(
                self.settings["RUNNING_STORIES_SAVE_AS"],
                self.get_template("stories"),
                self.context,
                relative_urls=relative_urls,
                template_name="stories",
                url=self.settings["RUNNING_STORIES_URL"],
                running_stories=stories,
                articles=every_article,
                dates=every_article,
            )
