"""The site's Markdown with all our extensions at once: on any text it loses no word and writes well-formed HTML.

Each extension's own properties are tested in its plugin; here they run
together, in the order the site's plugins add them, so one cannot undo
another's care (a marker one consumes, a block another moves).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from plugin_support.tests.markdown_properties import Written, check_conversion, house_article, markdownish, site_subject

PROPERTY_SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(source=markdownish)
def test_any_text(source: str) -> None:
    check_conversion(site_subject(), source)


@PROPERTY_SETTINGS
@given(article=house_article())
def test_house_style_articles(article: Written) -> None:
    assert check_conversion(site_subject(), article.source, article.words) is not None
