"""A Content-Security-Policy for every page: the browser runs nothing the site did not ship.

Static hosts such as GitHub Pages cannot send headers, so the policy travels in
a ``<meta http-equiv="Content-Security-Policy">`` at the top of every page's
head (``theme/templates/partials/content_security_policy.html``). Scripts,
styles and fonts come from the site only (no inline script or style), images
from the site and any ``https:`` address, forms post only to the site and the
configured newsletter provider (``SUBSCRIBE_FORM``, from the subscribe
plugin's settings), frames and plugins only from ``CONTENT_EMBED_HOSTS``, and
nothing may change the page's base URL. The content checks make sure no
article carries what this policy would block.

The policy is worked out when the first generator starts, after every plugin
has read its settings, and given to templates as ``CONTENT_SECURITY_POLICY``.
Pages that run WebAssembly (the search page sets ``runs_webassembly``) use
``CONTENT_SECURITY_POLICY_WEBASSEMBLY``: the same policy plus
``'wasm-unsafe-eval'`` (compiling WebAssembly, not ``eval``). The search
form's fallback engine (``SEARCH_FORM``, from the site_search plugin's
settings) is allowed as a form target like the newsletter provider.

Settings (defaults in ``DEFAULTS``):

``CONTENT_SECURITY_POLICY``
    ``None`` (default): the policy above. A string: that policy instead, as
    written, on every page (the search page included). ``""``: no policy on the pages.
``CONTENT_SECURITY_SCRIPT_HASHES``
    Hashes (``"sha256-<base64>"``, see ``policy.script_hash``) of inline
    scripts the policy allows. Default ``[]``; ``invoke livereload`` adds the
    one its reload snippet needs.
"""

from __future__ import annotations

from pelican import signals

from .policy import DEFAULTS, policy_for, script_hash, validate_settings

__all__ = ["DEFAULTS", "policy_for", "register", "script_hash"]


def _check_settings(pelican) -> None:
    validate_settings(pelican.settings)


def _give_to_templates(generator) -> None:
    context = generator.context
    if context.get("CONTENT_SECURITY_POLICY") is None:
        context["CONTENT_SECURITY_POLICY"] = policy_for(context)
        context["CONTENT_SECURITY_POLICY_WEBASSEMBLY"] = policy_for(context, webassembly=True)
    elif "CONTENT_SECURITY_POLICY_WEBASSEMBLY" not in context:
        context["CONTENT_SECURITY_POLICY_WEBASSEMBLY"] = context["CONTENT_SECURITY_POLICY"]


def register() -> None:
    signals.initialized.connect(_check_settings)
    signals.generator_init.connect(_give_to_templates)
