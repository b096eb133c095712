"""The HTML part: the theme's edition template filled in, then every style inlined with css-inline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATE = "email/edition.html"
# Rules are inlined; @media rules (phones, dark mode) cannot be, so they stay in the <style> block.
# Nothing is fetched: the template links no stylesheet, and an edition must not depend on one.
INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def environment(theme: str | Path) -> Environment:
    """A Jinja environment over the theme's templates, escaping as the site's does."""
    return Environment(
        loader=FileSystemLoader(str(Path(theme) / "templates")),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


KEPT_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


def render(env: Environment, context: dict[str, Any]) -> str:
    """The finished HTML part for ``context`` (see ``edition.make_edition`` for its keys)."""
    inlined = INLINER.inline(env.get_template(TEMPLATE).render(**context))
    # css-inline puts the @media rules it keeps first in <head>; they go last, so that <meta charset>
    # stays within the first 1024 bytes, where a client looks for it.
    kept = KEPT_STYLE.search(inlined)
    if kept is None:
        return inlined
    return inlined.replace(kept.group(), "", 1).replace("</head>", kept.group() + "\n</head>", 1)
