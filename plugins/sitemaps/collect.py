"""Gathering the pages a build writes, and writing the sitemaps and robots.txt when it ends."""

from __future__ import annotations

import functools
import logging
import os
import re
import subprocess
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from plugin_support import clock
from plugin_support.settings import fill_defaults
from plugin_support.urls import site_url

from .documents import (
    NewsEntry,
    PageEntry,
    chunks,
    newest,
    news_urlset,
    recent_news,
    robots_txt,
    sitemap_index,
    urlset,
)

logger = logging.getLogger(__name__)

MAX_URLS_PER_SITEMAP = 50_000
MAX_NEWS_URLS = 1_000

DEFAULTS: dict[str, Any] = {
    "SITEMAP_SAVE_AS": "sitemap.xml",
    "SITEMAP_CHILD_SAVE_AS": "sitemap-{number}.xml",
    "SITEMAP_MAX_URLS": MAX_URLS_PER_SITEMAP,
    "SITEMAP_EXCLUDE": ["404.html", "drafts/*"],
    "NEWS_SITEMAP_SAVE_AS": "news-sitemap.xml",
    "NEWS_SITEMAP_HOURS": 48,
    "NEWS_SITEMAP_MAX_URLS": MAX_NEWS_URLS,
    "NEWS_PUBLICATION_NAME": None,
    "NEWS_PUBLICATION_LANGUAGE": None,
    "ROBOTS_TXT_SAVE_AS": "robots.txt",
}


def _is_whole_number(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults and reject settings of the wrong shape at start-up."""
    fill_defaults(settings, DEFAULTS)
    for key in ("SITEMAP_SAVE_AS", "NEWS_SITEMAP_SAVE_AS", "ROBOTS_TXT_SAVE_AS"):
        if settings[key] is not None and (not isinstance(settings[key], str) or not settings[key].strip("/")):
            raise ValueError(f"{key} must be a file path in the output folder or None, got {settings[key]!r}")
    child = settings["SITEMAP_CHILD_SAVE_AS"]
    if not isinstance(child, str) or "{number}" not in child:
        raise ValueError(f"SITEMAP_CHILD_SAVE_AS must be a file path containing {{number}}, got {child!r}")
    if not _is_whole_number(settings["SITEMAP_MAX_URLS"], 1, MAX_URLS_PER_SITEMAP):
        raise ValueError(
            f"SITEMAP_MAX_URLS must be a whole number from 1 to 50000, got {settings['SITEMAP_MAX_URLS']!r}"
        )
    if not _is_whole_number(settings["NEWS_SITEMAP_MAX_URLS"], 1, MAX_NEWS_URLS):
        raise ValueError(
            f"NEWS_SITEMAP_MAX_URLS must be a whole number from 1 to 1000, got {settings['NEWS_SITEMAP_MAX_URLS']!r}"
        )
    hours = settings["NEWS_SITEMAP_HOURS"]
    if not isinstance(hours, int | float) or isinstance(hours, bool) or hours <= 0:
        raise ValueError(f"NEWS_SITEMAP_HOURS must be a positive number of hours, got {hours!r}")
    exclude = settings["SITEMAP_EXCLUDE"]
    if not isinstance(exclude, list | tuple) or not all(isinstance(pattern, str) for pattern in exclude):
        raise ValueError(f"SITEMAP_EXCLUDE must be a list of file patterns, got {exclude!r}")
    for key in ("NEWS_PUBLICATION_NAME", "NEWS_PUBLICATION_LANGUAGE"):
        if settings[key] is not None and (not isinstance(settings[key], str) or not settings[key].strip()):
            raise ValueError(f"{key} must be a non-empty string or None, got {settings[key]!r}")


class BuildPages:
    """What one build wrote: every listed page and every article for the news sitemap."""

    def __init__(self, siteurl: str, exclude: list[str]) -> None:
        self.siteurl = siteurl.rstrip("/") + "/"
        self.exclude = list(exclude)
        self.pages: dict[str, PageEntry] = {}
        self.news: dict[str, NewsEntry] = {}

    def url(self, output_file: str) -> str:
        return site_url(self.siteurl, output_file.replace(os.sep, "/"))

    def add(self, context: dict[str, Any]) -> None:
        output_file = context.get("output_file")
        if not output_file or not output_file.endswith(".html"):
            return
        if any(fnmatch(output_file, pattern) for pattern in self.exclude):
            return
        loc = self.url(output_file)
        item = context.get("article") or context.get("page")
        if item is not None:
            if getattr(item, "status", "published") != "published":
                return
            canonical = item.metadata.get("canonical")
            if canonical and canonical.rstrip("/") != loc.rstrip("/"):
                return  # a syndicated copy: the original is the one to index
            self.pages[loc] = PageEntry(loc, _content_lastmod(item))
            if context.get("article") is not None:
                self.news[loc] = NewsEntry(loc, str(item.title), item.date)
            return
        self.pages[loc] = PageEntry(loc, _listing_lastmod(context))


def _content_lastmod(item: Any) -> datetime | None:
    when = getattr(item, "modified", None) or getattr(item, "date", None)
    if when is not None:
        return when
    source = getattr(item, "source_path", None)
    return last_commit_time(os.path.abspath(source)) if source else None


@functools.cache
def last_commit_time(path: str) -> datetime | None:
    """When git last committed the file at ``path``; ``None`` outside a git checkout or for an uncommitted file.

    Never the file's modification time: two checkouts of one commit must build
    the same site, whenever their files were written.
    """
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", os.path.basename(path)],
            cwd=os.path.dirname(path),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = result.stdout.strip()
    return datetime.fromtimestamp(int(stamp), tz=UTC) if result.returncode == 0 and stamp.isdigit() else None


def _listing_lastmod(context: dict[str, Any]) -> datetime | None:
    page = context.get("articles_page")
    listed = page.object_list if page is not None else context.get("dates") or context.get("articles") or []
    dates = [getattr(a, "modified", None) or a.date for a in listed if getattr(a, "date", None) is not None]
    return max(dates) if dates else None


# One collector per output folder, so two builds in one process do not mix.
_builds: dict[str, BuildPages] = {}


def _absolute(siteurl: str | None) -> bool:
    return bool(re.match(r"https?://", siteurl or ""))


def start_build(settings: dict[str, Any]) -> None:
    """Forget any earlier build into the same folder and start collecting."""
    key = str(settings["OUTPUT_PATH"])
    _builds.pop(key, None)
    if _absolute(settings.get("SITEURL")):
        _builds[key] = BuildPages(settings["SITEURL"], settings["SITEMAP_EXCLUDE"])
    else:
        logger.info("No sitemaps or robots.txt: SITEURL %r is not an absolute URL", settings.get("SITEURL"))


def record_page(context: dict[str, Any]) -> None:
    """Note one written page (the ``content_written`` signal's local context)."""
    key = str(context.get("OUTPUT_PATH"))
    if key in _builds:
        _builds[key].add(context)


def _write(output: Path, relative: str, data: bytes) -> None:
    target = output / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    logger.info('Writing "%s"', target)


def finish_build(settings: dict[str, Any], now: datetime | None = None) -> None:
    """Write the sitemap (or index and children), the news sitemap and robots.txt."""
    collected = _builds.pop(str(settings["OUTPUT_PATH"]), None)
    if collected is None:
        return
    output = Path(settings["OUTPUT_PATH"])
    now = now or clock.now(settings)
    announced: list[str] = []

    if settings["SITEMAP_SAVE_AS"]:
        entries = sorted(collected.pages.values(), key=lambda entry: entry.loc)
        limit = settings["SITEMAP_MAX_URLS"]
        if len(entries) <= limit:
            _write(output, settings["SITEMAP_SAVE_AS"], urlset(entries))
        else:
            children = []
            for number, group in enumerate(chunks(entries, limit), start=1):
                relative = settings["SITEMAP_CHILD_SAVE_AS"].format(number=number)
                _write(output, relative, urlset(group))
                children.append(PageEntry(collected.url(relative), newest(group)))
            _write(output, settings["SITEMAP_SAVE_AS"], sitemap_index(children))
        announced.append(collected.url(settings["SITEMAP_SAVE_AS"]))

    if settings["NEWS_SITEMAP_SAVE_AS"]:
        recent = recent_news(
            collected.news.values(), now, settings["NEWS_SITEMAP_HOURS"], settings["NEWS_SITEMAP_MAX_URLS"]
        )
        name = settings["NEWS_PUBLICATION_NAME"] or settings["SITENAME"]
        language = settings["NEWS_PUBLICATION_LANGUAGE"] or settings.get("DEFAULT_LANG") or "en"
        _write(output, settings["NEWS_SITEMAP_SAVE_AS"], news_urlset(recent, name, language))
        announced.append(collected.url(settings["NEWS_SITEMAP_SAVE_AS"]))

    if settings["ROBOTS_TXT_SAVE_AS"]:
        _write(output, settings["ROBOTS_TXT_SAVE_AS"], robots_txt(announced).encode("utf-8"))
