"""A content's path in the content folder, worked out once.

Pelican's ``Content.get_relative_source_path`` joins, makes absolute and
relativises the path every time it is asked: when the content is created
(kept as ``relative_source_path``), when its generator files it, and twice
each time its address or output path is formatted. Neither the content's
file nor the content folder changes once it is created, so the answer given
when it was created is given again; a call with another path still works it out.
"""

from __future__ import annotations

from functools import wraps

from pelican.contents import Content


def remember_relative_source_paths() -> None:
    """Give ``Content`` the remembering ``get_relative_source_path`` (once per process)."""
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

    get_relative_source_path.remembers = True  # type: ignore[attr-defined]
    Content.get_relative_source_path = get_relative_source_path  # type: ignore[method-assign]
