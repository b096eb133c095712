"""Pelican's listings (tags, sections, authors, month archives) built in linear time, and URLs worked out once.

Pelican fills each tag's, section's and author's ``dates`` with
``[a for a in self.dates if a in articles]`` and each month's articles with
``[a for a in articles if a in dates]``: one scan of the archive per tag,
section, author and month. Here the same lists, in the same order, come from
one pass over the archive; the generator's own methods are replaced on the
generator object alone, when it is created.

Pelican's ``process_translations`` (which sorts articles and pages into
originals and translations) ends with ``[x for x in content if x not in
originals]``, a scan of the list of originals for every article. It is
given, in ``pelican.generators``, a wrapper that calls it once per
translation group (the articles sharing a slug) instead: the same lists in
the same order, the same warnings, in time that grows with the archive.
"""

from __future__ import annotations

import calendar
import logging
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from itertools import groupby
from operator import attrgetter
from types import MethodType
from typing import Any

import pelican.generators
from pelican.writers import FileOverwriteFailedError
from plugin_support.contents import every_content

logger = logging.getLogger(__name__)


def in_archive_order(positions: dict[int, int], articles: list[Any]) -> list[Any]:
    """``[a for a in dates if a in articles]``, given each article's position in ``dates`` by ``id``."""
    members = {id(article): article for article in articles if id(article) in positions}
    return sorted(members.values(), key=lambda article: positions[id(article)])


def _write_listings(generator: Any, write: Any, template_name: str, groups: Any, item_key: str) -> None:
    """One listing page (paginated) per tag, section or author, as Pelican's own generators write them."""
    template = generator.get_template(template_name)
    positions = {id(article): number for number, article in enumerate(generator.dates)}
    for item, articles in groups:
        try:
            write(
                item.save_as,
                template,
                generator.context,
                url=item.url,
                articles=articles,
                dates=in_archive_order(positions, articles),
                template_name=template_name,
                blog=True,
                page_name=item.page_name,
                all_articles=generator.articles,
                **{item_key: item},
            )
        except FileOverwriteFailedError:
            if item.slug:
                logger.error('Failed to write %s page for "%s".', template_name.title(), item)
                raise
            logger.info('%s "%s" has an invalid slug; skipping writing its page...', template_name.title(), item)


def _generate_tags(generator: Any, write: Any) -> None:
    _write_listings(generator, write, "tag", generator.tags.items(), "tag")


def _generate_categories(generator: Any, write: Any) -> None:
    _write_listings(generator, write, "category", generator.categories, "category")


def _generate_authors(generator: Any, write: Any) -> None:
    _write_listings(generator, write, "author", generator.authors, "author")


PERIOD_KEYS = {
    "year": attrgetter("date.year"),
    "month": attrgetter("date.year", "date.month"),
    "day": attrgetter("date.year", "date.month", "date.day"),
}


def _build_period_archives(
    generator: Any, sorted_articles: list[Any], articles: list[Any], settings: dict[str, Any]
) -> defaultdict[str, list[dict[str, Any]]]:
    """The year, month and day archives exactly as Pelican builds them, each article looked at once per granularity."""
    period_archives: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for granularity, key in PERIOD_KEYS.items():
        save_as = settings[f"{granularity.upper()}_ARCHIVE_SAVE_AS"]
        if not save_as:
            continue
        url = settings[f"{granularity.upper()}_ARCHIVE_URL"]
        in_period: defaultdict[Any, list[Any]] = defaultdict(list)
        for article in articles:
            in_period[key(article)].append(article)
        for period, group in groupby(sorted_articles, key=key):
            dates = list(group)
            listed = {id(article) for article in dates}
            numbers = period if isinstance(period, tuple) else (period,)
            # Months are named in "period", as Pelican does: (2026, "May").
            named = numbers if granularity == "year" else (numbers[0], calendar.month_name[numbers[1]], *numbers[2:])
            period_archives[granularity].append(
                {
                    "dates": dates,
                    "articles": [article for article in in_period[period] if id(article) in listed],
                    "save_as": save_as.format(date=dates[0].date),
                    "url": url.format(date=dates[0].date),
                    "period": named,
                    "period_num": numbers,
                }
            )
    return period_archives


def speed_up(generator: Any) -> None:
    """Replace the article generator's quadratic methods with the linear ones above, on this generator only."""
    generator.generate_tags = MethodType(_generate_tags, generator)
    generator.generate_categories = MethodType(_generate_categories, generator)
    generator.generate_authors = MethodType(_generate_authors, generator)
    generator._build_period_archives = MethodType(_build_period_archives, generator)


Translations = Callable[..., tuple[list[Any], list[Any]]]


def by_translation_group(process_translations: Translations) -> Translations:
    """``process_translations`` applied to each translation group on its own, then joined.

    Pelican sorts the list by the translation id and handles each run of
    equal ids alone, except for its last step, which looks every item up in
    the list of all originals. Called on one run at a time, that look-up
    covers one run; the runs are joined in the same sorted order, so both
    lists come out as Pelican's would.
    """

    @wraps(process_translations)
    def per_group(content_list: list[Any], translation_id: Any = None) -> tuple[list[Any], list[Any]]:
        if not translation_id:
            return process_translations(content_list, translation_id)
        key = attrgetter(*({translation_id} if isinstance(translation_id, str) else translation_id))
        try:
            content_list.sort(key=key)
        except (TypeError, AttributeError):
            return process_translations(content_list, translation_id)  # which raises Pelican's own message
        originals: list[Any] = []
        translations: list[Any] = []
        for _, group in groupby(content_list, key=key):
            group_originals, group_translations = process_translations(list(group), translation_id)
            originals += group_originals
            translations += group_translations
        return originals, translations

    per_group.by_group = True  # type: ignore[attr-defined]
    return per_group


def group_translations() -> None:
    """Give Pelican's generators the per-group ``process_translations`` (once per process)."""
    if not getattr(pelican.generators.process_translations, "by_group", False):
        pelican.generators.process_translations = by_translation_group(pelican.generators.process_translations)


def remember_urls(generators: list[Any]) -> None:
    """Work out each article's and page's URL and output path once instead of at every use.

    Pelican formats ``ARTICLE_URL`` with the article's metadata at every
    ``article.url`` (on every page that links to it), and ``ARTICLE_SAVE_AS``
    at every ``save_as`` (when the output is claimed, and when it is written);
    a front-matter ``URL:`` or ``Save_as:`` (kept as ``override_url`` and
    ``override_save_as``) is used as it is. Once everything is read neither can
    change, so both are kept the same way. (Not earlier: an article dated in
    the future becomes a draft only after it is created.) Static files are not
    in these lists: an ``{attach}`` link may still move them.
    """
    for content in every_content(generators):
        if not hasattr(content, "override_url"):
            content.override_url = content.url
        if not hasattr(content, "override_save_as"):
            content.override_save_as = content.save_as
