"""One article's edition: both parts made from one reading of the article, and written side by side."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from plugin_support.text import one_line
from plugin_support.urls import site_url

from . import body, plain, render
from .settings import EditionSettings


@dataclass(frozen=True)
class Edition:
    """The two parts of one article's email."""

    slug: str
    html: str
    text: str

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Write ``SLUG.html`` and ``SLUG.txt`` into ``folder`` (made if missing); return their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        html_path, text_path = folder / f"{self.slug}.html", folder / f"{self.slug}.txt"
        html_path.write_text(self.html, encoding="utf-8")
        text_path.write_text(self.text, encoding="utf-8")
        return html_path, text_path


def names(people: list[Any]) -> str:
    """ "A", "A and B", "A, B and C"."""
    listed = [str(getattr(person, "name", person)) for person in people]
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def hero_html(article: Any, siteurl: str) -> str:
    """The article's hero image as the web page shows it (``theme/templates/partials/hero.html``), or ""."""
    image = getattr(article, "image", None)
    if not image:
        return ""
    caption = " ".join(
        str(part) for part in (getattr(article, "image_caption", ""), getattr(article, "image_credit", "")) if part
    )
    attributes = {
        "src": site_url(siteurl, str(image).lstrip("/")),
        "alt": getattr(article, "image_alt", ""),
        "width": getattr(article, "image_width", ""),
        "height": getattr(article, "image_height", ""),
    }
    tag = "<img " + " ".join(f'{key}="{html.escape(str(value))}"' for key, value in attributes.items()) + ">"
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="hero">{tag}{figcaption}</figure>'


def make_edition(article: Any, edition: EditionSettings, env: Environment) -> Edition:
    """The email of one published ``article`` (as Pelican read it with the production settings)."""
    settings = article.settings
    page_url = site_url(edition.siteurl, article.url)
    place = body.Place(page_url=page_url, siteurl=edition.siteurl, content=Path(settings["PATH"]))
    prepared = body.prepare(hero_html(article, edition.siteurl) + article.content, place)
    dek = one_line(article.metadata.get("summary") or "")
    date = article.date.strftime(settings.get("DEFAULT_DATE_FORMAT") or "%Y-%m-%d")
    byline = names(getattr(article, "authors", None) or [article.author])
    context = {
        "lang": getattr(article, "lang", None) or settings.get("DEFAULT_LANG", "en"),
        "title": article.title,
        "preheader": dek or article.title,
        "dek": dek,
        "section": article.category.name,
        "section_url": site_url(edition.siteurl, article.category.url),
        "byline": byline,
        "date": date,
        "page_url": page_url,
        "siteurl": edition.siteurl,
        "sitename": edition.sitename,
        "address": edition.address,
        "unsubscribe": edition.unsubscribe,
        "body": str(prepared),
    }
    text = "\n\n".join(
        part
        for part in (
            plain.wrap(f"Read on the web: {page_url}"),
            plain.wrap(article.category.name.upper()),
            plain.heading(article.title),
            plain.wrap(dek) if dek else "",
            plain.wrap(f"By {byline} · {date}"),
            plain.body_text(prepared),
            "-- ",
            plain.wrap(f"You are receiving {edition.sitename} because you subscribed."),
            plain.wrap(edition.address),
            plain.wrap(f"Unsubscribe: {edition.unsubscribe}"),
        )
        if part
    )
    return Edition(slug=article.slug, html=render.render(env, context), text=text + "\n")
