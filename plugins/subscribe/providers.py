"""Settings and the provider model: what each newsletter service's form posts.

Every provider is turned into one ``FormSpec``: the action URL, the name of
the email field, fixed hidden fields, and the names (or ``None``) of the
honeypot, the sign-up source field and the redirect field. The theme renders
a ``FormSpec`` with one Jinja macro, so all placements share the same markup.

Each builder says what its provider's form posts, what the reader sees after
submitting, and where that was confirmed, so the field names can be checked
again when a provider changes its form. ``UNSUBSCRIBE_TAGS`` holds each
provider's unsubscribe merge tag, which the newsletter edition
(``plugins/email_edition``) puts in its footer.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from plugin_support.settings import fill_defaults

logger = logging.getLogger(__name__)

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


def _tag_list(options: Mapping[str, Any], provider: str, pattern: str, expected: str) -> list[str]:
    """The ``tags`` option: a list of texts matching ``pattern`` (empty when not given)."""
    tags = options.get("tags", [])
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) and re.fullmatch(pattern, t) for t in tags):
        raise SettingError(
            f'SUBSCRIBE_OPTIONS["tags"] for SUBSCRIBE_PROVIDER "{provider}" must be a list of {expected}, got {tags!r}'
        )
    return list(tags)


def buttondown(options: Mapping[str, Any]) -> FormSpec:
    # Posts `email` to https://buttondown.com/api/emails/embed-subscribe/<username>
    # with `embed=1`; inputs named `metadata__<key>` (hidden ones too) set
    # subscriber metadata, so the source goes into `metadata__source`.
    # Confirmed in Buttondown's docs (github.com/buttondown/docs):
    # pages/getting-started/building-your-subscriber-base.mdx (embed form,
    # `metadata__<key>` inputs, hidden allowed, and `tag` as the tagging
    # parameter) and pages/advanced-features/tags.mdx (tags can be chosen
    # "via Buttondown URL or embedded HTML form"), hence one hidden `tag`
    # input per tag.
    # After submitting, the reader is on Buttondown's own confirmation page:
    # Buttondown documents no redirect back to the site.
    username = _pattern(
        _option(options, "buttondown", "username", "your Buttondown username"),
        r"[A-Za-z0-9_-]+",
        "buttondown",
        "username",
        "a Buttondown username (letters, digits, _ and -)",
    )
    tags = _tag_list(options, "buttondown", r".+", "tag names")
    return FormSpec(
        provider="buttondown",
        action=f"https://buttondown.com/api/emails/embed-subscribe/{quote(username)}",
        email_field="email",
        hidden=(("embed", "1"), *(("tag", tag) for tag in tags)),
        source_field=_field_name(options, "buttondown", "source_field", "metadata__source"),
    )


MAILCHIMP_HOST = ".list-manage.com"


def mailchimp(options: Mapping[str, Any]) -> FormSpec:
    # The form posts to the action URL of Mailchimp's embedded form code,
    # taken whole as Mailchimp gives it:
    # https://<account>.<dc>.list-manage.com/subscribe/post?u=<u>&id=<id>&f_id=<form>,
    # with the address in `EMAIL` and an off-screen text input named
    # b_<u>_<id> that people must leave empty (Mailchimp Help, "Add a Signup
    # Form to Your Website", embedded form code). When the form builder is
    # told to tag new contacts it writes a hidden `tags` input holding the
    # tag ids, comma-separated; there is no help page for it, so it is
    # checked against the generated code only, and opt-in (`tags` option).
    # After submitting, the reader sees Mailchimp's own "almost finished"
    # page, or the thank-you URL set in the audience's form settings; the
    # form itself carries no redirect. A source needs an audience merge
    # field (e.g. SOURCE), named with the `source_field` option.
    hint = (
        " (paste the whole action URL of the embedded form; dc, u and id are no longer read)"
        if any(key in options for key in ("dc", "u", "id"))
        else ""
    )
    action = _option(options, "mailchimp", "action", f"the form action URL of Mailchimp's embedded form{hint}")
    parts = urlsplit(action)
    host = (parts.hostname or "").lower()
    query = parse_qs(parts.query)
    user, audience = (query.get(key, [""])[0] for key in ("u", "id"))
    if (
        parts.scheme != "https"
        or not host.endswith(MAILCHIMP_HOST)
        or parts.path.rstrip("/") != "/subscribe/post"
        or not re.fullmatch(r"[0-9a-f]+", user)
        or not re.fullmatch(r"[0-9a-f]+", audience)
    ):
        raise SettingError(
            'SUBSCRIBE_OPTIONS["action"] for SUBSCRIBE_PROVIDER "mailchimp" must be the https://'
            f"<account>.<dc>{MAILCHIMP_HOST}/subscribe/post?u=…&id=… address of the embedded form, "
            f"with u= and id=, got {action!r}"
        )
    tags = _tag_list(options, "mailchimp", r"[0-9]+", "numeric tag ids (from the embedded form's tags input)")
    return FormSpec(
        provider="mailchimp",
        action=action,
        email_field="EMAIL",
        hidden=(("tags", ",".join(tags)),) if tags else (),
        honeypot=f"b_{user}_{audience}",
        source_field=_field_name(options, "mailchimp", "source_field", None),
    )


def kit(options: Mapping[str, Any]) -> FormSpec:
    # Posts `email_address` to https://app.kit.com/forms/<form_id>/subscriptions
    # (Kit help, "Embed a form", HTML option: the form's own HTML). Kit's
    # HTML has no honeypot field. Custom fields post as fields[<key>], so a
    # source can go into e.g. `fields[source]` when that custom field exists
    # (opt-in). After submitting, the reader lands on Kit's page, unless the
    # form's settings in Kit redirect to a URL (the site's thank-you page).
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
    # POST <root>/subscription/form with `email`, optional `name`, one `l`
    # per list UUID, and an empty `nonce` (a filled nonce is refused as a
    # bot): listmonk docs, "Subscription forms", and SubscriptionForm in
    # cmd/public.go (github.com/knadh/listmonk). Since v6.2.0 that handler
    # redirects (303) to a hidden `next` URL when it is exactly one of the
    # URLs in Settings → Security → Trusted URLs (cmd/public.go at tag
    # v6.2.0); otherwise, and in older versions, the reader sees listmonk's
    # own result page. No source field.
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
        redirect_field="next",
    )


EMAILOCTOPUS_NEEDS_SCRIPT = (
    'SUBSCRIBE_PROVIDER "emailoctopus": EmailOctopus\'s forms need its script '
    "(https://eocampaign1.com/form/<form id>.js), which this site does not load; without it a "
    "reader who submits may see raw JSON or an error instead of a confirmation. "
    'Choose another provider, or "generic" with a form endpoint that answers a plain POST.'
)


def emailoctopus(options: Mapping[str, Any]) -> FormSpec:
    # What the site can render is the older embed generation: POST to
    # https://emailoctopus.com/lists/<list_id>/members/embedded/1.3/add with
    # the address in `field_0`, a honeypot hp<list_id> and
    # `successRedirectUrl`. EmailOctopus's current forms are delivered by a
    # per-form script, https://eocampaign1.com/form/<form id>.js ("Add to
    # your website" in EmailOctopus's forms help, help.emailoctopus.com,
    # category 216), which posts to a per-form endpoint that answers with
    # JSON; the official plugin's older template posts to
    # lists/<id>/members/external-add and redirects in JavaScript. No
    # script-less form with a server-side redirect could be confirmed, so
    # the build warns at start-up (EMAILOCTOPUS_NEEDS_SCRIPT): a strict build
    # (`invoke publish`, CI) stops on it.
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


# The merge tag each provider replaces with the reader's own unsubscribe URL, used as a link's href:
# Buttondown `{{ unsubscribe_url }}` (github.com/buttondown/docs, pages/odds-and-ends/template-variables.mdx);
# Mailchimp `*|UNSUB|*` (mailchimp.com/help/about-campaign-footers/, "The *|UNSUB|* merge tag");
# Kit `{{ unsubscribe_url }}`, "used as the value of" a link's href (Kit help, "Troubleshooting: HTML
# email templates", intercom.help/convertkit/en/articles/2810454); listmonk `{{ UnsubscribeURL }}`
# (github.com/knadh/listmonk, docs/docs/content/templating.md, "Functions"). EmailOctopus and generic
# have none here: the newsletter edition takes theirs from EMAIL_UNSUBSCRIBE_URL.
UNSUBSCRIBE_TAGS: dict[str, str] = {
    "buttondown": "{{ unsubscribe_url }}",
    "mailchimp": "*|UNSUB|*",
    "kit": "{{ unsubscribe_url }}",
    "listmonk": "{{ UnsubscribeURL }}",
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
    if spec is not None and spec.provider == "emailoctopus":
        logger.warning(EMAILOCTOPUS_NEEDS_SCRIPT)
    return spec
