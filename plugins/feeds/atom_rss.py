"""Corrections to Pelican's Atom and RSS items, applied before they are written."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from plugin_support.urls import site_url

from .links import absolute_links

# Where the link → article map is kept in the build's shared context.
_BY_LINK_KEY = "_feeds_articles_by_link"


def _without_query(url: str) -> str:
    # FEED_APPEND_REF adds ?ref=feed to item links; the article is the same.
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _articles_by_link(context: dict[str, Any]) -> dict[str, Any]:
    """Every article (and translation) by its public URL; made once per build, shared by all its feeds."""
    cached = context.get(_BY_LINK_KEY)
    if cached is None:
        siteurl = context.get("SITEURL", "")
        cached = context[_BY_LINK_KEY] = {
            site_url(siteurl, version.url): version
            for article in context.get("articles", [])
            for version in (article, *getattr(article, "translations", []))
        }
    return cached


def correct_feed(context: dict[str, Any], feed: Any) -> None:
    """Give each item of ``feed`` its plain-text title and summary and absolute links.

    ``feed`` is a ``feedgenerator`` feed; its items are dicts keyed as
    ``add_item`` takes them. Items are matched to articles by their link.
    """
    by_link = _articles_by_link(context)
    for item in feed.items:
        article = by_link.get(_without_query(item["link"]))
        if article is None:
            continue
        item["title"] = article.title
        names = [author.name for author in getattr(article, "authors", [])]
        if names:
            item["author_name"] = ", ".join(names)
        for key in ("content", "description"):
            if item.get(key):
                item[key] = absolute_links(item[key], item["link"])
        summary = article.metadata.get("summary")
        if summary is not None and item.get("description") == absolute_links(article.summary, item["link"]):
            # Front-matter summaries are plain text; the feed field holds HTML.
            item["description"] = escape(summary)
