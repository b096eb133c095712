"""The sitemap, sitemap index, news sitemap and robots.txt as documents, built from plain entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.etree import ElementTree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

# Elements carry their prefix in the name and the root declares the namespaces,
# so the files read exactly as the protocols show them (``news:`` prefix,
# declared even on an empty urlset).
NEWS_PREFIX = "news"


@dataclass(frozen=True)
class PageEntry:
    """One URL of the sitemap."""

    loc: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class NewsEntry:
    """One article of the news sitemap."""

    loc: str
    title: str
    published: datetime


def _news(name: str) -> str:
    return f"{NEWS_PREFIX}:{name}"


def _w3c(when: datetime) -> str:
    return when.replace(microsecond=0).isoformat()


def _serialize(root: ElementTree.Element) -> bytes:
    ElementTree.indent(root, space=" ")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _locations(root_tag: str, item_tag: str, entries: Iterable[PageEntry]) -> bytes:
    """``<root_tag>`` holding one ``<item_tag>`` with ``loc`` and ``lastmod`` per entry."""
    root = ElementTree.Element(root_tag, {"xmlns": SITEMAP_NS})
    for entry in entries:
        item = ElementTree.SubElement(root, item_tag)
        ElementTree.SubElement(item, "loc").text = entry.loc
        if entry.lastmod is not None:
            ElementTree.SubElement(item, "lastmod").text = _w3c(entry.lastmod)
    return _serialize(root)


def urlset(entries: Iterable[PageEntry]) -> bytes:
    """A ``<urlset>`` listing ``entries``."""
    return _locations("urlset", "url", entries)


def sitemap_index(children: Iterable[PageEntry]) -> bytes:
    """A ``<sitemapindex>`` pointing at child sitemaps."""
    return _locations("sitemapindex", "sitemap", children)


def chunks(entries: Sequence[PageEntry], size: int) -> list[Sequence[PageEntry]]:
    """``entries`` in consecutive groups of at most ``size``."""
    return [entries[start : start + size] for start in range(0, len(entries), size)]


def newest(entries: Iterable[PageEntry]) -> datetime | None:
    """The latest ``lastmod`` among ``entries``, if any has one."""
    dates = [entry.lastmod for entry in entries if entry.lastmod is not None]
    return max(dates) if dates else None


def recent_news(entries: Iterable[NewsEntry], build_time: datetime, hours: float, limit: int) -> list[NewsEntry]:
    """Articles published in the ``hours`` up to ``build_time``, newest first, at most ``limit``."""
    start = build_time - timedelta(hours=hours)
    recent = [entry for entry in entries if start <= entry.published <= build_time]
    recent.sort(key=lambda entry: entry.published, reverse=True)
    return recent[:limit]


def news_urlset(entries: Iterable[NewsEntry], publication_name: str, language: str) -> bytes:
    """A ``<urlset>`` with one ``<news:news>`` block per article."""
    root = ElementTree.Element("urlset", {"xmlns": SITEMAP_NS, f"xmlns:{NEWS_PREFIX}": NEWS_NS})
    for entry in entries:
        url = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(url, "loc").text = entry.loc
        news = ElementTree.SubElement(url, _news("news"))
        publication = ElementTree.SubElement(news, _news("publication"))
        ElementTree.SubElement(publication, _news("name")).text = publication_name
        ElementTree.SubElement(publication, _news("language")).text = language
        ElementTree.SubElement(news, _news("publication_date")).text = _w3c(entry.published)
        ElementTree.SubElement(news, _news("title")).text = entry.title
    return _serialize(root)


def robots_txt(sitemap_urls: Iterable[str]) -> str:
    """A robots.txt that lets every crawler in and names the sitemaps."""
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {url}" for url in sitemap_urls]
    return "\n".join(lines) + "\n"
