"""The policy worked out from settings, and the settings check."""

from __future__ import annotations

import base64
import hashlib

import pytest
from security_policy.policy import policy_for, script_hash, validate_settings


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def test_forms_may_post_to_the_provider_and_nowhere_else() -> None:
    policy = directives(
        policy_for({"SUBSCRIBE_FORM": {"action": "https://buttondown.com/api/emails/embed-subscribe/x"}})
    )
    assert policy["form-action"] == ["'self'", "https://buttondown.com"]
    assert directives(policy_for({"SUBSCRIBE_FORM": None}))["form-action"] == ["'self'"]


def test_no_inline_script_or_style_and_images_from_https() -> None:
    policy = directives(policy_for({}))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "https:"]
    assert policy["frame-src"] == policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_embeds_only_from_the_allowed_hosts() -> None:
    policy = directives(policy_for({"CONTENT_EMBED_HOSTS": ["player.vimeo.com", "www.youtube-nocookie.com"]}))
    assert policy["frame-src"] == ["https://player.vimeo.com", "https://www.youtube-nocookie.com"]


def test_an_allowed_inline_script_is_named_by_its_hash() -> None:
    text = "console.log('x')"
    expected = "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert script_hash(text) == expected
    policy = directives(policy_for({"CONTENT_SECURITY_SCRIPT_HASHES": [expected]}))
    assert policy["script-src"] == ["'self'", f"'{expected}'"]


@pytest.mark.parametrize(
    "settings",
    [
        {"CONTENT_SECURITY_POLICY": ["default-src 'self'"]},
        {"CONTENT_SECURITY_SCRIPT_HASHES": ["md5-abc"]},
        {"CONTENT_SECURITY_SCRIPT_HASHES": "sha256-abc="},
    ],
)
def test_settings_of_the_wrong_shape_are_rejected(settings: dict) -> None:
    with pytest.raises(ValueError, match="CONTENT_SECURITY_"):
        validate_settings(settings)


def test_a_site_without_settings_gets_the_default_policy_and_no_hashes() -> None:
    settings: dict = {}
    validate_settings(settings)
    assert settings["CONTENT_SECURITY_POLICY"] is None
    assert settings["CONTENT_SECURITY_SCRIPT_HASHES"] == []


def test_the_search_fallback_engine_is_a_form_target_and_webassembly_is_opt_in() -> None:
    settings = {
        "SUBSCRIBE_FORM": {"action": "https://buttondown.com/api/emails/embed-subscribe/x"},
        "SEARCH_FORM": {"action": "https://duckduckgo.com/"},
    }
    plain = directives(policy_for(settings))
    assert plain["form-action"] == ["'self'", "https://buttondown.com", "https://duckduckgo.com"]
    assert plain["script-src"] == ["'self'"]
    assert directives(policy_for(settings, webassembly=True))["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
