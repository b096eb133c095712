"""Images for readers and for sharing: share cards for every page, and images sized for the screen.

When the build derives images (``IMAGES_DERIVE``: ``invoke publish`` and
``invoke build --images``):

* every article and page gets a share card, a 1200×630 picture for link
  previews (``og:image``, ``twitter:image``): its hero image cropped to 1.91:1
  around ``Image_focus: x,y`` (fractions of the width and height; the centre by
  default), or, without a hero, a typographic card in the site's colours with
  the section, the headline (at most four lines, the type stepped down until
  it fits, words never cut, emoji left out) and the site name. Articles also
  get 16:9, 4:3 and 1:1 versions for their NewsArticle structured data. Home,
  section and every other page share the site card. File names carry a digest
  of what the card is made from (``cards.py``);
* hero, lead and body images in JPEG, PNG or WebP are written at the widths of
  ``IMAGES_WIDTHS`` they are not narrower than, in the formats of
  ``IMAGES_FORMATS`` plus their own, and offered with ``<picture>``, ``srcset``
  and ``sizes``; SVG and GIF are shown as they are (``variants.py``). Body images
  are rewritten during the Markdown conversion (``markup.py``);
* every derived file is kept in ``IMAGES_CACHE_PATH`` under a digest of
  everything it is made from, so a build makes only what changed, on every core
  (``build.py``); a hero or body image that cannot be decoded is reported on
  the line of each article that uses it, and nothing is published.

Without it (development builds, livereload) pages link the original images
and no image is decoded. Templates get ``content.hero_picture`` (a
``variants.Picture``) in every build, and ``content.share_card`` and the
context's ``site_share_card`` (``build.ShareCard``) when images are derived.

Settings (defaults in ``config.DEFAULTS``):

``IMAGES_DERIVE``
    Make share cards and responsive copies. Default ``False``; ``True`` in
    ``publishconf.py`` and with ``invoke build --images``.
``IMAGES_CACHE_PATH``
    Folder of derived files kept between builds, or ``None`` to make all of
    them every time (``invoke build --no-cache``). Default ``None``;
    ``pelicanconf.py`` sets ``.image-cache/``.
``IMAGES_OUTPUT_DIR``
    Folder of the site the copies are written to. Default ``"images/derived"``.
``IMAGES_WIDTHS``
    Widths offered, in pixels, never larger than the original. Default
    ``[480, 800, 1200, 1600]``.
``IMAGES_FORMATS``
    Formats offered before the original's own: ``"webp"``, ``"avif"``.
    Default ``["webp"]``.
``IMAGES_QUALITY``
    Quality of lossy copies (1–100). Default ``80``.
``IMAGES_THUMB_WIDTH``
    Widest copy a Keep Reading thumbnail offers. Default ``480``.
``IMAGES_HERO_SIZES``, ``IMAGES_BODY_SIZES``, ``IMAGES_THUMB_SIZES``
    The ``sizes`` attribute of hero (and lead), body and thumbnail images,
    matching the theme's layout.
``SHARE_CARD_DIR``
    Folder of the site the cards are written to. Default ``"images/cards"``.
``SHARE_CARD_QUALITY``
    JPEG quality of the cards (typographic cards keep full colour detail). Default ``85``.
``SHARE_CARD_MARGIN``
    Pixels kept clear on every side of a typographic card. Default ``72``.
``SHARE_CARD_COLOURS``
    ``background``, ``ink``, ``muted``, ``accent`` and ``rule`` as ``#rrggbb``;
    default the theme's light palette.
``SHARE_CARD_FONTS``
    ``headline``, ``kicker`` and ``site`` fonts, each ``package:file`` (a font
    file an installed package ships) or a path. Default Source Serif Pro Bold
    (``font-source-serif-pro``) and Source Sans Pro Bold (``font-source-sans-pro``),
    pinned in ``pyproject.toml`` so every machine draws the same pixels.

The build stops at start-up, naming the setting, on a value of the wrong shape.
"""

from __future__ import annotations

from pelican import signals
from plugin_support.settings import use_markdown_extension

from .build import prepare
from .config import DEFAULTS, derive, validate_settings
from .markup import ResponsiveImagesExtension

__all__ = ["DEFAULTS", "register"]


def _start(pelican) -> None:
    settings = pelican.settings
    validate_settings(settings)
    use_markdown_extension(
        settings, ResponsiveImagesExtension, ResponsiveImagesExtension(settings) if derive(settings) else None
    )


def register() -> None:
    signals.initialized.connect(_start)
    signals.all_generators_finalized.connect(prepare)
