"""Newsletter sign-up forms that post straight to the newsletter provider.

No JavaScript and no third-party script: every form is a plain
``<form method="post">`` whose action is the provider's own sign-up endpoint,
so it works on any static host. Forms appear after every article, inline where
an author writes ``[subscribe]`` alone on a line, in the site footer, and on a
``/subscribe/`` page; ``/subscribe/thanks/`` is the page a provider can send
readers back to. The markup comes from one macro,
``theme/templates/partials/subscribe_form.html``.

With ``SUBSCRIBE_PROVIDER = None`` the site shows no form at all, the two
pages are not written and ``[subscribe]`` markers leave nothing visible.

Settings (defaults in ``providers.DEFAULTS``):

``SUBSCRIBE_PROVIDER``
    ``"buttondown"``, ``"mailchimp"``, ``"kit"``, ``"listmonk"``,
    ``"emailoctopus"``, ``"generic"`` or ``None`` (no forms). Default ``None``.
``SUBSCRIBE_OPTIONS``
    The provider's settings, a dict. Default ``{}``. Keys per provider:
    buttondown ``username`` (required), ``tags`` (list of tag names),
    ``source_field`` (default ``"metadata__source"``); mailchimp ``action``
    (required: the embedded form's whole action URL), ``tags`` (list of
    numeric tag ids), ``source_field`` (a merge field, default none); kit
    ``form_id`` (required), ``source_field`` (default none); listmonk
    ``root_url``, ``lists`` (required); emailoctopus ``list_id`` (required),
    ``source_field`` (default none); generic ``action`` (required),
    ``email_field`` (default ``"email"``), ``hidden_fields`` (dict),
    ``honeypot_field``, ``source_field``, ``redirect_field`` (default none).
    ``"emailoctopus"`` logs a warning at start-up (its forms need
    EmailOctopus's script, which the site does not load), so a strict build
    stops on it.
``SUBSCRIBE_HEADING``
    Form heading. Default ``"Stay informed"``.
``SUBSCRIBE_PITCH``
    One-line pitch under the heading; an article may set ``subscribe_pitch:``.
    Default ``"Sign up for our newsletter to get the latest updates on this
    story and more."``.
``SUBSCRIBE_SITE_PITCH``
    The pitch of forms that are not about one story: the footer (on every
    page) and the /subscribe/ page.
    Default ``"The stories that matter, explained, in your inbox. Free."``.
``SUBSCRIBE_BUTTON``
    Button label. Default ``"Subscribe"``.
``SUBSCRIBE_LABEL``
    Label of the email field. Default ``"Email address"``.
``SUBSCRIBE_PRIVACY``
    Privacy line under the field. Default ``"We only use your address to send
    the newsletter. Unsubscribe at any time with one click."``.
``SUBSCRIBE_PAGE_TITLE`` / ``SUBSCRIBE_PAGE_PITCH``
    Title and longer pitch of ``/subscribe/`` (paragraphs split on blank
    lines). Defaults ``"Get the newsletter"`` and a two-paragraph pitch.
``SUBSCRIBE_THANKS_TITLE`` / ``SUBSCRIBE_THANKS_MESSAGE``
    Title and text of ``/subscribe/thanks/``. Defaults ``"Thanks for signing
    up"`` and a line asking the reader to confirm by email.
``SUBSCRIBE_REDIRECT_URL``
    Absolute address sent as the provider's redirect field (listmonk's
    ``next``, emailoctopus, generic with ``redirect_field``). Default ``None``: ``SITEURL`` +
    ``/subscribe/thanks/`` when ``SITEURL`` is absolute, else no redirect.
``SUBSCRIBE_ARTICLE_END``
    Show the form after every article (``subscribe: false`` in an article's
    front matter turns it off there). Default ``True``.
``SUBSCRIBE_FOOTER``
    Show the compact form in the site footer. Default ``True``.
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from plugin_support import problems
from plugin_support.flags import parse_yes_no
from plugin_support.settings import use_markdown_extension

from .extension import SubscribeExtension
from .providers import (
    DEFAULTS,
    INLINE_PLACEHOLDER,
    PAGE_URL,
    THANKS_URL,
    FormSpec,
    thanks_url,
    validate_settings,
)

__all__ = ["DEFAULTS", "FormSpec", "SubscribeExtension", "register", "validate_settings"]

PAGE_TEMPLATES = ("subscribe", "subscribe_thanks")


def _configure(pelican) -> None:
    settings = pelican.settings
    spec = validate_settings(settings)
    settings["SUBSCRIBE_FORM"] = spec.as_context(thanks_url(settings)) if spec else None
    settings["SUBSCRIBE_INLINE_PLACEHOLDER"] = INLINE_PLACEHOLDER

    templates = [t for t in settings.get("DIRECT_TEMPLATES", []) if t not in PAGE_TEMPLATES]
    if spec is not None:
        templates += PAGE_TEMPLATES
        settings.update(
            SUBSCRIBE_URL=PAGE_URL,
            SUBSCRIBE_SAVE_AS=PAGE_URL + "index.html",
            SUBSCRIBE_THANKS_URL=THANKS_URL,
            SUBSCRIBE_THANKS_SAVE_AS=THANKS_URL + "index.html",
        )
    settings["DIRECT_TEMPLATES"] = templates

    # The marker is handled even without a provider, so it never shows as text.
    use_markdown_extension(settings, SubscribeExtension, SubscribeExtension())


def _read_switch(content: Any) -> None:
    """Turn the ``subscribe:`` front-matter value into a boolean on the article."""
    raw = getattr(content, "metadata", {}).get("subscribe")
    if raw is None or isinstance(raw, bool):
        content.subscribe = True if raw is None else raw
        return
    try:
        content.subscribe = content.metadata["subscribe"] = parse_yes_no("subscribe", raw)
    except ValueError as error:
        problems.report_key(content.source_path, "subscribe", str(error))
        content.subscribe = True


def register() -> None:
    signals.initialized.connect(_configure)
    signals.content_object_init.connect(_read_switch)
