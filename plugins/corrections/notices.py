"""Reading, checking and collecting correction and update notices."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from pelican.contents import Article
from plugin_support import clock, problems
from plugin_support.settings import fill_defaults

DEFAULTS: dict[str, Any] = {"CORRECTIONS_URL": "corrections/", "CORRECTIONS_SAVE_AS": "corrections/index.html"}
NOTICE = re.compile(r"^\s*(?P<when>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2})\s+(?P<text>\S.*)$", re.DOTALL)
KINDS = {"correction": "corrections", "update": "updates"}


class Notice(NamedTuple):
    """One dated correction or update."""

    when: datetime
    text: str


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in the defaults and add the corrections page to Pelican's direct templates."""
    fill_defaults(settings, DEFAULTS)
    for key in DEFAULTS:
        if not isinstance(settings[key], str):
            raise ValueError(f"{key} must be a path (or an empty string for no page), got {settings[key]!r}")
    templates = [name for name in settings.get("DIRECT_TEMPLATES", []) if name != "corrections"]
    if settings["CORRECTIONS_SAVE_AS"]:
        templates.append("corrections")
    settings["DIRECT_TEMPLATES"] = templates


def entries(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


def attach_notices(content: Any) -> None:
    """Read an article's notices, report the bad ones on their lines, and let the latest set ``modified``."""
    if not isinstance(content, Article):
        return
    settings = content.settings
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    latest = getattr(content, "modified", None) or content.date
    for key, attribute in KINDS.items():
        written = entries(content.metadata.get(key))
        # The file is read again for the lines only when it has notices: most articles have none.
        lines = problems.key_lines(content.source_path, key) if written else []
        notices = []
        for number, text in enumerate(written):
            line = lines[number] if number < len(lines) else (lines[-1] if lines else 1)
            notice = read_notice(text, key, zone, content.date, clock.now(settings))
            if isinstance(notice, str):
                problems.report(content.source_path, line, notice)
                continue
            notices.append(notice)
            latest = max(latest, notice.when)
        setattr(content, attribute, sorted(notices))
    if latest != (getattr(content, "modified", None) or content.date):
        content.modified = latest
        content.metadata["modified"] = latest


def read_notice(text: str, key: str, zone: ZoneInfo, published: datetime, now: datetime) -> Notice | str:
    """The notice written as ``text``, or what is wrong with it."""
    label = key.title()
    match = NOTICE.match(text)
    if match is None:
        return f'{label}: "{text.strip()[:60]}" must start with its time, YYYY-MM-DD HH:MM, then the sentence'
    when = datetime.fromisoformat(match["when"].replace(" ", "T")).replace(tzinfo=zone)
    if when < published:
        return f"{label}: {match['when']} is before the article was published ({published:%Y-%m-%d %H:%M})"
    if when > now:
        return f"{label}: {match['when']} is in the future; date it when it is made"
    return Notice(when, " ".join(match["text"].split()))


def collect_log(articles: list[Any]) -> list[tuple[Notice, Any]]:
    """Every correction of every published article, newest first."""
    log = [(notice, article) for article in articles for notice in getattr(article, "corrections", [])]
    return sorted(log, key=lambda pair: (pair[0].when, pair[1].slug), reverse=True)
