"""Files static hosts look for at the root of the site.

After the site is written, adds ``.nojekyll`` (so GitHub Pages serves the
files as they are, without running Jekyll, which would hide ``.well-known/``)
and, when a custom domain is set, a ``CNAME`` file holding it.

Settings (defaults in ``DEFAULTS``):

``STATIC_HOST_NOJEKYLL``
    Write ``.nojekyll``. Default ``True``.
``CNAME``
    The custom domain, a bare host name such as ``news.example.org``, or
    ``None`` for no ``CNAME`` file. Default ``None``.
"""

from __future__ import annotations

from pelican import signals

from .host_files import DEFAULTS, validate_settings, write_host_files

__all__ = ["DEFAULTS", "register"]


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)


def _write(pelican) -> None:
    write_host_files(pelican.settings)


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.finalized.connect(_write)
