"""What Pelican works out from a content's source again and again, worked out once.

* Its path in the content folder. ``Content.get_relative_source_path`` joins,
  makes absolute and relativises the path every time it is asked: when the
  content is created (kept as ``relative_source_path``), when its generator
  files it, and twice each time its address or output path is formatted.
  Neither the content's file nor the content folder changes once it is
  created, so the answer given when it was created is given again; a call
  with another path still works it out.
* The static files its text links to. ``Content.get_static_links`` scans the
  whole HTML for ``{static}`` and ``{attach}`` links on every build. A
  process that builds again and again (``invoke livereload``) takes each
  unchanged article's very HTML text again, so the links found in the last
  build for the same text and source file are given again (the look-up costs
  the text's hash, which Python keeps on it). Only the last build's are kept.
"""

from __future__ import annotations

from functools import wraps

from pelican.contents import Content
from plugin_support.last_build import FromLastBuild

_static_links: FromLastBuild[frozenset[str]] = FromLastBuild()


def start_build() -> None:
    """A build begins: the static links the last one found are the ones that can be given again."""
    _static_links.start()


def remember_sources() -> None:
    """Give ``Content`` the remembering ``get_relative_source_path`` and ``get_static_links`` (once per process)."""
    original = Content.get_relative_source_path
    if getattr(original, "remembers", False):
        return

    @wraps(original)
    def get_relative_source_path(self: Content, source_path: str | None = None) -> str | None:
        if not source_path:
            known = self.__dict__.get("relative_source_path")
            if known is not None:
                return known
        return original(self, source_path)

    find_static_links = Content.get_static_links

    @wraps(find_static_links)
    def get_static_links(self: Content) -> set[str]:
        # Besides the text and its file, what the links are read with: the content folder and the link pattern.
        key = (self._content, self.source_path, self.settings["PATH"], self.settings["INTRASITE_LINK_REGEX"])
        return set(_static_links.get(key, lambda: frozenset(find_static_links(self))))

    get_relative_source_path.remembers = True  # type: ignore[attr-defined]
    Content.get_relative_source_path = get_relative_source_path  # type: ignore[method-assign]
    Content.get_static_links = get_static_links  # type: ignore[method-assign]
