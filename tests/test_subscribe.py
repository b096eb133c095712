"""Newsletter sign-up forms on the built site: placements, markup, switches, bad settings."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import (
    CONTENT,
    BuiltSite,
    build_site,
    built,
    executable_scripts,
    new_content_dir,
    run_invoke,
    write_article,
)

MARKER_LINE = re.compile(r"^\s*\[subscribe\]\s*$", re.MULTILINE)


def setting(key: str, value: object) -> tuple[str, str]:
    return ("--setting", f"{key}={json.dumps(value)}")


def forms(soup: BeautifulSoup, placement: str) -> list:
    return soup.select(f".subscribe-{placement} form.subscribe-form")


def source_of(form) -> str | None:
    field = form.select_one('input[name="metadata__source"]')
    return field["value"] if field else None


def marked_articles() -> dict[str, int]:
    """Slug → number of [subscribe] lines, read from the bundled Markdown."""
    found = {}
    for path in (CONTENT / "articles").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        count = len(MARKER_LINE.findall(text))
        if count:
            slug = re.search(r"^Slug:\s*(\S+)", text, re.MULTILINE)
            found[slug.group(1) if slug else path.stem] = count
    return found


def page_for(site: BuiltSite, slug: str) -> BeautifulSoup:
    (path,) = site.root.glob(f"[0-9]*/[0-9]*/{slug}/index.html")
    return site.page(str(path.relative_to(site.root)))


def test_every_article_ends_with_a_form_recording_its_slug(site: BuiltSite) -> None:
    assert site.article_files()
    for path in site.article_files():
        soup = site.page(str(path.relative_to(site.root)))
        (form,) = forms(soup, "end")
        slug = path.parent.name
        assert source_of(form) == f"article:{slug}:end"
        assert form["action"].startswith("https://buttondown.com/api/emails/embed-subscribe/")
        # After the story text, before the tags.
        story = soup.select_one("article.story")
        assert form.find_parent(class_="story-body") is None and form.find_parent("article") is story


def test_inline_markers_become_forms_where_written(site: BuiltSite) -> None:
    marked = marked_articles()
    assert len(marked) >= 3
    for slug, count in marked.items():
        soup = page_for(site, slug)
        inline = forms(soup, "inline")
        assert len(inline) == count, slug
        assert all(form.find_parent(class_="story-body") for form in inline)
        assert [source_of(f) for f in inline] == [f"article:{slug}:inline-{n}" for n in range(1, count + 1)]
        body = soup.select_one(".story-body")
        assert "[subscribe]" not in body.get_text()
        # The form sits between paragraphs, not inside one.
        assert all(f.find_parent("p") is None for f in inline)


def test_footer_form_on_every_page_but_the_subscribe_pages(site: BuiltSite) -> None:
    assert site.html_files()
    for path in site.html_files():
        relative = str(path.relative_to(site.root))
        footer = site.page(relative).select_one("footer.site-footer")
        expected = 0 if relative.startswith("subscribe/") else 1
        assert len(footer.select("form.subscribe-form")) == expected, relative
        if expected:
            assert source_of(footer.select_one("form.subscribe-form")) == "footer"


def test_subscribe_page_and_thanks_page(site: BuiltSite) -> None:
    page = site.page("subscribe/")
    (form,) = forms(page, "page")
    assert source_of(form) == "page"
    pitch = " ".join(p.get_text() for p in page.select(".subscribe-page .story-body p"))
    assert "Atlas News" in pitch
    thanks = site.page("subscribe/thanks/")
    assert thanks.select_one("h1").get_text(strip=True)
    assert not thanks.select("form.subscribe-form")


def test_every_email_field_has_a_label_and_every_id_is_unique(site: BuiltSite) -> None:
    checked = 0
    for path in site.html_files():
        soup = site.page(str(path.relative_to(site.root)))
        ids = Counter(tag["id"] for tag in soup.select("[id]"))
        assert not [i for i, n in ids.items() if n > 1], f"{path}: duplicate ids"
        for field in soup.select('form.subscribe-form input[type="email"]'):
            label = soup.select_one(f'label[for="{field["id"]}"]')
            assert label is not None and label.get_text(strip=True)
            assert field.has_attr("required") and field["autocomplete"] == "email"
            status = field.find_parent("form").select_one('[role="status"]')
            assert status is not None
            checked += 1
    assert checked > len(site.html_files())


def test_no_script_and_no_marker_text_anywhere(site: BuiltSite) -> None:
    assert site.html_files()
    for path in site.html_files():
        relative = path.relative_to(site.root).as_posix()
        soup = site.page(relative)
        assert not executable_scripts(soup), relative
        assert "[subscribe]" not in soup.get_text()


@pytest.fixture(scope="module")
def switches_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Articles with the front-matter switches and repeated inline markers."""
    folder = new_content_dir(tmp_path_factory.mktemp("switches"))
    write_article(folder, "quiet-story", subscribe="false")
    write_article(folder, "pitched-story", subscribe_pitch="Get the <b>next</b> chapter first.")
    write_article(
        folder,
        "marked-story",
        body="One.\n\n[subscribe]\n\nTwo.\n\n[subscribe]\n\nThree.\n\n[subscribe]\n",
        subscribe="no",
    )
    return built(folder.parent / "output", content=folder)


def test_subscribe_false_removes_the_end_form_only(switches_site: BuiltSite) -> None:
    quiet = page_for(switches_site, "quiet-story")
    assert not forms(quiet, "end")
    assert len(quiet.select("footer.site-footer form.subscribe-form")) == 1
    marked = page_for(switches_site, "marked-story")
    assert not forms(marked, "end")
    assert len(forms(marked, "inline")) == 3
    assert forms(page_for(switches_site, "pitched-story"), "end")


def test_article_pitch_overrides_the_default_and_is_escaped(switches_site: BuiltSite) -> None:
    soup = page_for(switches_site, "pitched-story")
    (box,) = soup.select(".subscribe-end")
    assert box.select_one(".subscribe-pitch").get_text() == "Get the <b>next</b> chapter first."
    assert box.select_one(".subscribe-pitch b") is None


def test_three_inline_forms_keep_ids_unique(switches_site: BuiltSite) -> None:
    soup = page_for(switches_site, "marked-story")
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    assert len(soup.select('form.subscribe-form input[type="email"]')) == 4  # 3 inline + footer


def test_no_provider_means_no_form_and_no_pages(tmp_path: Path, content_dir: Path) -> None:
    write_article(content_dir, "marked", body="Before.\n\n[subscribe]\n\nAfter.\n")
    result = built(tmp_path / "output", content=content_dir, extra=setting("SUBSCRIBE_PROVIDER", None))
    assert not (result.root / "subscribe").exists()
    assert result.html_files()
    for path in result.html_files():
        soup = result.page(str(path.relative_to(result.root)))
        assert not soup.select("form:not([role=search]), .subscribe-box")
        assert "[subscribe]" not in soup.get_text()
    text = page_for(result, "marked").select_one(".story-body").get_text()
    assert "Before." in text and "After." in text


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SUBSCRIBE_PROVIDER": "substack"}, "SUBSCRIBE_PROVIDER"),
        ({"SUBSCRIBE_PROVIDER": "mailchimp", "SUBSCRIBE_OPTIONS": {"dc": "us21"}}, 'SUBSCRIBE_OPTIONS["action"]'),
        (
            {"SUBSCRIBE_PROVIDER": "generic", "SUBSCRIBE_OPTIONS": {"action": "http://forms.example.net/x"}},
            'SUBSCRIBE_OPTIONS["action"]',
        ),
    ],
)
def test_bad_settings_fail_the_build_naming_the_setting(
    tmp_path: Path, content_dir: Path, overrides: dict[str, object], named: str
) -> None:
    write_article(content_dir, "story")
    extra = tuple(part for key, value in overrides.items() for part in setting(key, value))
    result = build_site(tmp_path / "output", content=content_dir, extra=extra)
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if named in line]
    assert len(lines) == 1, result.stdout + result.stderr
    assert not (tmp_path / "output").exists()


def test_a_bad_subscribe_switch_fails_the_build_with_the_file(tmp_path: Path, content_dir: Path) -> None:
    path = write_article(content_dir, "story", subscribe="maybe")
    result = build_site(tmp_path / "output", content=content_dir)
    assert result.returncode != 0
    assert f"{path}" in result.stdout + result.stderr and "maybe" in result.stdout + result.stderr


def test_footer_pitch_suits_every_page_and_articles_keep_the_story_pitch(site: BuiltSite) -> None:
    home_footer = site.page("").select_one(".site-footer .subscribe-pitch").get_text(strip=True)
    assert home_footer == "The stories that matter, explained, in your inbox. Free."
    article = next(path for path in site.article_files())
    page = site.page(str(article.relative_to(site.root)))
    assert "this story" in page.select_one(".subscribe-end .subscribe-pitch").get_text()
    assert "this story" not in page.select_one(".site-footer .subscribe-pitch").get_text()


def test_subscribe_page_uses_the_site_pitch(site: BuiltSite) -> None:
    pitch = site.page("subscribe/").select_one(".subscribe-page .subscribe-pitch").get_text(strip=True)
    assert pitch == "The stories that matter, explained, in your inbox. Free."


def test_emailoctopus_warns_at_start_up_and_a_strict_build_stops(tmp_path: Path, content_dir: Path) -> None:
    write_article(content_dir, "story")
    extra = (
        *setting("SUBSCRIBE_PROVIDER", "emailoctopus"),
        *setting("SUBSCRIBE_OPTIONS", {"list_id": "1a2b3c4d-0000-4000-8000-123456789abc"}),
    )
    strict = build_site(tmp_path / "strict", content=content_dir, extra=extra)
    assert strict.returncode != 0 and not (tmp_path / "strict").exists()
    args = ["build", "--no-cache", "--output", str(tmp_path / "lenient"), "--content", str(content_dir), *extra]
    lenient = run_invoke(*args)
    assert lenient.returncode == 0, lenient.stderr
    for result in (strict, lenient):
        (warning,) = [line for line in result.stderr.splitlines() if line.startswith("WARNING:")]
        assert 'SUBSCRIBE_PROVIDER "emailoctopus"' in warning and "script" in warning
