"""Settings and the provider model: what each newsletter service's form posts.

Every provider is turned into one ``FormSpec``: the action URL, the name of
the email field, fixed hidden fields, and the names (or ``None``) of the
honeypot, the sign-up source field and the redirect field. The theme renders
a ``FormSpec`` with one Jinja macro, so all placements share the same markup.

Which documentation each mapping follows is said next to the mapping, so the
field names can be checked against it when a provider changes its form.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from plugin_support.settings import fill_defaults

DEFAULTS: dict[str, Any] = {
    "SUBSCRIBE_PROVIDER": None,
    "SUBSCRIBE_OPTIONS": {},
    "SUBSCRIBE_HEADING": "Stay informed",
    "SUBSCRIBE_PITCH": "Sign up for our newsletter to get the latest updates on this story and more.",
    "SUBSCRIBE_SITE_PITCH": "The stories that matter, explained, in your inbox. Free.",
    "SUBSCRIBE_BUTTON": "Subscribe",
    "SUBSCRIBE_LABEL": "Email address",
    "SUBSCRIBE_PRIVACY": "We only use your address to send the newsletter. Unsubscribe at any time with one click.",
    "SUBSCRIBE_PAGE_TITLE": "Get the newsletter",
    "SUBSCRIBE_PAGE_PITCH": (
        "Atlas News explains the week in geopolitics, trade, technology, the economy and climate "
        "without the noise. Sign up and our editors send you the stories that matter, with the "
        "context to understand them.\n\n"
        "It is free. You will get a confirmation email first; nothing arrives until you confirm."
    ),
    "SUBSCRIBE_THANKS_TITLE": "Thanks for signing up",
    "SUBSCRIBE_THANKS_MESSAGE": (
        "Check your inbox: we have sent you an email to confirm your address. "
        "Once you confirm, the newsletter is on its way."
    ),
    "SUBSCRIBE_REDIRECT_URL": None,
    "SUBSCRIBE_ARTICLE_END": True,
    "SUBSCRIBE_FOOTER": True,
}

TEXT_SETTINGS = (
    "SUBSCRIBE_HEADING",
    "SUBSCRIBE_PITCH",
    "SUBSCRIBE_SITE_PITCH",
    "SUBSCRIBE_BUTTON",
    "SUBSCRIBE_LABEL",
    "SUBSCRIBE_PRIVACY",
    "SUBSCRIBE_PAGE_TITLE",
    "SUBSCRIBE_PAGE_PITCH",
    "SUBSCRIBE_THANKS_TITLE",
    "SUBSCRIBE_THANKS_MESSAGE",
)

# The Markdown extension leaves this where an author wrote ``[subscribe]``;
# the article template splits the body on it and renders the form there.
INLINE_PLACEHOLDER = "<!--atlas-subscribe-inline-->"
MARKER = "[subscribe]"
# Where the two pages are written; Pelican reads <TEMPLATE>_URL/_SAVE_AS for direct templates.
PAGE_URL = "subscribe/"
THANKS_URL = "subscribe/thanks/"

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
FIELD_NAME = re.compile(r"^[A-Za-z0-9_\-\[\]:.]+$")


@dataclass(frozen=True)
class FormSpec:
    """Everything the theme needs to render a provider's sign-up form."""

    provider: str
    action: str
    email_field: str
    hidden: tuple[tuple[str, str], ...] = ()
    honeypot: str | None = None
    source_field: str | None = None
    redirect_field: str | None = None

    def as_context(self, redirect_url: str | None) -> dict[str, Any]:
        """The plain dict templates read (``SUBSCRIBE_FORM``)."""
        return {
            "provider": self.provider,
            "action": self.action,
            "email_field": self.email_field,
            "hidden": [list(pair) for pair in self.hidden],
            "honeypot": self.honeypot,
            "source_field": self.source_field,
            "redirect_field": self.redirect_field if redirect_url else None,
            "redirect_url": redirect_url if self.redirect_field else None,
        }


class SettingError(ValueError):
    """A subscribe setting that cannot work, with the setting named in the message."""


def _option(options: Mapping[str, Any], provider: str, key: str, expected: str) -> str:
    value = options.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SettingError(
            f'SUBSCRIBE_OPTIONS["{key}"] is required for SUBSCRIBE_PROVIDER "{provider}": '
            f"expected {expected}, got {value!r}"
        )
    return value.strip()


def _pattern(value: str, pattern: str, provider: str, key: str, expected: str) -> str:
    if not re.fullmatch(pattern, value):
        raise SettingError(
            f'SUBSCRIBE_OPTIONS["{key}"] for SUBSCRIBE_PROVIDER "{provider}" must be {expected}, got {value!r}'
        )
    return value


def _field_name(options: Mapping[str, Any], provider: str, key: str, default: str | None) -> str | None:
    """An optional form field name; ``None`` or "" switches the field off."""
    value = options.get(key, default)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not FIELD_NAME.match(value):
        raise SettingError(
            f'SUBSCRIBE_OPTIONS["{key}"] for SUBSCRIBE_PROVIDER "{provider}" must be a form field name '
            f"(letters, digits, _ - [ ] : .), got {value!r}"
        )
    return value


def _uuid_list(value: Any, provider: str, key: str) -> list[str]:
    uuids = [value] if isinstance(value, str) else value
    if not isinstance(uuids, list | tuple) or not uuids or not all(isinstance(u, str) and UUID.match(u) for u in uuids):
        raise SettingError(
            f'SUBSCRIBE_OPTIONS["{key}"] is required for SUBSCRIBE_PROVIDER "{provider}": '
            f"expected a list UUID or a list of them (like 1a2b3c4d-0000-4000-8000-123456789abc), got {value!r}"
        )
    return list(uuids)


def check_url(url: str, setting: str) -> str:
    """Accept https:// anywhere, plain http:// only on this machine (for testing)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and (host in LOCAL_HOSTS or _is_loopback(host)):
        return url
    raise SettingError(
        f"{setting} must be an https:// URL (plain http:// only for 127.0.0.1 or localhost), got {url!r}"
    )


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def buttondown(options: Mapping[str, Any]) -> FormSpec:
    # Buttondown docs, "Building your subscriber base" (docs.buttondown.com,
    # getting-started/building-your-subscriber-base): the embed form posts
    # `email` to /api/emails/embed-subscribe/<username> with `embed=1`;
    # inputs named `metadata__<key>` (hidden ones too) set subscriber metadata,
    # so the source goes into `metadata__source`. Tags are documented as
    # `?tag=` on the subscribe page; as hidden `tag` inputs on the embed form
    # they are not confirmed by the docs, so they are opt-in.
    username = _pattern(
        _option(options, "buttondown", "username", "your Buttondown username"),
        r"[A-Za-z0-9_-]+",
        "buttondown",
        "username",
        "a Buttondown username (letters, digits, _ and -)",
    )
    tags = options.get("tags", [])
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) and t for t in tags):
        raise SettingError(
            f'SUBSCRIBE_OPTIONS["tags"] for SUBSCRIBE_PROVIDER "buttondown" must be a list of tag names, got {tags!r}'
        )
    return FormSpec(
        provider="buttondown",
        action=f"https://buttondown.com/api/emails/embed-subscribe/{quote(username)}",
        email_field="email",
        hidden=(("embed", "1"), *(("tag", tag) for tag in tags)),
        source_field=_field_name(options, "buttondown", "source_field", "metadata__source"),
    )


def mailchimp(options: Mapping[str, Any]) -> FormSpec:
    # Mailchimp Help, "Add a Signup Form to Your Website" (embedded form code):
    # the form posts to https://<dc>.list-manage.com/subscribe/post?u=<u>&id=<id>,
    # the address in `EMAIL`, with an off-screen text input named b_<u>_<id>
    # that people must leave empty. The thank-you redirect is set in the
    # audience's form settings, not in the form. A source needs an audience
    # merge field (e.g. SOURCE), named with the `source_field` option.
    dc = _pattern(
        _option(options, "mailchimp", "dc", 'the data centre, e.g. "us21"'),
        r"[a-z]{2,4}[0-9]{1,3}",
        "mailchimp",
        "dc",
        'a data centre like "us21"',
    )
    user = _pattern(
        _option(options, "mailchimp", "u", "the u= value of the embedded form's action"),
        r"[0-9a-f]{8,40}",
        "mailchimp",
        "u",
        "the hexadecimal u= value from the form action",
    )
    audience = _pattern(
        _option(options, "mailchimp", "id", "the id= value of the embedded form's action"),
        r"[0-9a-f]{6,20}",
        "mailchimp",
        "id",
        "the hexadecimal id= value from the form action",
    )
    return FormSpec(
        provider="mailchimp",
        action=f"https://{dc}.list-manage.com/subscribe/post?u={user}&id={audience}",
        email_field="EMAIL",
        honeypot=f"b_{user}_{audience}",
        source_field=_field_name(options, "mailchimp", "source_field", None),
    )


def kit(options: Mapping[str, Any]) -> FormSpec:
    # Kit (ConvertKit) help, "Embed a form" / the form's HTML embed option:
    # the form posts `email_address` to https://app.kit.com/forms/<form_id>/subscriptions.
    # Kit's HTML has no honeypot field; the redirect after sign-up is a form
    # setting in Kit. Custom fields post as fields[<key>], so a source can go
    # into e.g. `fields[source]` when that custom field exists (opt-in).
    form_id = _pattern(
        _option(options, "kit", "form_id", "the numeric form id"), r"[0-9]+", "kit", "form_id", "the numeric form id"
    )
    return FormSpec(
        provider="kit",
        action=f"https://app.kit.com/forms/{form_id}/subscriptions",
        email_field="email_address",
        source_field=_field_name(options, "kit", "source_field", None),
    )


def listmonk(options: Mapping[str, Any]) -> FormSpec:
    # listmonk docs, "Subscription forms" (Lists → Forms, whose HTML comes
    # from frontend/src/views/Forms.vue) and the handler in cmd/public.go:
    # POST <root>/subscription/form with `email`, optional `name`, one `l`
    # per list UUID, and an empty `nonce` (a filled nonce is treated as a
    # bot). listmonk shows its own result page: no redirect and no source field.
    root = check_url(
        _option(options, "listmonk", "root_url", "your listmonk address, e.g. https://lists.example.org"),
        'SUBSCRIBE_OPTIONS["root_url"]',
    ).rstrip("/")
    lists = _uuid_list(options.get("lists"), "listmonk", "lists")
    return FormSpec(
        provider="listmonk",
        action=f"{root}/subscription/form",
        email_field="email",
        hidden=tuple(("l", uuid) for uuid in lists),
        honeypot="nonce",
    )


def emailoctopus(options: Mapping[str, Any]) -> FormSpec:
    # EmailOctopus, "Embedded forms" HTML code (and the official WordPress
    # plugin's form template): POST to
    # https://emailoctopus.com/lists/<list_id>/members/embedded/1.3/add with the
    # address in `field_0`, a honeypot named hp<list_id> inside an aria-hidden
    # row, and `successRedirectUrl` for the thank-you page. Other fields are
    # field_1, field_2… in the list's field order, so a source is opt-in.
    list_id = _uuid_list(options.get("list_id"), "emailoctopus", "list_id")
    if len(list_id) != 1:
        raise SettingError('SUBSCRIBE_OPTIONS["list_id"] for SUBSCRIBE_PROVIDER "emailoctopus" must be one list UUID')
    return FormSpec(
        provider="emailoctopus",
        action=f"https://emailoctopus.com/lists/{list_id[0]}/members/embedded/1.3/add",
        email_field="field_0",
        honeypot=f"hp{list_id[0]}",
        source_field=_field_name(options, "emailoctopus", "source_field", None),
        redirect_field="successRedirectUrl",
    )


def generic(options: Mapping[str, Any]) -> FormSpec:
    # Any service that accepts a plain HTML form post: everything is named here.
    action = check_url(
        _option(options, "generic", "action", "the form's https:// action URL"), 'SUBSCRIBE_OPTIONS["action"]'
    )
    hidden = options.get("hidden_fields", {})
    if not isinstance(hidden, Mapping) or not all(
        isinstance(k, str) and FIELD_NAME.match(k) and isinstance(v, str) for k, v in hidden.items()
    ):
        raise SettingError(
            'SUBSCRIBE_OPTIONS["hidden_fields"] for SUBSCRIBE_PROVIDER "generic" must be a dict of '
            f"field name → text value, got {hidden!r}"
        )
    return FormSpec(
        provider="generic",
        action=action,
        email_field=_field_name(options, "generic", "email_field", "email") or "email",
        hidden=tuple(hidden.items()),
        honeypot=_field_name(options, "generic", "honeypot_field", None),
        source_field=_field_name(options, "generic", "source_field", None),
        redirect_field=_field_name(options, "generic", "redirect_field", None),
    )


PROVIDERS: dict[str, Callable[[Mapping[str, Any]], FormSpec]] = {
    "buttondown": buttondown,
    "mailchimp": mailchimp,
    "kit": kit,
    "listmonk": listmonk,
    "emailoctopus": emailoctopus,
    "generic": generic,
}


def form_spec(provider: str | None, options: Mapping[str, Any]) -> FormSpec | None:
    """The form for ``SUBSCRIBE_PROVIDER`` with ``SUBSCRIBE_OPTIONS``; ``None`` when no provider is set."""
    if provider is None or provider == "":
        return None
    if not isinstance(provider, str) or provider.lower() not in PROVIDERS:
        raise SettingError(f"SUBSCRIBE_PROVIDER must be one of {', '.join(PROVIDERS)} or None, got {provider!r}")
    if not isinstance(options, Mapping):
        raise SettingError(f"SUBSCRIBE_OPTIONS must be a dict, got {options!r}")
    spec = PROVIDERS[provider.lower()](options)
    check_url(spec.action, f'the form action built for SUBSCRIBE_PROVIDER "{spec.provider}"')
    return spec


def thanks_url(settings: Mapping[str, Any]) -> str | None:
    """The absolute thank-you address, or ``None`` when the site's address is not absolute yet."""
    explicit = settings.get("SUBSCRIBE_REDIRECT_URL")
    if explicit:
        if not isinstance(explicit, str):
            raise SettingError(f"SUBSCRIBE_REDIRECT_URL must be an absolute https:// URL, got {explicit!r}")
        return check_url(explicit, "SUBSCRIBE_REDIRECT_URL")
    site = str(settings.get("SITEURL") or "")
    if site.startswith(("https://", "http://")):
        return f"{site.rstrip('/')}/{THANKS_URL}"
    return None


def validate_settings(settings: dict[str, Any]) -> FormSpec | None:
    """Fill defaults, check every subscribe setting, and return the provider's form (or ``None``)."""
    fill_defaults(settings, DEFAULTS)
    for key in TEXT_SETTINGS:
        if not isinstance(settings[key], str) or not settings[key].strip():
            raise SettingError(f"{key} must be a non-empty text, got {settings[key]!r}")
    for key in ("SUBSCRIBE_ARTICLE_END", "SUBSCRIBE_FOOTER"):
        if not isinstance(settings[key], bool):
            raise SettingError(f"{key} must be True or False, got {settings[key]!r}")
    spec = form_spec(settings["SUBSCRIBE_PROVIDER"], settings["SUBSCRIBE_OPTIONS"])
    if spec is not None:
        thanks_url(settings)  # reject a bad SUBSCRIBE_REDIRECT_URL at start-up
    return spec
