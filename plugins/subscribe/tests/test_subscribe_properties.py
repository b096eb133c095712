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
