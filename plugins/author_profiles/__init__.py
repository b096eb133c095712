"""Author profiles: a bio and a role for every byline.

Reads the author profiles from a TOML file in the content folder
(``content/authors.toml``): a table per author keyed by the author's slug, each
with ``name``, ``role`` and ``bio``. After the articles are read, every Pelican
``Author`` object gets ``profile`` (the dict), ``bio`` and ``role``, so the
author page and bylines can show them. A byline with no profile is an error
in every article that carries it, at the ``Authors:`` line
(``plugin_support.problems``), so a misspelt name does not quietly get a
bio-less page of its own.

Settings (defaults in ``DEFAULTS``):

``AUTHOR_PROFILES_FILE``
    The TOML file, relative to the content folder. Default ``"authors.toml"``;
    when the file does not exist there are no profiles.
``AUTHOR_PROFILES``
    Profiles given directly in the settings, ``{slug: {"name", "role", "bio"}}``;
    the file's tables are added to them. Default ``{}``.
"""

from __future__ import annotations

from pelican import signals

from .profiles import DEFAULTS, attach_profiles, validate_settings

__all__ = ["DEFAULTS", "register"]


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)


def _attach(generator) -> None:
    attach_profiles(generator.articles, generator.authors, generator.settings)


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.article_generator_finalized.connect(_attach)
