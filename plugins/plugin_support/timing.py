"""Phase timers: how long each part of a build took, summed per name in this process."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] = {}


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Add the wall time of the ``with`` block to the total for ``name``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + time.perf_counter() - started


def add(name: str, seconds: float) -> None:
    """Add ``seconds`` to the total for ``name``."""
    _totals[name] = _totals.get(name, 0.0) + seconds


def count(name: str, number: int) -> None:
    """Add ``number`` to the count called ``name`` (reported with the times)."""
    _totals[name] = _totals.get(name, 0) + number


def totals() -> dict[str, float]:
    """Seconds per phase name since the last ``reset()``."""
    return dict(_totals)


def reset() -> None:
    _totals.clear()
