"""Properties of the ``[subscribe]`` extension on any text: it never raises, loses no word, writes well-formed HTML."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from plugin_support.tests.markdown_properties import Written, check_conversion, house_article, markdownish, subscribe

PROPERTY_SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(source=markdownish)
def test_any_text(source: str) -> None:
    check_conversion(subscribe(), source)


@PROPERTY_SETTINGS
@given(article=house_article())
def test_house_style_articles(article: Written) -> None:
    check_conversion(subscribe(), article.source, article.words)


def test_a_marker_under_a_list_item_is_a_block_of_its_own() -> None:
    """Without blank lines around it, the marker would be read into the list and change what follows."""
    from markdown import Markdown
    from subscribe.extension import SubscribeExtension
    from subscribe.providers import INLINE_PLACEHOLDER

    markdown = Markdown(
        extensions=["markdown.extensions.extra", "markdown.extensions.sane_lists", SubscribeExtension()]
    )
    html = markdown.convert("1. First\n[subscribe]\n2. Second\n\n```\n[subscribe]\n```\n")
    assert html.count(INLINE_PLACEHOLDER) == 1  # the one in fenced code stays code
    assert "<li>First</li>" in html
    assert "<li>Second</li>" in html
    assert "<code>[subscribe]\n</code>" in html
