"""Holding back future-dated articles by the build clock, and recording what a build published."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pelican.contents import Article
from plugin_support import clock
from plugin_support.settings import fill_defaults

DEFAULTS: dict[str, Any] = {"SCHEDULE_HOLD_BACK": True, "SCHEDULE_STATE_SAVE_AS": "build-state.json"}


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in the defaults; reject values of the wrong shape at start-up."""
    fill_defaults(settings, DEFAULTS)
    if not isinstance(settings["SCHEDULE_HOLD_BACK"], bool):
        raise ValueError(f"SCHEDULE_HOLD_BACK must be True or False, got {settings['SCHEDULE_HOLD_BACK']!r}")
    state = settings["SCHEDULE_STATE_SAVE_AS"]
    if state is not None and (not isinstance(state, str) or not state or os.path.isabs(state)):
        raise ValueError(f"SCHEDULE_STATE_SAVE_AS must be a file name in the output folder or None, got {state!r}")


def start(settings: dict[str, Any]) -> None:
    """Read the build clock once, for every plugin of this build."""
    clock.start(settings)


def hold_back(content: Any) -> None:
    """Make a published article dated after the build clock a draft: it goes live with a later build."""
    settings = getattr(content, "settings", {})
    if not isinstance(content, Article) or not settings.get("SCHEDULE_HOLD_BACK", True):
        return
    date = getattr(content, "date", None)
    if content.status == "published" and date is not None and date > clock.now(settings):
        content.status = "draft"


def state_of(articles: list[Any], settings: dict[str, Any]) -> dict[str, Any]:
    """What a build published: its clock, and each article's slug and date, in a stable order."""
    return {
        "clock": clock.now(settings).isoformat(),
        "articles": sorted(({"slug": a.slug, "date": a.date.isoformat()} for a in articles), key=lambda a: a["slug"]),
    }


def record_state(generator: Any) -> None:
    """Write the record of what this build publishes into the output folder."""
    settings = generator.settings
    name = settings.get("SCHEDULE_STATE_SAVE_AS")
    if not name or settings.get("BUILD_CHECK_ONLY"):
        return
    state = state_of([*generator.articles, *generator.translations], settings)
    target = Path(settings["OUTPUT_PATH"]) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(state, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
