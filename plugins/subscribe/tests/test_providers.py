"""Each provider's form against the provider's own documentation.

Expected values are written out from the docs named in each test, and checked
on the HTML the theme's one form macro renders, parsed with BeautifulSoup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader
from markdown import Markdown
from subscribe import providers
from subscribe.extension import SubscribeExtension

TEMPLATES = Path(__file__).resolve().parents[3] / "theme" / "templates"
LIST_UUID = "1a2b3c4d-0000-4000-8000-123456789abc"
OTHER_UUID = "9f8e7d6c-1111-4111-9111-abcdefabcdef"
LISTMONK = {"root_url": "https://lists.example.org", "lists": [LIST_UUID]}


def render(provider: str, options: dict[str, Any], source: str = "article:a-story:end", **extra: Any) -> BeautifulSoup:
    """Render the theme macro for this provider the way Pelican's context would."""
    settings: dict[str, Any] = {"SUBSCRIBE_PROVIDER": provider, "SUBSCRIBE_OPTIONS": options, **extra}
    spec = providers.validate_settings(settings)
    assert spec is not None
    settings["SUBSCRIBE_FORM"] = spec.as_context(providers.thanks_url(settings))
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    macro = env.from_string(
        '{% from "partials/subscribe_form.html" import subscribe_form with context %}'
        "{{ subscribe_form('end', source) }}"
    )
    return BeautifulSoup(macro.render(**settings, source=source), "html.parser")


def posted_fields(soup: BeautifulSoup) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for field in soup.select("form input"):
        fields.setdefault(field["name"], []).append(field.get("value", ""))
    return fields


def email_input(soup: BeautifulSoup):
    return soup.select_one('form input[type="email"]')


MAILCHIMP_ACTION = (
    "https://atlasnews.us21.list-manage.com/subscribe/post?u=8b4656bd4a093a3bcabfda08a&id=4f80c66e83&f_id=00a1b2e3f0"
)
THANKS = "https://example.org/atlas-news/subscribe/thanks/"


def contract(soup: BeautifulSoup) -> dict[str, Any]:
    """Everything a provider reads from a posted form: where, how, which fields, which are hidden, the trap."""
    form = soup.select_one("form.subscribe-form")
    trap = soup.select_one(".subscribe-trap input")
    return {
        "action": form["action"],
        "method": form["method"],
        "email": email_input(soup)["name"],
        "hidden": sorted((field["name"], field["value"]) for field in form.select('input[type="hidden"]')),
        "honeypot": trap["name"] if trap else None,
    }


def test_buttondown_matches_its_embed_form_docs() -> None:
    # Buttondown docs, building-your-subscriber-base.mdx and tags.mdx: embed form action,
    # `email`, hidden `embed=1`, metadata as `metadata__<key>`, tags as `tag`; no honeypot.
    soup = render("buttondown", {"username": "atlasnews", "tags": ["web", "trade"]}, SITEURL="https://example.org")
    assert contract(soup) == {
        "action": "https://buttondown.com/api/emails/embed-subscribe/atlasnews",
        "method": "post",
        "email": "email",
        "hidden": [("embed", "1"), ("metadata__source", "article:a-story:end"), ("tag", "trade"), ("tag", "web")],
        "honeypot": None,
    }
    # Buttondown documents no redirect back: the thank-you address is never sent.
    assert "successRedirectUrl" not in posted_fields(soup) and "next" not in posted_fields(soup)


def test_buttondown_without_tags_sends_no_tag_field() -> None:
    assert "tag" not in posted_fields(render("buttondown", {"username": "atlasnews"}))


def test_mailchimp_takes_the_action_url_whole_with_its_tags() -> None:
    # Mailchimp's embedded form code: the action as given (f_id kept), `EMAIL`, honeypot
    # b_<u>_<id> in an aria-hidden row, hidden `tags` (comma-separated tag ids) when tagging.
    soup = render("mailchimp", {"action": MAILCHIMP_ACTION, "tags": ["3021990", "3021991"]})
    assert contract(soup) == {
        "action": MAILCHIMP_ACTION,
        "method": "post",
        "email": "EMAIL",
        "hidden": [("tags", "3021990,3021991")],
        "honeypot": "b_8b4656bd4a093a3bcabfda08a_4f80c66e83",
    }
    trap = soup.select_one(".subscribe-trap")
    assert trap["aria-hidden"] == "true"
    bait = trap.select_one("input")
    assert (bait["tabindex"], bait["autocomplete"], bait["value"]) == ("-1", "off", "")


def test_mailchimp_without_tags_posts_only_the_address_and_the_trap() -> None:
    soup = render("mailchimp", {"action": MAILCHIMP_ACTION})
    assert set(posted_fields(soup)) == {"EMAIL", "b_8b4656bd4a093a3bcabfda08a_4f80c66e83"}


def test_mailchimp_source_goes_to_a_named_merge_field() -> None:
    fields = posted_fields(render("mailchimp", {"action": MAILCHIMP_ACTION, "source_field": "SOURCE"}))
    assert fields["SOURCE"] == ["article:a-story:end"]


def test_kit_matches_its_html_embed() -> None:
    # Kit help, "Embed a form" (HTML option): app.kit.com/forms/<id>/subscriptions, `email_address`,
    # no honeypot, no redirect field (the redirect is a setting of the form in Kit).
    soup = render("kit", {"form_id": "1234567"}, SITEURL="https://example.org")
    assert contract(soup) == {
        "action": "https://app.kit.com/forms/1234567/subscriptions",
        "method": "post",
        "email": "email_address",
        "hidden": [],
        "honeypot": None,
    }


def test_listmonk_matches_its_public_subscription_form_and_sends_next() -> None:
    # listmonk cmd/public.go (v6.2.0): POST <root>/subscription/form, `email`, `l` = list UUIDs,
    # empty `nonce`, and `next`, followed when it is one of listmonk's trusted URLs.
    soup = render(
        "listmonk",
        {"root_url": "https://lists.example.org/", "lists": [LIST_UUID, OTHER_UUID]},
        SITEURL="https://example.org/atlas-news",
    )
    assert contract(soup) == {
        "action": "https://lists.example.org/subscription/form",
        "method": "post",
        "email": "email",
        "hidden": sorted([("l", LIST_UUID), ("l", OTHER_UUID), ("next", THANKS)]),
        "honeypot": "nonce",
    }
    assert posted_fields(soup)["nonce"] == [""]


def test_emailoctopus_renders_the_older_embed_form_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    soup = render("emailoctopus", {"list_id": LIST_UUID}, SITEURL="https://example.org/atlas-news")
    assert contract(soup) == {
        "action": f"https://emailoctopus.com/lists/{LIST_UUID}/members/embedded/1.3/add",
        "method": "post",
        "email": "field_0",
        "hidden": [("successRedirectUrl", THANKS)],
        "honeypot": f"hp{LIST_UUID}",
    }
    (warning,) = [record for record in caplog.records if record.levelname == "WARNING"]
    assert "SUBSCRIBE_PROVIDER" in warning.getMessage() and "script" in warning.getMessage()


def test_redirect_is_left_out_while_the_site_address_is_relative() -> None:
    for provider, options in (("emailoctopus", {"list_id": LIST_UUID}), ("listmonk", LISTMONK)):
        fields = posted_fields(render(provider, options, SITEURL=""))
        assert "successRedirectUrl" not in fields and "next" not in fields


def test_every_provider_but_the_two_without_one_has_an_unsubscribe_tag() -> None:
    assert set(providers.UNSUBSCRIBE_TAGS) == set(providers.PROVIDERS) - {"emailoctopus", "generic"}


def test_generic_uses_every_named_field() -> None:
    options = {
        "action": "https://forms.example.net/newsletter",
        "email_field": "addr",
        "hidden_fields": {"list": "daily", "lang": "en"},
        "honeypot_field": "website",
        "source_field": "src",
        "redirect_field": "next",
    }
    soup = render("generic", options, SUBSCRIBE_REDIRECT_URL="https://example.org/thanks/")
    assert soup.form["action"] == "https://forms.example.net/newsletter"
    assert email_input(soup)["name"] == "addr"
    fields = posted_fields(soup)
    assert fields["list"] == ["daily"] and fields["lang"] == ["en"]
    assert fields["website"] == [""]
    assert fields["src"] == ["article:a-story:end"]
    assert fields["next"] == ["https://example.org/thanks/"]


def test_email_input_is_labelled_required_and_autocompleted() -> None:
    soup = render("kit", {"form_id": "42"})
    field = email_input(soup)
    assert soup.select_one(f'label[for="{field["id"]}"]').get_text(strip=True)
    assert field.has_attr("required") and field["autocomplete"] == "email"
    assert soup.select_one('[role="status"]') is not None
    assert not soup.select("script")


def test_configured_text_is_escaped() -> None:
    soup = render(
        "generic",
        {"action": "https://forms.example.net/x?a=1&b=2", "hidden_fields": {"h": '"><script>x</script>'}},
        SUBSCRIBE_HEADING="<b>Hi</b>",
        SUBSCRIBE_PRIVACY="Ts & Cs <i>apply</i>",
    )
    assert not soup.select("script, b, i")
    assert soup.select_one(".subscribe-title").get_text() == "<b>Hi</b>"
    assert soup.form["action"] == "https://forms.example.net/x?a=1&b=2"
    assert posted_fields(soup)["h"] == ['"><script>x</script>']


@pytest.mark.parametrize(
    ("provider", "options", "named"),
    [
        ("substack", {}, "SUBSCRIBE_PROVIDER"),
        ("buttondown", {}, 'SUBSCRIBE_OPTIONS["username"]'),
        ("buttondown", {"username": "a/b"}, 'SUBSCRIBE_OPTIONS["username"]'),
        ("mailchimp", {"dc": "us21", "u": "abc123abc", "id": "4f80c66e83"}, 'SUBSCRIBE_OPTIONS["action"]'),
        ("mailchimp", {"action": MAILCHIMP_ACTION.replace("https:", "http:")}, 'SUBSCRIBE_OPTIONS["action"]'),
        ("mailchimp", {"action": "https://us21.list-manage.com.evil.example/subscribe/post?u=ab&id=cd"}, "action"),
        ("mailchimp", {"action": "https://x.us21.list-manage.com/subscribe/post?u=8b4656bd4a"}, "action"),
        ("mailchimp", {"action": MAILCHIMP_ACTION, "tags": ["news"]}, 'SUBSCRIBE_OPTIONS["tags"]'),
        ("buttondown", {"username": "atlasnews", "tags": "web"}, 'SUBSCRIBE_OPTIONS["tags"]'),
        ("kit", {"form_id": "12ab"}, 'SUBSCRIBE_OPTIONS["form_id"]'),
        ("listmonk", {"root_url": "https://l.example.org"}, 'SUBSCRIBE_OPTIONS["lists"]'),
        ("listmonk", {"root_url": "http://l.example.org", "lists": [LIST_UUID]}, 'SUBSCRIBE_OPTIONS["root_url"]'),
        ("emailoctopus", {"list_id": "not-a-uuid"}, 'SUBSCRIBE_OPTIONS["list_id"]'),
        ("generic", {"action": "http://forms.example.net/x"}, 'SUBSCRIBE_OPTIONS["action"]'),
        ("generic", {"action": "ftp://127.0.0.1/x"}, 'SUBSCRIBE_OPTIONS["action"]'),
        ("generic", {"action": "javascript:alert(1)"}, 'SUBSCRIBE_OPTIONS["action"]'),
        ("generic", {"action": "https://f.example.net", "email_field": 'a"b'}, 'SUBSCRIBE_OPTIONS["email_field"]'),
    ],
)
def test_bad_settings_stop_with_the_setting_named(provider: str, options: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=None) as raised:
        providers.validate_settings({"SUBSCRIBE_PROVIDER": provider, "SUBSCRIBE_OPTIONS": options})
    message = str(raised.value)
    assert named in message
    assert "\n" not in message


@pytest.mark.parametrize("action", ["http://127.0.0.1:8123/signup", "http://localhost/signup", "https://x.example/s"])
def test_local_http_and_any_https_are_accepted(action: str) -> None:
    spec = providers.validate_settings({"SUBSCRIBE_PROVIDER": "generic", "SUBSCRIBE_OPTIONS": {"action": action}})
    assert spec is not None and spec.action == action


def test_no_provider_means_no_form() -> None:
    settings: dict[str, Any] = {"SUBSCRIBE_PROVIDER": None}
    assert providers.validate_settings(settings) is None
    assert settings["SUBSCRIBE_HEADING"] == "Stay informed"


def convert(text: str) -> str:
    # "extra" brings fenced code, as the site uses it.
    return Markdown(extensions=["extra", SubscribeExtension()], output_format="html5").convert(text)


def test_marker_on_its_own_line_becomes_the_placeholder_each_time() -> None:
    html = convert("First.\n\n[subscribe]\n\nSecond.\n\n  [subscribe]  \n\nThird.")
    assert html.count(providers.INLINE_PLACEHOLDER) == 2
    assert "[subscribe]" not in html
    assert "<p>" + providers.INLINE_PLACEHOLDER not in html


def test_marker_glued_to_a_paragraph_still_splits_it() -> None:
    html = convert("Before the form.\n[subscribe]\nAfter the form.")
    before, after = html.split(providers.INLINE_PLACEHOLDER)
    assert "Before the form." in before and "After the form." in after


def test_marker_inside_text_or_code_is_left_alone() -> None:
    html = convert("Write [subscribe] on its own line.\n\n    [subscribe]\n\n```\n[subscribe]\n```")
    assert providers.INLINE_PLACEHOLDER not in html
    assert html.count("[subscribe]") == 3
