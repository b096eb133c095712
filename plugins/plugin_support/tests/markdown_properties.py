"""What every Markdown extension of ours must do with any text, and text to try it on.

The property tests of ``article_markup``, ``subscribe`` and ``takeaways`` (and
of the three together, in ``tests/``) share these definitions, so the
extensions are held to one standard:

* conversion never raises, an authoring error an extension documents aside;
* no word is lost. A *word* is a run of letters or digits (underscores,
  punctuation and emoji split words), read after the entities Markdown
  recognises are decoded. The words an author can see are the words the
  site's Markdown without our extensions puts in the text of the page, or,
  for text built from the house conventions, the words each part was built
  from; an extension may drop only the marker words its docstring says it
  consumes (``*_consumed`` below);
* the HTML is well formed: a strict XML parser reads it (void elements and
  HTML entities put in XML's terms) and finds the same text, in the same
  order, as lxml's forgiving HTML parser, and no paragraph or heading holds a
  block, which a browser would take apart.

``site_markdown`` sets Python-Markdown up from ``pelicanconf.MARKDOWN``, so the
tests convert exactly as the site does. This module is not collected by
pytest; tests import it as ``plugin_support.tests.markdown_properties``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from html.entities import html5
from typing import Any, NamedTuple

from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from markdown import Extension, Markdown

import pelicanconf

# Python-Markdown's own rule for an entity the author typed (markdown.inlinepatterns.ENTITY_RE).
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z0-9]+);")
WORD = re.compile(r"[^\W_]+")
VOID_ELEMENT = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)\s*/?>",
    re.IGNORECASE,
)
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
# Characters XML 1.0 forbids. Markdown passes them through, so generated text leaves them out.
XML_FORBIDDEN = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f", "\ufffe", "\uffff"}
# Elements that may hold only phrasing content, and the elements that end such content in a browser.
PHRASING_ONLY = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "span", "code", "abbr", "sup"}
BLOCKS = {
    *("address", "article", "aside", "blockquote", "div", "dl", "dd", "dt", "figure", "figcaption", "footer"),
    *("form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre"),
    *("section", "table", "ul"),
}


def site_markdown(*extensions: Extension) -> Markdown:
    """A Markdown converter set up like the site's: ``pelicanconf.MARKDOWN`` plus ``extensions``."""
    config: dict[str, Any] = deepcopy(pelicanconf.MARKDOWN)
    configs = config.pop("extension_configs", {})
    named = [*config.pop("extensions", []), *configs]
    return Markdown(extensions=[*named, *extensions], extension_configs=configs, **config)


def unescape_entities(text: str) -> str:
    """``text`` with the entities Markdown recognises decoded, and nothing else touched.

    ``html.unescape`` alone would also decode the "&copy" of "&copyright",
    which Markdown shows as written.
    """
    return ENTITY.sub(lambda match: html.unescape(match.group()), text)


def words(text: str) -> Counter[str]:
    """The words of plain text, with how often each occurs."""
    return Counter(WORD.findall(text))


def visible_text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment, as lxml's HTML parser reads it."""
    if not fragment.strip():
        return ""
    return lxml_html.fragment_fromstring(fragment, create_parent="div").xpath("string()")


def lost_words(expected: Counter[str], fragment: str, consumed: Counter[str] | None = None) -> Counter[str]:
    """Words of ``expected`` missing from ``fragment``'s text, beyond the ``consumed`` markers."""
    return expected - words(visible_text(fragment)) - (consumed or Counter())


def _xml_entity(match: re.Match[str]) -> str:
    name = match.group()[1:-1]
    if name.startswith("#") or name in XML_ENTITIES:
        return match.group()
    decoded = html5.get(name + ";")
    # An unknown name is text in HTML: "&bogus;" reads as itself.
    return "".join(f"&#{ord(char)};" for char in decoded) if decoded else "&amp;" + match.group()[1:]


def strict_tree(fragment: str) -> etree._Element:
    """``fragment`` in a ``<div>``, read by a strict XML parser; raises ``XMLSyntaxError`` if it is not well formed."""
    xml = ENTITY.sub(_xml_entity, VOID_ELEMENT.sub(r"<\1\2/>", fragment))
    return etree.fromstring(f"<div>{xml}</div>", etree.XMLParser(recover=False, resolve_entities=False))


def well_formed_problem(fragment: str) -> str | None:
    """Why ``fragment`` is not well-formed HTML, or ``None`` when it is."""
    try:
        root = strict_tree(fragment)
    except etree.XMLSyntaxError as error:
        return f"a strict parser rejects it: {error}"
    strict, forgiving = root.xpath("string()"), visible_text(fragment)
    if "".join(strict.split()) != "".join(forgiving.split()):
        return f"the HTML parser reads {forgiving!r} where the XML parser reads {strict!r}"
    for element in root.iter(*PHRASING_ONLY):
        for inner in element.iterdescendants(*BLOCKS):
            return f"<{element.tag}> holds a <{inner.tag}>"
    return None


def assert_well_formed(fragment: str) -> None:
    problem = well_formed_problem(fragment)
    assert problem is None, f"{problem}:\n{fragment}"


# --- The extensions under test, and what each is documented to consume ----------------------------


def said_consumed(source: str, output: str) -> Counter[str]:
    """article_markup: a "said" pull quote loses its "said" (its mark is the only ``pull-quote-mark``)."""
    return Counter({"said": output.count('class="pull-quote-mark"')})


def subscribe_consumed(source: str, output: str) -> Counter[str]:
    """subscribe: a ``[subscribe]`` line becomes the placeholder comment."""
    from subscribe.providers import INLINE_PLACEHOLDER

    return Counter({"subscribe": output.count(INLINE_PLACEHOLDER)})


def is_subscribe_line(line: str) -> bool:
    return line.strip() == "[subscribe]"


def markdown_lines(source: str) -> list[str]:
    """``source``'s lines as Markdown numbers them, after it turns CR LF and CR into LF."""
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass
class Subject:
    """Extensions to convert with, and how to tell what they are allowed to do to an author's words.

    ``consumed(source, html)`` counts the marker words a conversion was allowed
    to drop. ``marker_line`` picks the lines the extensions document as blocks of
    their own: what follows such a line starts a new block (so "1. " there
    starts a list), and Markdown without the extensions is asked to read them
    that way too. ``authoring_error`` is an exception the extensions raise, with
    a ``lineno``, for text the author must fix.
    """

    extensions: list[Extension]
    consumed: Callable[[str, str], Counter[str]]
    marker_line: Callable[[str], bool] = lambda line: False
    authoring_error: type[Exception] | None = None


def article_markup(**config: Any) -> Subject:
    from article_markup.extension import ArticleMarkupExtension

    return Subject([ArticleMarkupExtension(**config)], said_consumed)


def subscribe() -> Subject:
    from subscribe.extension import SubscribeExtension

    return Subject([SubscribeExtension()], subscribe_consumed, is_subscribe_line)


def takeaways(**config: Any) -> Subject:
    from takeaways.extension import CLOSE_LINE, OPEN_LINE, TakeawaysError, TakeawaysExtension

    extension = TakeawaysExtension(**config)

    def consumed(source: str, output: str) -> Counter[str]:
        """Each ``::: takeaways`` fence made into a box loses its keyword, spelt as written."""
        lines = markdown_lines(source)
        keywords = (re.search("takeaways", lines[fence.lineno - 1], re.IGNORECASE) for fence in extension.run.fences)
        return Counter(keyword.group() for keyword in keywords if keyword)

    def is_fence(line: str) -> bool:
        return bool(OPEN_LINE.match(line) or CLOSE_LINE.match(line))

    return Subject([extension], consumed, is_fence, TakeawaysError)


def together(*subjects: Subject) -> Subject:
    """Several subjects converting at once, in the order given."""
    errors = {subject.authoring_error for subject in subjects} - {None}
    assert len(errors) <= 1, "one authoring error type at a time"
    return Subject(
        [extension for subject in subjects for extension in subject.extensions],
        lambda source, output: sum((subject.consumed(source, output) for subject in subjects), Counter()),
        lambda line: any(subject.marker_line(line) for subject in subjects),
        next(iter(errors), None),
    )


def site_subject() -> Subject:
    """All our extensions, in the order the site's plugins add them, configured as the site configures them."""
    from article_markup.extension import DEFAULTS

    return together(article_markup(), subscribe(), takeaways(reserved_ids=DEFAULTS["ARTICLE_MARKUP_RESERVED_IDS"]))


# --- The properties ---------------------------------------------------------------------------------

QUOTE_PREFIX = re.compile(r"^(?:[ ]{0,3}>[ ]?)*")


def markers_as_blocks(source: str, marker_line: Callable[[str], bool]) -> str:
    """``source`` with an empty line (inside the same quotes) before and after every marker line."""
    lines = []
    for line in markdown_lines(source):
        prefix = QUOTE_PREFIX.match(line).group()
        if marker_line(line) or (prefix and marker_line(line[len(prefix) :])):
            lines.extend([prefix.rstrip(), line, prefix.rstrip()])
        else:
            lines.append(line)
    return "\n".join(lines)


def check_conversion(subject: Subject, source: str, written: str | None = None) -> str | None:
    """Convert ``source`` with ``subject``'s extensions and check the three properties.

    The words to keep are those of the baseline, Markdown's own conversion of
    ``source`` (marker lines read as blocks of their own), and when given, those
    of ``written``, the text ``source`` was built from; then the HTML must be
    well formed outright, otherwise whenever the baseline is (an author's raw
    HTML is passed through as written). Returns the HTML, or ``None`` when the
    extensions raised their authoring error, after checking it names a line of
    ``source``.
    """
    baseline = site_markdown().convert(markers_as_blocks(source, subject.marker_line))
    try:
        output = site_markdown(*subject.extensions).convert(source)
    except Exception as error:
        if subject.authoring_error is None or not isinstance(error, subject.authoring_error):
            raise
        assert 1 <= error.lineno <= len(markdown_lines(source)), f"{error} names line {error.lineno}"
        return None
    allowed = subject.consumed(source, output)
    lost = lost_words(words(visible_text(baseline)), output, allowed)
    assert not lost, f"lost {dict(lost)} that Markdown alone keeps:\n{output}"
    if written is not None:
        lost = lost_words(words(unescape_entities(written)), output, allowed)
        assert not lost, f"lost {dict(lost)} of the author's words:\n{output}"
    if written is not None or well_formed_problem(baseline) is None:
        assert_well_formed(output)
    return output


# --- Text to convert ----------------------------------------------------------------------------------


class Written(NamedTuple):
    """Markdown text and the words a reader must find in it, markers and syntax left out."""

    source: str
    words: str


EMOJI = ["🎯", "🗣️", "💬", "🔑", "📊", "🔧", "🏭", "👩🏽‍💻", "1️⃣", "🇪🇺", "⚠️", "🧭"]
# Letters only (and a few beyond ASCII), so a word is never Markdown syntax by itself.
word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéçßΩж", min_size=1, max_size=9)
phrase = st.lists(word, min_size=1, max_size=8).map(" ".join)


@st.composite
def _prose(draw: st.DrawFn, max_words: int = 12) -> Written:
    """A sentence with inline Markdown, typography, raw ``<`` and ``&`` between its words."""
    parts, plain = [], []
    for text in draw(st.lists(word, min_size=1, max_size=max_words)):
        plain.append(text)
        parts.append(
            draw(
                st.sampled_from(
                    [
                        *("{}", "*{}*", "**{}**", "_{}_", "`{}`", '"{}"', "'{}'", "“{}”", "{}'s", "{}...", "{} --"),
                        *("{} ---", "[{}](https://example.org/a?b=1&c=2)", "<em>{}</em>", '<span title="x">{}</span>'),
                        *("{} <", "{} < 5", "<3 {}", "{} & co", "R&D {}", "{} &amp;", "&copy; {}", "AT&T {}"),
                        *("{} &&", "a&{}", "{}\\*", "{}&nbsp;", "{}  \n"),
                    ]
                )
            ).format(text)
        )
    return Written(" ".join(parts).rstrip(), " ".join(plain))


prose = _prose()


@st.composite
def _heading(draw: st.DrawFn) -> Written:
    title = draw(st.sampled_from(["A Trade-Off That Wasn't", "By the Numbers"]) | phrase)
    marks = draw(st.sampled_from(["", "## ", "### ", "# "]))
    text = f"{draw(st.sampled_from(EMOJI))} {title}"
    return Written(f"{marks}{text}", title)


@st.composite
def _pull_quote(draw: st.DrawFn) -> Written:
    quote, who = draw(prose), draw(phrase)
    mark = draw(st.sampled_from(EMOJI))
    opening, closing = draw(st.sampled_from([('"', '"'), ("“", "”"), ("«", "»")]))
    comma = draw(st.sampled_from([",", ""]))
    if draw(st.booleans()):
        return Written(f"{mark} {opening}{quote.source}{comma}{closing} said {who}.", f"{quote.words} {who}")
    return Written(f"{mark} {opening}{quote.source}{comma}{closing} {who} said.", f"{quote.words} {who}")


@st.composite
def _bullets(draw: st.DrawFn) -> Written:
    items = draw(st.lists(prose, min_size=1, max_size=4))
    marker = draw(st.sampled_from(["• ", "- ", "* ", "+ ", "1. "]))
    nested = draw(st.booleans())
    lines = [f"{marker}{item.source}" for item in items]
    if nested and marker not in {"• ", "1. "}:
        lines.insert(1, f"    {marker}{items[0].source}")
        items = [items[0], *items]
    if marker == "1. ":
        lines = [f"{number}. {item.source}" for number, item in enumerate(items, start=1)]
    return Written("\n".join(lines), " ".join(item.words for item in items))


@st.composite
def _key_takeaways(draw: st.DrawFn) -> Written:
    heading = draw(st.sampled_from(["🔑 Key Takeaways:", "## 🔑 Key Takeaways", "### TL;DR:", "## Key points"]))
    items = draw(st.lists(prose, min_size=1, max_size=4))
    marker = draw(st.sampled_from(["- ", "• "]))
    gap = draw(st.sampled_from(["\n", "\n\n"]))
    body = "\n".join(f"{marker}{item.source}" for item in items)
    return Written(f"{heading}{gap}{body}", f"{heading} " + " ".join(item.words for item in items))


@st.composite
def _takeaways_fence(draw: st.DrawFn) -> Written:
    title = draw(st.none() | phrase)
    items = draw(st.lists(prose, min_size=1, max_size=4))
    opening = "::: takeaways" + (f' "{title}"' if title else "")
    body = "\n".join(f"- {item.source}" for item in items)
    return Written(f"{opening}\n{body}\n:::", f"{title or ''} " + " ".join(item.words for item in items))


@st.composite
def _blockquote(draw: st.DrawFn) -> Written:
    paragraphs = draw(st.lists(prose, min_size=1, max_size=3))
    lines = "\n>\n".join(f"> {paragraph.source}" for paragraph in paragraphs)
    text = " ".join(paragraph.words for paragraph in paragraphs)
    if draw(st.booleans()):
        who = draw(phrase)
        dash = draw(st.sampled_from(["—", "--", "–", "―"]))
        return Written(f"{lines}\n>\n> {dash} {who}", f"{text} {who}")
    return Written(lines, text)


@st.composite
def _code(draw: st.DrawFn) -> Written:
    fence = draw(st.sampled_from(["```", "~~~", "````"]))
    # Only openings fenced_code accepts: after any other, Markdown reads the lines as Markdown.
    info = draw(st.sampled_from(["", "python", " text", "{.python}", ".json"]))
    lines = draw(st.lists(phrase | st.sampled_from(["::: takeaways", ":::", "[subscribe]", "# not a heading"])))
    text = " ".join(line for line in lines if line not in {"::: takeaways", ":::", "[subscribe]"})
    return Written("\n".join([fence + info, *lines, fence]), text)


@st.composite
def _long_line(draw: st.DrawFn) -> Written:
    text = " ".join(draw(st.lists(word, min_size=300, max_size=600)))
    return Written(text, text)


SUBSCRIBE_PITCHES = [
    "Stay informed! Sign up for our newsletter to get the latest updates on this story and more.",
    "Stay informed! Sign up for our newsletter…",
    "**Stay informed!** Sign up for our [newsletter](/subscribe/) to get the latest updates.",
]
house_block = st.one_of(
    prose,
    _heading(),
    _pull_quote(),
    _bullets(),
    _key_takeaways(),
    _takeaways_fence(),
    _blockquote(),
    _code(),
    _long_line(),
    st.sampled_from(SUBSCRIBE_PITCHES).map(lambda line: Written(line, line.replace("(/subscribe/)", ""))),
    st.just(Written("[subscribe]", "")),
    st.just(Written("---", "")),
)


@st.composite
def house_article(draw: st.DrawFn) -> Written:
    """An article written in the house style: blocks separated by one or two line breaks, LF or CR LF."""
    blocks = draw(st.lists(house_block, min_size=1, max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    source = blocks[0].source
    for block in blocks[1:]:
        source += draw(st.sampled_from(["\n\n", "\n\n\n", "\n"])) + block.source
    source += draw(st.sampled_from(["", "\n"]))
    return Written(source.replace("\n", newline), " ".join(block.words for block in blocks))


# Arbitrary text, weighted towards what Markdown and our extensions react to.
SYNTAX = [
    *"#*_-+>`[](){}!:|~=.\\\"'“”«»—–•<&;/",
    *("\n", "\r\n", "\n\n", "\r", "  ", "\t", "    ", ":::", "::: takeaways", "[subscribe]", "said", ", said "),
    *('<span title="', '">', "</span>", "<b>", "</b>", "<br>", "<!--", "-->", "&amp;", "&copy;", "```", "1. "),
    *("```python ", "~~~", "\n---\n", "\n> ", "\n- ", "\n## ", "— "),
]
_fragment = st.one_of(
    word,
    st.sampled_from(SYNTAX),
    st.sampled_from(EMOJI),
    house_block.map(lambda written: written.source),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6),
)
markdownish = st.lists(_fragment, max_size=40).map("".join).filter(lambda text: not XML_FORBIDDEN & set(text))


# A heading's text, weighted towards what Markdown holds aside (raw HTML, entities, escapes) or writes as
# entities (code spans), which a heading's words must be read through.
marked_up_heading = st.lists(
    st.one_of(
        st.text(alphabet="abcdefgh ", min_size=1, max_size=6),
        st.sampled_from(["🎯 ", "Key Takeaways", "*em*", "**strong**", "_under_", "`a < b`", "`x & y`", "`&copy;`"]),
        st.sampled_from(["&amp;", "&#169;", "AT&T", "&", "<", ">", "<b>", "</b>", "<br>", "\\*", "\\<", "'", '"']),
        st.sampled_from(["[a link](/x)", "—", ":"]),
    ),
    min_size=1,
    max_size=8,
).map("".join)
