"""Checks that need every file read: outputs written twice, links to other content, tag spellings."""

from __future__ import annotations

import logging
import os
import sys
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from plugin_support import problems
from plugin_support.problems import WARNING
from plugin_support.text import normalised_tag


def _same_slug(one: Any, other: Any) -> bool:
    return (one.slug, one.lang) == (getattr(other, "slug", None), getattr(other, "lang", None))


def report_second(one: Any, other: Any, message: str) -> None:
    """Report a clash of two sources once, on the newer one (by date, then path), naming the other."""
    first, second = sorted((one, other), key=lambda content: (str(getattr(content, "date", "")), content.source_path))
    key = "slug" if "slug" in getattr(second, "metadata", {}) else "title"
    problems.report_key(second.source_path, key, message.format(other=problems.display_path(first.source_path)))


class OutputOwners:
    """Which source writes each output file; a second source for the same file is reported, naming both."""

    def __init__(self) -> None:
        self.owner: dict[str, Any] = {}

    def claim(self, content: Any) -> None:
        save_as, source = getattr(content, "save_as", ""), getattr(content, "source_path", None)
        if not save_as or not source:
            return
        earlier = self.owner.setdefault(save_as, content)
        # Two files with one slug are reported by check_slugs, whatever their output paths.
        if earlier.source_path != source and not _same_slug(earlier, content):
            message = f"writes {save_as}, which {{other}} writes too; give one of them another Slug so neither is lost"
            report_second(earlier, content, message)


def check_slugs(contents: Iterable[Any]) -> None:
    """Report two articles (or two pages) with one slug in one language: links and pins could not tell them apart."""
    by_slug: dict[tuple[str, str], Any] = {}
    for content in contents:
        earlier = by_slug.setdefault((content.slug, content.lang), content)
        if earlier is not content:
            report_second(earlier, content, f'Slug "{content.slug}" is also the slug of {{other}}; give one another')


def check_tag_spellings(articles: Iterable[Any]) -> None:
    """Warn where one tag is written two ways (``AI chips``, ``Ai  Chips``): they would share one tag page.

    The spelling most articles use is taken as meant (on a tie, the one in the
    file whose path sorts first); each article with another spelling is reported.
    """
    spellings: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for article in sorted(articles, key=lambda article: article.source_path):
        for tag in getattr(article, "tags", []):
            spellings[normalised_tag(tag.name)][tag.name].append(article.source_path)
    for written in spellings.values():
        if len(written) < 2:
            continue
        meant = max(written, key=lambda spelling: len(written[spelling]))
        example = problems.display_path(written[meant][0])
        for spelling, sources in written.items():
            for source in sources if spelling != meant else ():
                message = f'Tags: "{spelling}" is written "{meant}" in {example}; use one spelling for one tag'
                problems.report_key(source, "tags", message, WARNING)


def site_urls(context: dict[str, Any], settings: dict[str, Any]) -> set[str]:
    """Every URL path the site will have, without a leading slash (``2026/05/story/``, ``images/map.svg``)."""
    contents = [
        *context.get("articles", []),
        *context.get("hidden_articles", []),
        *context.get("pages", []),
        *context.get("hidden_pages", []),
        *context.get("staticfiles", []),
        *context.get("translations", []),
    ]
    urls = {content.url for content in contents}
    for taxonomy in ("categories", "tags", "authors"):
        urls.update(wrapper.url for wrapper, _ in context.get(taxonomy, []))
    for name, value in settings.items():
        named_url = name.endswith(("_URL", "_SAVE_AS")) or name.startswith("FEED_")
        if named_url and isinstance(value, str) and value and "{" not in value:
            urls.add(value)
    urls.add("")
    return {url.removesuffix("index.html").lstrip("/") for url in urls}


def check_references(
    references: dict[str, list[tuple[str, str, int]]], context: dict[str, Any], settings: dict[str, Any]
) -> None:
    """Report links to content that will not be on the site: unknown ``{filename}`` targets, unknown paths."""
    generated = set(context.get("generated_content", {})) | set(context.get("static_content", {}))
    known_urls: set[str] | None = None
    for source, links in references.items():
        for kind, target, line in links:
            if kind == "filename":
                if os.path.normpath(target) not in generated:
                    problems.report(
                        source,
                        line,
                        f'the link "{{filename}}" target {target} is not a file of the site; '
                        "check the path (from the content folder when it starts with /, else from this file)",
                    )
                continue
            if known_urls is None:
                known_urls = site_urls(context, settings)
            path = target.split("#", 1)[0].lstrip("/").removesuffix("index.html")
            if path not in known_urls and f"{path}/" not in known_urls:
                problems.report(source, line, f'the link "{target}" goes to no page or file of this site')


# Pelican's warnings about two files with one slug (pelican.utils.get_original_items).
PELICAN_DUPLICATE_WARNINGS = ('There are %s items "%s" with lang', "There are %s original (not translated) items")
# Pelican's second word on problems the body checks report with their line: an image without alt text
# (pelican.readers.find_empty_alt), and a {static} file that is not there (the static generator stamping it).
PELICAN_EMPTY_ALT = "Empty alt attribute for image %s in %s"
PELICAN_NO_STAMP = "Cannot get modification stamp for %s\n\t%s"


class FoldUnreadable(logging.Filter):
    """Turns Pelican's reasonless ``Could not process <file>`` into one problem with the cause, or drops it.

    Pelican logs it from inside its ``except`` block, so the exception is at
    hand here even when Pelican does not attach it. A file this plugin's
    reader already reported (``AlreadyReportedError``) is not reported again.
    Pelican's own warnings about what the body checks report are dropped too.
    """

    def __init__(self, content_root: str) -> None:
        super().__init__()
        self.content_root = content_root

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(PELICAN_DUPLICATE_WARNINGS):
            return False  # check_slugs reports these, once each, with a line
        if record.msg == PELICAN_EMPTY_ALT:
            return False
        if record.msg == PELICAN_NO_STAMP and record.args and not os.path.exists(str(record.args[0])):
            return False
        if record.msg != "Could not process %s" or not record.args:
            return True
        error = sys.exc_info()[1]
        if error is None:
            return True
        if not isinstance(error, problems.AlreadyReportedError):
            path = os.path.join(self.content_root, str(record.args[0]))
            problems.report(path, getattr(error, "lineno", None), str(error) or type(error).__name__)
        return False


def fold_pelican_messages(settings: dict[str, Any]) -> None:
    """Put a ``FoldUnreadable`` first on Pelican's loggers, in place of an earlier build's."""
    for name in ("pelican.generators", "pelican.utils", "pelican.readers", "pelican.cache"):
        log = logging.getLogger(name)
        for old in [f for f in log.filters if isinstance(f, FoldUnreadable)]:
            log.removeFilter(old)
        # Ahead of Pelican's own filter, which would drop a message seen in an earlier build of this process.
        log.filters.insert(0, FoldUnreadable(settings["PATH"]))
