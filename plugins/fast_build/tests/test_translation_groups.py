"""Originals and translations sorted per translation group: Pelican's lists, in Pelican's order, from small calls."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fast_build.listings import by_translation_group
from pelican.contents import Article
from pelican.log import LimitFilter
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import process_translations

SETTINGS = {**DEFAULT_CONFIG, "PATH": "/content", "DEFAULT_LANG": "en"}


def article(number: int, slug: str, lang: str = "en", translation: str | None = None) -> Article:
    metadata: dict[str, Any] = {"title": f"Story {number}", "date": datetime(2026, 1, 1), "slug": slug, "lang": lang}
    if translation is not None:
        metadata["translation"] = translation
    return Article("<p>Body</p>", metadata=metadata, settings=SETTINGS, source_path=f"/content/{number}.md")


@pytest.fixture
def pelican_warnings() -> Iterator[list[logging.LogRecord]]:
    """Every warning ``pelican.utils`` gives, however an earlier build in this process filtered that logger."""
    logger = logging.getLogger("pelican.utils")
    records: list[logging.LogRecord] = []
    collect = logging.Handler(logging.WARNING)
    collect.emit = records.append  # type: ignore[method-assign]
    filters, level = logger.filters[:], logger.level
    # A build's front_matter plugin drops these warnings on this logger (it reports duplicate slugs itself).
    logger.filters, logger.level = [], logging.WARNING
    logger.addHandler(collect)
    yield records
    logger.removeHandler(collect)
    logger.filters, logger.level = filters, level


def forget_warnings() -> None:
    """Pelican's log filter passes a message once per process; both runs must be free to say theirs."""
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def mixed_archive(seed: int) -> list[Article]:
    """Plain stories, stories with translations, two originals sharing a slug, and a group of translations only."""
    stories = [article(number, f"story-{number % 40}") for number in range(60)]  # 20 slugs used twice
    stories += [article(100 + number, f"story-{number}", lang="fr") for number in range(0, 40, 3)]
    stories += [article(200, "only-translated", lang="de", translation="true"), article(201, "only-translated")]
    stories += [article(300, "marked", lang="en", translation="true"), article(301, "marked", lang="fr")]
    random.Random(seed).shuffle(stories)
    return stories


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("translation_id", ["slug", ("slug", "lang"), None])
def test_the_same_originals_translations_and_warnings_as_pelican(
    seed: int, translation_id: Any, pelican_warnings: list[logging.LogRecord]
) -> None:
    forget_warnings()
    pelicans = mixed_archive(seed)
    expected = process_translations(pelicans, translation_id)
    expected_links = {item.source_path: [other.source_path for other in item.translations] for item in pelicans}
    expected_warnings = [record.getMessage() for record in pelican_warnings]
    pelican_warnings.clear()
    forget_warnings()

    ours = mixed_archive(seed)
    got = by_translation_group(process_translations)(ours, translation_id)
    assert [[item.source_path for item in part] for part in got] == [
        [item.source_path for item in part] for part in expected
    ]
    assert {item.source_path: [other.source_path for other in item.translations] for item in ours} == expected_links
    assert [record.getMessage() for record in pelican_warnings] == expected_warnings
    assert [item.source_path for item in ours] == [item.source_path for item in pelicans]  # sorted in place, too
    # The archive gives something to compare: clashes whenever translations are sorted out, and translations by slug.
    assert bool(expected_warnings) == bool(translation_id)
    assert bool(expected[1]) == (translation_id == "slug")


def test_pelican_is_called_once_per_group_never_on_the_whole_archive() -> None:
    sizes: list[int] = []

    def counting(content_list: list[Any], translation_id: Any = None) -> Any:
        sizes.append(len(content_list))
        return process_translations(content_list, translation_id)

    stories = mixed_archive(1)
    by_translation_group(counting)(stories, "slug")
    assert len(sizes) == len({story.slug for story in stories})
    assert max(sizes) == 3  # the largest group: two originals and a translation


def test_an_unusable_translation_id_gets_pelicans_own_error() -> None:
    with pytest.raises(AttributeError, match="as 'translation_id'"):
        by_translation_group(process_translations)(mixed_archive(1), "no_such_field")
