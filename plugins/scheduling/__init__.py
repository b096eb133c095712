"""Scheduled stories: an article dated in the future goes live with the first build after its time.

Pelican holds back future-dated articles by the wall clock when each one is
read; this plugin does it by the build clock (``plugin_support.clock``:
``SOURCE_DATE_EPOCH`` when set, else the time the build started), the same
"now" the news sitemap uses, so a story released by a later build is inside
the news sitemap's window. For that, ``pelicanconf.py`` keeps Pelican's own
``WITH_FUTURE_DATES = True`` and this plugin decides: a published article
dated after the clock becomes a draft (not written, not listed, never in Keep
Reading).

After every build the site records what it published in a small JSON file
(``SCHEDULE_STATE_SAVE_AS``): the build clock and the slug and date of every
published article. ``invoke due`` reads the deployed copy of that file to
tell whether a scheduled story has come due since, which is how the deploy
workflow's scheduled run decides to build at all.

Settings (defaults in ``DEFAULTS``):

``SCHEDULE_HOLD_BACK``
    Hold back articles dated after the build clock. Default ``True``.
``SCHEDULE_STATE_SAVE_AS``
    The record of what the build published, in the output folder, or ``None``
    for none. Default ``"build-state.json"``.
"""

from __future__ import annotations

from pelican import signals

from .schedule import DEFAULTS, hold_back, record_state, start, validate_settings

__all__ = ["DEFAULTS", "register"]


def _start(pelican) -> None:
    validate_settings(pelican.settings)
    start(pelican.settings)


def _hold_back(content) -> None:
    hold_back(content)


def _record(generator) -> None:
    record_state(generator)


def register() -> None:
    signals.initialized.connect(_start)
    signals.content_object_init.connect(_hold_back)
    signals.article_generator_finalized.connect(_record)
