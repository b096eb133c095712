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
* Whether its HTML links to other content at all. Pelican runs its link
  pattern over the whole text for every page that shows it, to point
  ``{filename}``, ``{static}`` and the like at their addresses from that
  page. A text with no such link comes out as it went in, so it is given
  back at once. Whether a text has one is found when its static links are
  looked for, which the build process does for every article before any page
  is made, so the workers that render the pages know it too; a process that
  builds again takes it from the last build for the same text. With
  Pelican's own link pattern, a text holding neither ``{`` nor ``|`` has
  none, which is known without running the pattern.
"""

from __future__ import annotations

from functools import wraps

from pelican.contents import Content
from pelican.settings import DEFAULT_CONFIG
from plugin_support.last_build import FromLastBuild

_static_links: FromLastBuild[frozenset[str]] = FromLastBuild()
_links_inside: FromLastBuild[bool] = FromLastBuild()


def start_build() -> None:
    """A build begins: what the last one found of each text is what can be given again."""
    _static_links.start()
    _links_inside.start()


# Pelican's own link pattern: every link it matches starts with one of these characters.
PELICAN_LINK_REGEX = DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]
PELICAN_LINK_STARTS = ("{", "|")


def _finds_a_link(content: Content, text: str) -> bool:
    link_regex = content.settings["INTRASITE_LINK_REGEX"]
    # Pelican's whole pattern tries a tag at every "<" of the text before it looks for the link in it:
    # some 60 µs for a story's 8 KB. Most stories have no link, and with Pelican's own pattern a text that
    # lacks both starting characters (a search in C, under a microsecond each) cannot hold one.
    if link_regex == PELICAN_LINK_REGEX and not any(start in text for start in PELICAN_LINK_STARTS):
        return False
    # The search stops at the first link; a text without one is scanned once, as Pelican would.
    return content._get_intrasite_link_regex().search(text) is not None


def _links_inside_of(content: Content, text: str) -> bool:
    """Whether ``text`` has a link Pelican points at other content (``{filename}``, ``{static}``…)."""
    key = (text, content.settings["INTRASITE_LINK_REGEX"])
    return _links_inside.get(key, lambda: _finds_a_link(content, text))


def remember_sources() -> None:
    """Give ``Content`` the remembering ``get_relative_source_path``, ``get_static_links`` and
    ``_update_content`` (once per process)."""
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
        if not _links_inside_of(self, self._content):
            return set()
        # Besides the text and its file, what the links are read with: the content folder and the link pattern.
        key = (self._content, self.source_path, self.settings["PATH"], self.settings["INTRASITE_LINK_REGEX"])
        return set(_static_links.get(key, lambda: frozenset(find_static_links(self))))

    point_links = Content._update_content

    @wraps(point_links)
    def _update_content(self: Content, content: str, siteurl: str) -> str:
        if not content or not _links_inside_of(self, content):
            return content
        return point_links(self, content, siteurl)

    get_relative_source_path.remembers = True  # type: ignore[attr-defined]
    Content.get_relative_source_path = get_relative_source_path  # type: ignore[method-assign]
    Content.get_static_links = get_static_links  # type: ignore[method-assign]
    Content._update_content = _update_content  # type: ignore[method-assign]
