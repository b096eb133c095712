"""JSON Feed 1.1 documents built from Pelican articles and written next to the Atom and RSS feeds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from plugin_support.settings import fill_defaults
from plugin_support.text import one_line, plain_text
from plugin_support.urls import site_url

from .links import absolute_links

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

DEFAULTS: dict[str, Any] = {
    "JSON_FEED_ALL": None,
    "JSON_FEED_CATEGORY": None,
    "JSON_FEED_MAX_ITEMS": None,
}


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults and reject settings of the wrong shape at start-up."""
    fill_defaults(settings, DEFAULTS)
    for key in ("JSON_FEED_ALL", "JSON_FEED_CATEGORY"):
        value = settings[key]
        if value is not None and (not isinstance(value, str) or not value.strip("/")):
            raise ValueError(
                f"{key} must be a path in the output folder such as 'feeds/all.json' or None, got {value!r}"
            )
    if settings["JSON_FEED_CATEGORY"] is not None and "{slug}" not in settings["JSON_FEED_CATEGORY"]:
        raise ValueError(f"JSON_FEED_CATEGORY must contain {{slug}}, got {settings['JSON_FEED_CATEGORY']!r}")
    limit = settings["JSON_FEED_MAX_ITEMS"]
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValueError(f"JSON_FEED_MAX_ITEMS must be a positive whole number or None, got {limit!r}")
    if (settings["JSON_FEED_ALL"] or settings["JSON_FEED_CATEGORY"]) and not re.match(
        r"https?://", settings.get("SITEURL") or ""
    ):
        raise ValueError(
            f"JSON_FEED_ALL/JSON_FEED_CATEGORY need an absolute SITEURL (https://…), got {settings.get('SITEURL')!r}"
        )


def plain_summary(article: Any) -> str:
    """The front-matter summary as written, else the text of Pelican's generated summary."""
    summary = article.metadata.get("summary")
    if summary is not None:
        return one_line(summary)
    return plain_text(article.summary)


def feed_item(article: Any, siteurl: str) -> dict[str, Any]:
    """One JSON Feed item for ``article``; every URL absolute under ``siteurl``."""
    url = site_url(siteurl, article.url)
    published = article.date
    modified = getattr(article, "modified", None) or published
    item: dict[str, Any] = {
        "id": url,
        "url": url,
        "title": article.title,
        "content_html": absolute_links(article.get_content(siteurl), url),
        "summary": plain_summary(article),
        "date_published": published.isoformat(),
        "date_modified": modified.isoformat(),
        "authors": [{"name": a.name, "url": site_url(siteurl, a.url)} for a in getattr(article, "authors", [])],
        "tags": [tag.name for tag in getattr(article, "tags", [])],
    }
    if getattr(article, "image", None):
        item["image"] = site_url(siteurl, article.image)
    if getattr(article, "lang", None):
        item["language"] = article.lang
    return item


def json_feed(
    articles: list[Any], settings: dict[str, Any], *, feed_path: str, title: str, home_path: str = ""
) -> dict[str, Any]:
    """A whole JSON Feed document listing ``articles`` (newest first, as given)."""
    siteurl = settings["SITEURL"]
    limit = settings.get("JSON_FEED_MAX_ITEMS") or settings.get("FEED_MAX_ITEMS")
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": site_url(siteurl, home_path),
        "feed_url": site_url(siteurl, feed_path),
        "language": settings.get("DEFAULT_LANG", "en"),
        "items": [feed_item(article, siteurl) for article in articles[:limit]],
    }
    description = settings.get("SITESUBTITLE") or settings.get("SITE_DESCRIPTION")
    if description:
        document["description"] = description
    return document


def _write(output_path: str, relative: str, document: dict[str, Any]) -> None:
    target = Path(output_path) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_json_feeds(generator: Any) -> None:
    """Write the configured JSON Feeds for an ``ArticlesGenerator`` after its pages are written."""
    settings = generator.settings
    sitename = settings["SITENAME"]
    if settings.get("JSON_FEED_ALL"):
        path = settings["JSON_FEED_ALL"]
        _write(
            generator.output_path, path, json_feed(list(generator.articles), settings, feed_path=path, title=sitename)
        )
    if settings.get("JSON_FEED_CATEGORY"):
        for category, articles in generator.categories:
            path = settings["JSON_FEED_CATEGORY"].format(slug=category.slug)
            document = json_feed(
                list(articles), settings, feed_path=path, title=f"{sitename} - {category.name}", home_path=category.url
            )
            _write(generator.output_path, path, document)
