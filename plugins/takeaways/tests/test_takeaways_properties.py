"""Properties of the takeaways extension on generated Markdown.

On any text it raises nothing but a located ``TakeawaysError``, loses no word
but the fence keyword and writes well-formed HTML; fences Markdown shows as
code never raise.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from plugin_support.tests.markdown_properties import (
    Written,
    check_conversion,
    house_article,
    markdownish,
    marked_up_heading,
    site_markdown,
    takeaways,
)
from takeaways.extension import TakeawaysError, TakeawaysExtension

# Letters only, so no word can be Markdown syntax by itself.
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
phrase = st.lists(words, min_size=1, max_size=6).map(" ".join)
paragraph = phrase
bullet_list = st.lists(phrase, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {item}" for item in items))
heading_text = st.one_of(phrase, st.sampled_from(["🔑 Key Takeaways", "TL;DR:", "KEY POINTS", "Takeaways"]))
heading = st.tuples(st.integers(1, 4), heading_text).map(lambda pair: f"{'#' * pair[0]} {pair[1]}")
code_fence = st.lists(phrase, min_size=1, max_size=3).map(lambda lines: "```\n" + "\n".join(lines) + "\n```")


@st.composite
def takeaways_block(draw: st.DrawFn) -> str:
    title = draw(st.one_of(st.none(), phrase))
    opening = "::: takeaways" + (f' "{title}"' if title else "")
    body = [draw(bullet_list)]
    if draw(st.booleans()):
        body.append(draw(paragraph))  # a stray paragraph, after a blank line
    return "\n".join([opening, "\n\n".join(body), ":::"])


block = st.one_of(paragraph, bullet_list, heading, code_fence, takeaways_block())


def convert(source: str, **config) -> tuple[str, Markdown]:
    md = Markdown(extensions=["meta", "extra", "sane_lists", TakeawaysExtension(**config)])
    return md.convert(source), md


def words_of(source: str) -> set[str]:
    """The author's words: everything but the fence keyword, which is syntax."""
    prose = source.replace("::: takeaways", " ").replace("\r", " ").replace("\n", " ")
    return {word.strip('"') for word in prose.split(" ") if word.strip('"').isalpha() and word.islower()}


config = st.fixed_dictionaries(
    {"autodetect": st.booleans(), "placement": st.sampled_from(["as-authored", "top", "bottom"])}
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    blocks=st.lists(block, min_size=1, max_size=8), options=config, crlf=st.booleans(), end=st.sampled_from(["", "\n"])
)
def test_well_formed_documents_convert_without_losing_words(
    blocks: list[str], options: dict, crlf: bool, end: str
) -> None:
    source = "\n\n".join(blocks) + end
    if crlf:
        source = source.replace("\n", "\r\n")
    output, md = convert(source, **options)
    text = BeautifulSoup(output, "html.parser").get_text(" ")
    for word in words_of(source):
        assert word in text, f"{word!r} went missing"
    rendered = BeautifulSoup(output, "html.parser").select("aside.key-takeaways")
    assert len(rendered) >= source.count("::: takeaways")
    assert len(md.takeaways) == sum(len(box.ul.find_all("li", recursive=False)) for box in rendered)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    blocks=st.lists(
        st.one_of(block, st.just("::: takeaways"), st.just(":::"), st.just('::: takeaways "x"\n:::')),
        min_size=1,
        max_size=8,
    ),
    separators=st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=8, max_size=8),
)
def test_any_mix_either_converts_whole_or_fails_with_a_located_error(blocks: list[str], separators: list[str]) -> None:
    source = blocks[0] + "".join(separator + text for separator, text in zip(separators, blocks[1:], strict=False))
    try:
        output, _ = convert(source)
    except TakeawaysError as error:
        assert isinstance(error.lineno, int) and 1 <= error.lineno <= source.count("\n") + 1
        return
    text = BeautifulSoup(output, "html.parser").get_text(" ")
    for word in words_of(source):
        assert word in text, f"{word!r} went missing"


PROPERTY_SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(source=markdownish, options=config)
def test_any_text(source: str, options: dict) -> None:
    check_conversion(takeaways(**options), source)


@PROPERTY_SETTINGS
@given(article=house_article(), options=config)
def test_house_style_articles(article: Written, options: dict) -> None:
    assert check_conversion(takeaways(**options), article.source, article.words) is not None


def text_outside_code_blocks(fragment: str) -> str:
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for block in root.xpath("//pre"):
        block.drop_tree()
    return root.xpath("string()")


# Code block openings, some Markdown accepts and some it reads as text (after which the closing fence opens one).
code_opening = st.sampled_from(
    [
        *("```", "~~~", "````", "```python", "``` {.python}", "~~~ text"),
        *("```python extra words", "``` {.python", "``` {.python}}"),
    ]
)
line = st.sampled_from(["::: takeaways", ":::", "- a point", "words", ""])


@st.composite
def code_block_or_line(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        opening = draw(code_opening)
        fence = opening[: len(opening) - len(opening.lstrip("`~"))]
        return "\n".join([opening, *draw(st.lists(line, max_size=3)), fence])
    return draw(line)


@settings(max_examples=300, deadline=None)
@given(source=st.lists(code_block_or_line(), max_size=6).map("\n".join))
def test_fences_markdown_shows_as_code_never_raise(source: str) -> None:
    if ":::" in text_outside_code_blocks(site_markdown().convert(source)):
        return  # a fence Markdown reads as Markdown: it may be malformed
    site_markdown(TakeawaysExtension()).convert(source)


@settings(max_examples=300, deadline=None)
@given(marked_up_heading)
def test_a_heading_is_read_as_its_rendered_html_reads(text: str) -> None:
    compared: list[str] = []

    class Compare(Treeprocessor):
        def run(self, root) -> None:
            processor = self.md.treeprocessors["takeaways"]
            for heading in root.iter("h2"):
                rendered = processor._plain_text(processor._inner_html(heading))
                assert processor._heading_text(heading) == rendered
                compared.append(rendered)

    markdown = site_markdown(TakeawaysExtension())
    markdown.treeprocessors.register(Compare(markdown), "compare", 6.5)
    markdown.convert(f"## {text}\n\n- a point\n- another\n")
    assert len(compared) <= 1
