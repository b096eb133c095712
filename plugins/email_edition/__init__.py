"""The newsletter edition: one published article as an email. The engine of ``invoke email``; not a Pelican plugin.

``invoke email`` reads the site once with the production settings (the real
readers and plugins, nothing written: the same reading ``invoke check
--production`` does, from the build cache) and hands each chosen article to
``make_edition``, which writes two parts:

* ``SLUG.html``: an email, not a web page (``render``): a single-column
  table at most 600 px wide that fills narrower screens, every style inlined
  with css-inline (one ``<style>`` block keeps only media queries and
  dark-mode hints), absolute URLs everywhere, raster images with ``width``,
  ``height`` and ``alt`` (an SVG is replaced by a raster file of the same
  name when the content folder has one, else by a visible line naming the
  image), the kicker, headline, dek, byline and date, the body with its
  emoji headings, pull quotes and Key Takeaways box, a hidden preheader
  from the dek, a "Read on the web" link at the top and a footer with the
  publication's postal address and the provider's unsubscribe merge tag;
  no script, form, external stylesheet or web font;
* ``SLUG.txt``: the plain-text part (``plain``): every heading, paragraph,
  link (as its URL), pull quote and takeaway in reading order, wrapped at 78
  columns.

``body`` prepares the article's rendered HTML for both parts.

Settings read from the site's settings (defaults in ``settings.DEFAULTS``):

``EMAIL_ADDRESS_LINE``
    The publication's postal address, shown in every edition's footer (anti-spam
    laws and every provider require one). Default ``None``, which stops
    ``invoke email`` naming the setting; ``pelicanconf.py`` sets one.
``EMAIL_UNSUBSCRIBE_URL``
    The unsubscribe link's address: a merge tag the sending service replaces
    per reader. Default ``None``: the merge tag of ``SUBSCRIBE_PROVIDER``
    (``subscribe.providers.UNSUBSCRIBE_TAGS``: buttondown and kit
    ``{{ unsubscribe_url }}``, mailchimp ``*|UNSUB|*``, listmonk
    ``{{ UnsubscribeURL }}``); required for ``"generic"``, ``"emailoctopus"``
    and no provider.
``EMAIL_MAX_BYTES``
    The largest ``.html`` part ``invoke email`` accepts. Default ``102000``:
    Gmail clips messages from about 102 KB.
"""

from __future__ import annotations

from .edition import Edition, make_edition
from .settings import DEFAULTS, EditionError, EditionSettings, read_settings

__all__ = ["DEFAULTS", "Edition", "EditionError", "EditionSettings", "make_edition", "read_settings"]
