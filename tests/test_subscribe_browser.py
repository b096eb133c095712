"""A reader signs up in Debian's Chromium: the form posts straight to the provider.

The "provider" is a stand-in endpoint on 127.0.0.1 that records each POST,
configured as the ``generic`` provider; the built site is served from
127.0.0.1 as a static host would.
"""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from conftest import ServedSite, answer_html, built, write_article


class RecordingEndpoint(http.server.BaseHTTPRequestHandler):
    """Keeps every POST body, parsed, and answers like a sign-up service would."""

    received: list[dict[str, list[str]]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        self.received.append(parse_qs(body, keep_blank_values=True))
        reply = b"<!doctype html><title>Subscribed</title><p>Almost done: check your inbox.</p>"
        answer_html(self, reply)


def sign_up_at_the_end_of_the_article(page, files: ServedSite, site, **navigation) -> None:
    """Open the site's one article, fill in the form after it and submit it, waiting for the page it leads to."""
    (article,) = site.article_files()
    page.goto(files.url(f"{article.parent.relative_to(site.root).as_posix()}/"))
    form = page.locator(".subscribe-end form.subscribe-form")
    form.get_by_label("Email address").fill("reader@example.org")
    with page.expect_navigation(**navigation):
        form.get_by_role("button", name="Subscribe").click()


@pytest.fixture
def endpoint() -> Iterator[tuple[list[dict[str, list[str]]], int]]:
    received: list[dict[str, list[str]]] = []
    server = ServedSite(None, type("Recorder", (RecordingEndpoint,), {"received": received}))
    yield received, server.port
    server.close()


@pytest.mark.browser
def test_reader_signs_up_at_the_end_of_an_article(tmp_path: Path, content_dir: Path, endpoint, browser) -> None:
    received, port = endpoint
    options = {
        "action": f"http://127.0.0.1:{port}/signup",
        "email_field": "subscriber_email",
        "honeypot_field": "website",
        "source_field": "came_from",
        "hidden_fields": {"list": "atlas-daily"},
    }
    write_article(content_dir, "harbour-strike-ends", body="The strike is over.\n")
    site = built(
        tmp_path / "output",
        content=content_dir,
        extra=(
            "--setting",
            'SUBSCRIBE_PROVIDER="generic"',
            "--setting",
            f"SUBSCRIBE_OPTIONS={json.dumps(options)}",
        ),
    )
    files = ServedSite(site.root)
    try:
        reader = browser.new_context(java_script_enabled=False)
        try:
            page = reader.new_page()
            sign_up_at_the_end_of_the_article(page, files, site)
            assert "check your inbox" in page.content()
        finally:
            reader.close()
    finally:
        files.close()

    assert len(received) == 1
    (posted,) = received
    assert posted["subscriber_email"] == ["reader@example.org"]
    assert posted["website"] == [""]
    assert posted["came_from"] == ["article:harbour-strike-ends:end"]
    assert posted["list"] == ["atlas-daily"]


class ListmonkStandIn(http.server.BaseHTTPRequestHandler):
    """Answers like listmonk's POST /subscription/form (cmd/public.go, v6.2.0): a filled nonce is refused,
    and a `next` that is one of the trusted URLs gets a 303 redirect there."""

    received: list[dict[str, list[str]]]
    trusted: list[str]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
        self.received.append({"path": [self.path], **form})
        if form.get("nonce", [""]) != [""]:
            self.send_response(502)
            self.end_headers()
            return
        target = form.get("next", [""])[0]
        if target in self.trusted:
            self.send_response(303)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        reply = b"<!doctype html><title>listmonk</title><p>Subscribed</p>"
        answer_html(self, reply)


@pytest.mark.browser
def test_reader_signs_up_through_a_listmonk_form_and_lands_on_the_thanks_page(
    tmp_path: Path, content_dir: Path, browser
) -> None:
    received: list[dict[str, list[str]]] = []
    output = tmp_path / "output"
    output.mkdir()
    # The site is served before it is built, so its address can be the thank-you page the form sends.
    files = ServedSite(output)
    thanks = files.url("subscribe/thanks/")
    listmonk = ServedSite(None, type("Listmonk", (ListmonkStandIn,), {"received": received, "trusted": [thanks]}))
    list_uuid = "1a2b3c4d-0000-4000-8000-123456789abc"
    options = {"root_url": f"{listmonk.origin}/", "lists": [list_uuid]}
    write_article(content_dir, "harbour-strike-ends", body="The strike is over.\n")
    try:
        site = built(
            output,
            content=content_dir,
            extra=(
                "--setting",
                'SUBSCRIBE_PROVIDER="listmonk"',
                "--setting",
                f"SUBSCRIBE_OPTIONS={json.dumps(options)}",
                "--setting",
                f"SUBSCRIBE_REDIRECT_URL={json.dumps(thanks)}",
            ),
        )
        reader = browser.new_context(java_script_enabled=False)
        try:
            page = reader.new_page()
            sign_up_at_the_end_of_the_article(page, files, site, url=thanks)
            assert page.locator("h1").inner_text() == "Thanks for signing up"
        finally:
            reader.close()
    finally:
        files.close()
        listmonk.close()

    (posted,) = received
    assert posted == {
        "path": ["/subscription/form"],
        "email": ["reader@example.org"],
        "l": [list_uuid],
        "next": [thanks],
        "nonce": [""],
    }
