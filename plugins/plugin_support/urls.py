"""Public URLs: a path of the site joined to ``SITEURL``, the one way every plugin does it."""

from __future__ import annotations

from urllib.parse import urljoin


def site_url(siteurl: str, path: str = "") -> str:
    """The public URL of ``path`` under ``siteurl``.

    ``path`` is a path in the site as Pelican writes ``article.url`` or an
    output file (``section/world/index.html``); a trailing ``index.html`` is
    dropped, since static hosts serve a folder's index at the folder's URL.
    A plain relative path is appended as it is, which is what ``urljoin``
    gives for it, at a fraction of the cost (this runs for every link of every
    page); anything else (``..``, an absolute path, a scheme) goes through ``urljoin``.
    """
    path = str(path)
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    base = siteurl.rstrip("/") + "/"
    plain = (
        path.isprintable()  # urljoin drops tabs and line breaks anywhere
        and not (path[:1].isspace() or path[-1:].isspace())  # and spaces at either end
        and not path.startswith(("/", "."))
        and "/." not in path
        and "//" not in path  # urljoin folds empty segments
        and "?" not in path  # urljoin drops an empty query or fragment
        and "#" not in path
        and ":" not in path.split("/", 1)[0]
    )
    return base + path if plain else urljoin(base, path)
