"""Redirects: old addresses of moved stories keep working on any static host.

The redirects are data, in a text file in the content folder
(``content/redirects.txt``) that ``invoke import`` appends to and editors may
edit: one redirect a line, the old path and then the target, separated by
spaces; ``#`` starts a comment::

    /p/eu-steel-safeguard-review   {filename}/articles/2025/eu-steel-safeguard-review.md
    /p/old-name                    /section/trade/

The target is a ``{filename}`` link to an article or page, a path of this
site, or an absolute ``https://`` address. For every redirect the build writes
``<old path>/index.html``: a page that sends the browser on at once
(``<meta http-equiv="refresh">``), names the target as canonical, asks search
engines not to index it and shows a plain link for anyone it does not send.
These pages are written after the site, outside Pelican's writer, so they
are in no sitemap and no feed. A ``_redirects`` file lists the same
redirects, ``/old /new 301``, for hosts that read one (Netlify, Cloudflare
Pages).

Each line is checked once every file is read, and a problem is an error on
its line of the redirects file (``plugin_support.problems``): an old path
that is not a site path, given twice, or that a page of the site already
has; a target that is no file or page of the site; redirects that lead back
to themselves. A redirect whose target is another redirect's old path leads
straight to that one's final target.

Settings (defaults in ``DEFAULTS``):

``REDIRECTS_FILE``
    The redirects file, relative to the content folder; when it does not
    exist there are no redirects. Default ``"redirects.txt"``.
``REDIRECTS_HOST_FILE``
    The host redirects file written at the root of the site, or ``None`` for
    none. Default ``"_redirects"``.
"""

from __future__ import annotations

from pelican import signals

from .redirects import DEFAULTS, Redirects, validate_settings

__all__ = ["DEFAULTS", "register"]

# The redirects of the build in progress, resolved once every file is read.
_current = Redirects()


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)
    _current.clear()


def _resolve(generators) -> None:
    _current.resolve(generators)


def _write(pelican) -> None:
    _current.write(pelican.settings)


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.all_generators_finalized.connect(_resolve)
    signals.finalized.connect(_write)
