"""The build clock: one "now" for everything time-dependent in a build.

Holding back articles dated in the future, the news sitemap's window and the
record of what a deployment published must all agree on what "now" is, or a
story released by a later build could miss the news sitemap. The clock is
``SOURCE_DATE_EPOCH`` when that environment variable is set (the deploy
workflow sets it: the commit time on a push, the run's start on a scheduled
run), else the time the build started. ``start`` reads it once per build into
the ``BUILD_CLOCK`` setting; ``now`` gives every plugin that same instant.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from datetime import UTC, datetime
from typing import Any


def read_clock(environ: Mapping[str, str] = os.environ) -> datetime:
    """``SOURCE_DATE_EPOCH`` as an aware UTC datetime when it is set, else the current time."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except ValueError as error:
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}") from error
    return datetime.now(tz=UTC)


def start(settings: MutableMapping[str, Any], environ: Mapping[str, str] = os.environ) -> datetime:
    """Fix this build's clock in ``BUILD_CLOCK`` (once: a second call keeps the first instant)."""
    if not isinstance(settings.get("BUILD_CLOCK"), datetime):
        settings["BUILD_CLOCK"] = read_clock(environ)
    return settings["BUILD_CLOCK"]


def now(settings: Mapping[str, Any]) -> datetime:
    """This build's "now": ``BUILD_CLOCK`` once a build has started, else the clock read afresh."""
    clock = settings.get("BUILD_CLOCK")
    return clock if isinstance(clock, datetime) else read_clock()
