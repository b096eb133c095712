"""Page metadata: what search engines and link previews read from each page's head.

Prepares, for the theme's head partials (``partials/canonical.html``,
``partials/meta_social.html``, ``partials/structured_data.html``):

* ``article.dek``: the front-matter summary as written, or ``None``, shown
  under the headline on the article and on every card of it: a field of its
  own, so that a page showing it reads that alone, not all of
  ``article.metadata``;
* ``article.meta_description``: the front-matter summary as written, else the
  text of the article's takeaways (``article.takeaways``, items with ``.text``,
  when another plugin provides them), else the first paragraph of the body;
  one line, and the fallbacks cut at a word boundary to
  ``META_DESCRIPTION_LENGTH`` characters with "…";
* ``article.canonical_url``: the article's own absolute URL, or the
  ``Canonical:`` front-matter URL of a syndicated copy (it must be an absolute
  ``http(s)`` URL, or the build fails naming the file);
* ``article.structured_data``: schema.org JSON-LD as Python dicts, a
  ``NewsArticle`` (headline cut to ``HEADLINE_MAX_LENGTH``, images: the
  16:9, 4:3 and 1:1 versions of ``article.share_card`` when the share_images
  plugin made them, else the hero image, dates with
  their UTC offset, authors as ``Person`` with their author page, the publisher
  as an ``Organization`` with its logo, section, keywords, main page, and each
  of ``article.corrections`` as a ``CorrectionComment`` when another plugin
  provides them) and a
  ``BreadcrumbList`` (home › section › article);
* ``site_structured_data`` in the template context: a ``WebSite`` for the
  home page;
* Jinja filters: ``json_ld`` serialises a dict with ``json.dumps`` and then
  escapes ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026``, so no
  value can end its ``<script>`` element (the result may be output with
  ``|safe``); ``absolute_url`` turns an output path such as
  ``section/world/index.html`` into ``SITEURL/section/world/``.

Settings (defaults in ``DEFAULTS``):

``META_DESCRIPTION_LENGTH``
    Longest meta description, in characters. Default ``160``.
``HEADLINE_MAX_LENGTH``
    Longest JSON-LD ``headline`` (Google's limit). Default ``110``.
``PUBLISHER_NAME``
    The publisher ``Organization``'s name. Default ``None``: ``SITENAME``.
``PUBLISHER_LOGO``
    The publisher's square raster logo, a path under the site.
    Default ``None``: ``THEME_STATIC_DIR + "/images/logo.png"``.
``TWITTER_SITE``
    The ``@handle`` for ``twitter:site``; default ``None`` (no such tag).
"""

from __future__ import annotations

from pelican import signals

from .metadata import DEFAULTS, install_filters, prepare_article, start_build, validate_settings, website

__all__ = ["DEFAULTS", "register"]


def _start(pelican) -> None:
    start_build()
    validate_settings(pelican.settings)
    install_filters(pelican.settings)


def _prepare_drafts(generator) -> None:
    # Drafts are written without a per-article signal; articles wait for theirs so
    # that data other plugins add after reading (takeaways) is there.
    for draft in (*generator.drafts, *generator.drafts_translations):
        prepare_article(draft, generator.settings)
    generator.context["site_structured_data"] = website(generator.settings)


def _prepare(generator, content) -> None:
    prepare_article(content, generator.settings)


def register() -> None:
    signals.initialized.connect(_start)
    signals.article_generator_finalized.connect(_prepare_drafts)
    signals.article_generator_write_article.connect(_prepare)
