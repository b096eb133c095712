"""Corrections and updates, in public: dated notices on the story, and a page listing every correction.

Front matter, as many lines of each as needed, each a time (the site's time
zone) and a sentence, plain text::

    Correction: 2026-11-06 14:30 An earlier version of this article gave the wrong vote count; it was 6–3.
    Update: 2026-11-05 16:00 Adds the Chancellor's reaction.

An article with corrections shows them in a box at the top of the story that
readers cannot miss; updates are listed by the byline. The latest notice
becomes the article's ``modified`` time, so the "Updated" time, the
NewsArticle's ``dateModified`` (which also carries each correction as a
schema.org ``CorrectionComment``), the feeds' ``updated`` and the sitemap's
``lastmod`` all follow it. ``/corrections/`` lists every correction, newest
first, linked to its story.

A notice that does not start with a ``YYYY-MM-DD HH:MM`` time, that has no
sentence, that is dated before the article, or that is dated after the build
clock (``plugin_support.clock``) is an error on its line.

Articles get ``corrections`` and ``updates``: lists of ``Notice(when, text)``,
oldest first. Templates get ``corrections_log``: ``(notice, article)`` pairs,
newest first.

Settings (defaults in ``DEFAULTS``):

``CORRECTIONS_URL`` / ``CORRECTIONS_SAVE_AS``
    Where the corrections page is. Defaults ``"corrections/"`` and
    ``"corrections/index.html"``; a ``CORRECTIONS_SAVE_AS`` of ``""`` writes
    no page.
"""

from __future__ import annotations

from pelican import signals

from .notices import DEFAULTS, Notice, attach_notices, collect_log, validate_settings

__all__ = ["DEFAULTS", "Notice", "register"]


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)


def _attach(content) -> None:
    attach_notices(content)


def _log(generator) -> None:
    generator.context["corrections_log"] = collect_log(generator.articles)


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.content_object_init.connect(_attach)
    signals.article_generator_finalized.connect(_log)
