"""Jinja's own bookkeeping made cheaper, for a theme of many small partials.

A page of this theme renders a few dozen partials and imports, and Jinja
makes a new context for each. Two things it does for every one of them run in
Python where C would do:

* it lists the names of the template's globals, which Jinja keeps as a
  ``ChainMap`` of the template's own and the environment's; iterating a
  ``ChainMap`` builds a dictionary in Python. ``QuickContext`` takes the same
  set as the union of the maps' keys, in one call (``install``);
* it finds each included template in a least-recently-used cache of 400 that
  moves the template to the end of a queue on every look-up, comparing it
  with the entries before it. A build loads the theme once and keeps it
  (``auto_reload`` is off), so ``template_cache_size`` gives an unlimited
  cache: a plain dictionary.

What a page renders is the same either way; only Jinja's work is less.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from jinja2.runtime import Context

# Jinja's ``cache_size`` for no limit: its cache is then a plain dictionary.
UNLIMITED = -1


class QuickContext(Context):
    """Jinja's context, listing the template globals' names in one call instead of through a ``ChainMap``."""

    def __init__(
        self,
        environment: Any,
        parent: dict[str, Any],
        name: str | None,
        blocks: dict[str, Callable[[Context], Iterator[str]]],
        globals: MutableMapping[str, Any] | None = None,
    ) -> None:
        super().__init__(environment, parent, name, blocks, None)
        if globals is not None:
            self.globals_keys = set().union(*globals.maps) if isinstance(globals, ChainMap) else set(globals)


def install(environment: Any) -> None:
    """Make ``environment`` create ``QuickContext``s, unless it was given a context class of its own."""
    if environment.context_class is Context:
        environment.context_class = QuickContext


def template_cache_size(jinja_environment: dict[str, Any]) -> None:
    """Give the Jinja options an unlimited template cache, unless they set a size of their own."""
    jinja_environment.setdefault("cache_size", UNLIMITED)
