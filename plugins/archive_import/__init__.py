"""Bringing a newsletter archive across: the engine of ``invoke import``. Not a Pelican plugin.

It reads a platform's export (``sources``: beehiiv's posts CSV, Substack's
export folder or zip, Ghost's JSON export, or one story pasted as plain text),
cleans each story's HTML of the platform's furniture, tracking and anything
executable (``convert``), turns it into Markdown with markdownify, and applies
the house conventions (``house``: emoji and bold lines become headings, "•"
lines lists, a "Key Takeaways" label and its list a takeaways block, the
platform's sign-up line the site's ``[subscribe]`` marker). ``importer``
writes each story to ``content/articles/<year>/<slug>.md`` with its front
matter, copies images given with ``--images``, appends the old addresses to
the redirects file (``plugins/redirects`` turns them into redirect pages) and
reports every post written, left as it was or skipped, and every piece that
could not be brought across, as ``source:row-or-post: what and why``.

Running it twice writes nothing new; an existing file with other text is left
alone unless ``--force``.

Setting read from the site's settings:

``IMPORT_TAG_SECTIONS``
    ``{tag: section}``: the section of an imported story without
    ``--section``, from the first of its tags found here (case does not
    matter). Default ``{}``.
"""

from __future__ import annotations

from .importer import Importer, Options, Report
from .sources import SOURCES, ExportError

__all__ = ["SOURCES", "ExportError", "Importer", "Options", "Report"]
