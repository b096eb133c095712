"""What the last build in this process worked out, given again for the same inputs.

A process that builds again and again (``invoke livereload``) takes each
unchanged article's very objects again, such as its HTML text, whose hash
Python keeps on it: looking a result up by them costs a dictionary look-up.
A result worked out earlier in the same build is given again too, also in
the worker processes forked from it. Only the last build's results are kept,
so what a deleted or edited article gave is let go one build later.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class FromLastBuild(Generic[Value]):
    """Results by what they are worked out from; ``start`` at each build, ``get`` for each result."""

    def __init__(self) -> None:
        self._last: dict[Hashable, Value] = {}
        self._now: dict[Hashable, Value] = {}

    def start(self) -> None:
        """A build begins: the results of the one before are those that can be given again."""
        self._last, self._now = self._now, {}

    def get(self, inputs: Hashable, work_out: Callable[[], Value]) -> Value:
        """What this build or the last one worked out from ``inputs``, else ``work_out()``; kept for the next build."""
        found = self._now.get(inputs)
        if found is not None:
            return found
        found = self._last.get(inputs)
        if found is None:
            found = work_out()
        self._now[inputs] = found
        return found
