"""The body-check Markdown extension, on real Python-Markdown conversions."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from front_matter.body_checks import BodyCheck, BodyCheckExtension, files_unchanged, scheme_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from markdown import Markdown
from plugin_support.tests.markdown_properties import assert_well_formed, well_formed_problem


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"/>')
    return tmp_path


def convert(site: Path, text: str, hosts: tuple[str, ...] = ()) -> tuple[str, BodyCheck]:
    extension = BodyCheckExtension(str(site), hosts)
    markdown = Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists", extension])
    check = extension.start(str(site / "articles" / "story.md"))
    return markdown.convert(text), check


def messages(check: BodyCheck) -> list[str]:
    return [finding.message for finding in check.findings]


def test_body_images_get_their_size_from_the_file(site: Path) -> None:
    output, check = convert(site, "![A map]({static}/images/map.svg)\n\n![Again](/images/map.svg)\n")
    assert check.findings == []
    assert output.count('width="640"') == 2
    assert output.count('height="360"') == 2
    assert str(site / "images" / "map.svg") in check.looked_at


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("![A chart]({static}/images/none.png)", "does not exist"),
        ("![A chart](images/map.svg)", "relative to the page"),
        ("![]({static}/images/map.svg)", "has no alt text"),
        ("![A chart](http://example.org/chart.png)", "plain http"),
        ("[the data]({static}/files/none.csv)", "does not exist"),
        ("[click](javascript:alert(1))", "javascript: URL"),
        ('<a href="JaVa&#x09;Script:alert(1)">click</a>', "javascript: URL"),
        ("[doc](data:text/html;base64,AAAA)", "data: URL"),
        ("<script>alert(1)</script>", "<script> element"),
        ("<style>p{}</style>", "<style> element"),
        ('<form action="/x"></form>', "a form"),
        ('<base href="https://elsewhere.example/">', "<base> element"),
        ('Text <b onclick="x()">bold</b> inline.', "event handler (onclick=)"),
        ('<div><img src="x" onerror="steal()"></div>', "event handler (onerror=)"),
        ('A paragraph.\n{: onclick="x()" }', "event handler"),
        ('<iframe src="https://tracker.example/x"></iframe>', "not an allowed embed host"),
        ('<object data="https://www.youtube-nocookie.com/x"></object>', "not an allowed embed host"),
    ],
)
def test_each_problem_is_found_once_with_a_needle_in_the_source(site: Path, text: str, words: str) -> None:
    _, check = convert(site, text + "\n")
    assert len(check.findings) == 1, messages(check)
    assert words in check.findings[0].message
    assert check.findings[0].needle in text


def test_embeds_from_an_allowed_host_over_https_pass(site: Path) -> None:
    allowed = '<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video"></iframe>\n'
    assert convert(site, allowed, ("www.youtube-nocookie.com",))[1].findings == []
    plain = allowed.replace("https:", "http:")
    assert len(convert(site, plain, ("www.youtube-nocookie.com",))[1].findings) == 1


def test_links_to_other_content_are_kept_to_resolve_later(site: Path) -> None:
    _, check = convert(site, "[a]({filename}other.md) [b]({filename}/pages/about.md) [c](/section/world/#top)\n")
    assert [(ref.kind, ref.target) for ref in check.references] == [
        ("filename", "articles/other.md"),
        ("filename", "pages/about.md"),
        ("site", "/section/world/"),
    ]


def test_code_that_shows_html_is_not_flagged(site: Path) -> None:
    _, check = convert(site, "Write `<script>` in code.\n\n    <script>alert(1)</script>\n")
    assert check.findings == []


def test_a_cached_conversion_is_stale_once_an_image_changes(site: Path) -> None:
    _, check = convert(site, "![A map]({static}/images/map.svg)\n")
    looked_at = dict(check.looked_at)
    assert files_unchanged(looked_at)
    (site / "images" / "map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 36"/>')
    assert not files_unchanged(looked_at)


@pytest.mark.parametrize(("url", "scheme"), [("HTTPS://x", "https"), (" java\nscript:x", "javascript"), ("/a:b", "")])
def test_schemes_are_read_as_browsers_read_them(url: str, scheme: str) -> None:
    assert scheme_of(url) == scheme


WORD = re.compile(r"[^\W_]+")
text_pieces = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(
        [
            "\n",
            "\n\n",
            "# ",
            "- ",
            "> ",
            "*",
            "_",
            "`",
            "<",
            ">",
            "&",
            "![",
            "](",
            ")",
            "[",
            "{static}/images/map.svg",
            "{filename}x.md",
            "<b>",
            "</b>",
            "{: #x }",
            "    ",
        ]
    ),
)


def visible_words(fragment: str) -> list[str]:
    tree = lxml_html.fragment_fromstring(fragment or "<div></div>", create_parent="div")
    return WORD.findall(html.unescape(tree.text_content()))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(text_pieces, max_size=30).map("".join))
def test_the_extension_never_raises_and_changes_no_text(site: Path, text: str) -> None:
    """With or without the checks, Markdown makes the same HTML but for width and height: no word lost."""
    checked, _ = convert(site, text)
    plain = Markdown(extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists"]).convert(text)
    assert re.sub(r' (width|height)="\d+"', "", checked) == plain
    assert visible_words(checked) == visible_words(plain)
    # Well formed whenever Markdown alone is: raw HTML an author writes (``<A,>``) passes through as written.
    if well_formed_problem(plain) is None:
        assert_well_formed(checked)
