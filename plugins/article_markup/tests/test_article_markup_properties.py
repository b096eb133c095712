"""Properties of the article_markup extension on any text: it never raises, loses no word, writes well-formed HTML."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plugin_support.tests.markdown_properties import (
    Written,
    article_markup,
    check_conversion,
    house_article,
    markdownish,
)

PROPERTY_SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(source=markdownish, typography=st.booleans())
def test_any_text(source: str, typography: bool) -> None:
    check_conversion(article_markup(typography=typography), source)


@PROPERTY_SETTINGS
@given(article=house_article(), typography=st.booleans())
def test_house_style_articles(article: Written, typography: bool) -> None:
    check_conversion(article_markup(typography=typography), article.source, article.words)
