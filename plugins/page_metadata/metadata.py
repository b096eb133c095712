"""Descriptions, canonical URLs and schema.org JSON-LD for articles, and the filters that output them."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from plugin_support.settings import add_jinja_filters, fill_defaults
from plugin_support.text import one_line, plain_text
from plugin_support.urls import site_url as public_url

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "META_DESCRIPTION_LENGTH": 160,
    "HEADLINE_MAX_LENGTH": 110,
    "PUBLISHER_NAME": None,
    "PUBLISHER_LOGO": None,
    "TWITTER_SITE": None,
}

SCHEMA_CONTEXT = "https://schema.org"
_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.DOTALL | re.IGNORECASE)
_TRAILING_PUNCTUATION = " ,;:.-–—"
# JSON text that could end a <script> element or open a comment or entity there.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in defaults and reject settings of the wrong shape at start-up."""
    fill_defaults(settings, DEFAULTS)
    for key, low in (("META_DESCRIPTION_LENGTH", 20), ("HEADLINE_MAX_LENGTH", 10)):
        value = settings[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ValueError(f"{key} must be a whole number of characters, at least {low}, got {value!r}")
    for key in ("PUBLISHER_NAME", "PUBLISHER_LOGO", "TWITTER_SITE"):
        value = settings[key]
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValueError(f"{key} must be a non-empty string or None, got {value!r}")
    if settings["TWITTER_SITE"] is not None and not settings["TWITTER_SITE"].startswith("@"):
        raise ValueError(f"TWITTER_SITE must be an @handle, got {settings['TWITTER_SITE']!r}")
    settings["PUBLISHER_NAME"] = settings["PUBLISHER_NAME"] or settings["SITENAME"]
    settings["PUBLISHER_LOGO"] = (
        settings["PUBLISHER_LOGO"] or f"{settings.get('THEME_STATIC_DIR', 'theme')}/images/logo.png"
    )


# --- text -------------------------------------------------------------------


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters, cut at a word boundary with "…"."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(_TRAILING_PUNCTUATION) + "…"


def first_paragraph(content: str) -> str:
    """The text of the first non-empty ``<p>`` in rendered article HTML."""
    for match in _PARAGRAPH.finditer(content or ""):
        text = plain_text(match.group(1))
        if text:
            return text
    return ""


def takeaways_text(takeaways: Any) -> str:
    """The takeaways' sentences in order, one after another."""
    parts = []
    for item in takeaways or []:
        text = item.get("text") if isinstance(item, dict) else getattr(item, "text", None)
        if text:
            parts.append(plain_text(str(text)))
    return " ".join(parts)


def description(article: Any, limit: int) -> str:
    """Summary as written, else takeaways or the first paragraph shortened to ``limit``.

    The summary is the dek an editor wrote for exactly this purpose, so it is not cut.
    """
    summary = article.metadata.get("summary")
    if summary and one_line(summary):
        return one_line(summary)
    text = takeaways_text(getattr(article, "takeaways", None))
    text = text or first_paragraph(getattr(article, "content", ""))
    return shorten(text, limit)


# --- URLs ---------------------------------------------------------------------


def site_url(settings: dict[str, Any], path: str = "") -> str:
    """``path`` (as Pelican writes ``article.url``) under the site's ``SITEURL``."""
    return public_url(settings.get("SITEURL") or "", path)


def canonical_url(article: Any, settings: dict[str, Any]) -> str:
    """The ``Canonical:`` URL of a syndicated copy, else the article's own URL."""
    declared = article.metadata.get("canonical")
    if declared:
        declared = str(declared).strip()
        if re.match(r"https?://[^\s/]+", declared):
            return declared
        logger.error(
            "%s: Canonical must be an absolute http(s) URL, got %r", getattr(article, "source_path", "?"), declared
        )
    return site_url(settings, article.url)


# --- JSON-LD ------------------------------------------------------------------


# Worked out once per build for all its articles: the publisher, and the page of each section and author.
_publishers: dict[tuple[str, str, str], dict[str, Any]] = {}
_name_pages: dict[int, tuple[Any, str, str]] = {}


def start_build() -> None:
    """A build begins: what the last one worked out for all articles may not hold for this one's settings."""
    _publishers.clear()
    _name_pages.clear()


def publisher(settings: dict[str, Any]) -> dict[str, Any]:
    """The publisher ``Organization``: one object, shared by every article of a build, for the same settings."""
    key = (settings["PUBLISHER_NAME"], settings.get("SITEURL") or "", settings["PUBLISHER_LOGO"])
    found = _publishers.get(key)
    if found is None:
        found = _publishers[key] = {
            "@type": "Organization",
            "name": settings["PUBLISHER_NAME"],
            "url": site_url(settings),
            "logo": {"@type": "ImageObject", "url": site_url(settings, settings["PUBLISHER_LOGO"])},
        }
    return found


def name_page_url(named: Any, settings: dict[str, Any]) -> str:
    """The public URL of a section's or author's page (``named.url``), the same for every article that names it."""
    siteurl = settings.get("SITEURL") or ""
    known = _name_pages.get(id(named))
    # The object is kept with its URL, so no other object can take over its id while the build runs.
    if known is not None and known[0] is named and known[1] == siteurl:
        return known[2]
    url = site_url(settings, named.url)
    _name_pages[id(named)] = (named, siteurl, url)
    return url


def news_article(article: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """A schema.org ``NewsArticle`` for ``article``."""
    page_url = getattr(article, "canonical_url", None) or canonical_url(article, settings)
    modified = getattr(article, "modified", None) or article.date
    summary = getattr(article, "meta_description", None) or description(article, settings["META_DESCRIPTION_LENGTH"])
    data: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "NewsArticle",
        "headline": shorten(article.title, settings["HEADLINE_MAX_LENGTH"]),
        "description": summary,
        "url": page_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url},
        "datePublished": article.date.isoformat(),
        "dateModified": modified.isoformat(),
        "author": [
            {"@type": "Person", "name": author.name, "url": name_page_url(author, settings)}
            for author in getattr(article, "authors", [])
        ],
        "publisher": publisher(settings),
        "inLanguage": getattr(article, "lang", None) or settings.get("DEFAULT_LANG", "en"),
    }
    # The share card's 16:9, 4:3 and 1:1 versions when the build made them (plugins/share_images), else the hero.
    card = getattr(article, "share_card", None)
    if card is not None and card.crops:
        data["image"] = [site_url(settings, path) for path in card.crops]
    elif getattr(article, "image", None):
        data["image"] = [site_url(settings, article.image)]
    if getattr(article, "category", None):
        data["articleSection"] = article.category.name
    tags = [tag.name for tag in getattr(article, "tags", None) or []]
    if tags:
        data["keywords"] = tags
    # Corrections (plugins/corrections), as Google's article guidelines describe them.
    corrections = getattr(article, "corrections", None) or []
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": notice.text, "datePublished": notice.when.isoformat()}
            for notice in corrections
        ]
    return data


def breadcrumbs(article: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """A schema.org ``BreadcrumbList``: home › section › article."""
    trail = [(settings["SITENAME"], site_url(settings))]
    if getattr(article, "category", None):
        trail.append((article.category.name, name_page_url(article.category, settings)))
    trail.append((article.title, site_url(settings, article.url)))
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def website(settings: dict[str, Any]) -> dict[str, Any]:
    """A schema.org ``WebSite`` for the home page."""
    data: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "WebSite",
        "name": settings["SITENAME"],
        "url": site_url(settings),
        "inLanguage": settings.get("DEFAULT_LANG", "en"),
        "publisher": publisher(settings),
    }
    if settings.get("SITE_DESCRIPTION"):
        data["description"] = settings["SITE_DESCRIPTION"]
    return data


def prepare_article(article: Any, settings: dict[str, Any]) -> None:
    """Attach ``dek``, ``meta_description``, ``canonical_url`` and ``structured_data`` to ``article``."""
    article.dek = article.metadata.get("summary")
    article.canonical_url = canonical_url(article, settings)
    article.meta_description = description(article, settings["META_DESCRIPTION_LENGTH"])
    article.structured_data = [news_article(article, settings), breadcrumbs(article, settings)]


# --- filters ------------------------------------------------------------------


def json_for_script(data: Any) -> str:
    """``data`` as JSON that is safe between ``<script>`` and ``</script>``.

    ``<``, ``>`` and ``&`` only ever occur inside JSON strings, where the
    ``\\uXXXX`` escapes decode to the same characters, so ``json.loads`` gives
    back exactly ``data``.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub(r"[<>&]", lambda match: _SCRIPT_UNSAFE[match.group(0)], text)


def install_filters(settings: dict[str, Any]) -> None:
    """Add the ``json_ld`` and ``absolute_url`` Jinja filters for this build."""
    add_jinja_filters(settings, json_ld=json_for_script, absolute_url=lambda path="": site_url(settings, path))
