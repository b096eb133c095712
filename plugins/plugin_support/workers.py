"""One function over many items, on every core.

Workers are forked from the build process, so they start with everything the
parent has already prepared (settings, Markdown extensions, compiled templates,
every article) and nothing needs to be pickled on the way in: only each
item's result comes back. What workers log is captured and replayed in the
parent, in item order, so a build counts and prints every problem exactly as a
one-process build does. A worker that raises, dies or stops making progress
fails the call with the item it was working on.

Settings (defaults in ``DEFAULTS``), read by every plugin that uses workers:

``BUILD_JOBS``
    Processes to use; ``None`` means one per CPU core, ``1`` does all the work
    in the build process itself (the reference a parallel build must match
    byte for byte). Default ``None``.
``BUILD_WORKER_TIMEOUT``
    Seconds without a single item finishing after which the build fails,
    naming the items still in progress. Default ``300``.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from . import collector
from .settings import fill_defaults

DEFAULTS: dict[str, Any] = {"BUILD_JOBS": None, "BUILD_WORKER_TIMEOUT": 300}

Item = TypeVar("Item")
Result = TypeVar("Result")

_PENDING, _STARTED, _DONE = 0, 1, 2
# Set in the parent just before the pool forks; each worker reads its own copy.
_work: tuple[Callable[[Any], Any], Sequence[Any], Callable[[Any], str], Any] | None = None
_captured: list[dict[str, Any]] = []


class WorkerError(RuntimeError):
    """An item could not be processed; the message names it."""


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in the defaults and reject values of the wrong shape."""
    fill_defaults(settings, DEFAULTS)
    jobs = settings["BUILD_JOBS"]
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise ValueError(f"BUILD_JOBS must be a whole number of processes, 1 or more, or None, got {jobs!r}")
    timeout = settings["BUILD_WORKER_TIMEOUT"]
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"BUILD_WORKER_TIMEOUT must be a positive number of seconds, got {timeout!r}")


def job_count(settings: dict[str, Any]) -> int:
    """The number of processes ``BUILD_JOBS`` asks for."""
    return settings.get("BUILD_JOBS") or os.cpu_count() or 1


class _Capture(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _captured.append(
            {
                "name": record.name,
                "levelno": record.levelno,
                "levelname": record.levelname,
                "pathname": record.pathname,
                "lineno": record.lineno,
                "msg": record.getMessage(),
                "args": None,
                "exc_text": self.format_exception(record),
            }
        )

    @staticmethod
    def format_exception(record: logging.LogRecord) -> str | None:
        if record.exc_info:
            return "".join(traceback.format_exception(*record.exc_info))
        return record.exc_text


def _start_worker() -> None:
    collector.in_worker()
    # The inherited handlers would print and count in the worker; the parent does both on replay.
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Capture())


def _run_chunk(start: int, stop: int) -> tuple[list[Any], list[dict[str, Any]]]:
    assert _work is not None, "workers are only started by Running"
    function, items, describe, state = _work
    results = []
    for index in range(start, stop):
        state[index] = _STARTED
        try:
            results.append(function(items[index]))
        except Exception as error:
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            raise WorkerError(f"{describe(items[index])}: {detail}") from None
        state[index] = _DONE
    records = list(_captured)
    _captured.clear()
    return results, records


def _replay(records: list[dict[str, Any]]) -> None:
    for fields in records:
        record = logging.makeLogRecord(fields)
        logging.getLogger(record.name).handle(record)


class Running(Generic[Result]):
    """``function`` over ``items`` under way on worker processes; ``get`` hands results out in any order.

    Workers are forked when this is created, so ``function`` and everything it
    reads must exist by then, and it must not depend on changes other items
    make, since those happen in other processes. With ``jobs`` of 1 nothing is
    forked: ``get`` computes each result in this process when it is first asked for.
    Log records of the workers are replayed, in item order, as results are handed out.
    """

    def __init__(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        jobs: int,
        describe: Callable[[Item], str] = str,
        timeout: float = DEFAULTS["BUILD_WORKER_TIMEOUT"],
    ) -> None:
        self.function, self.items, self.describe, self.timeout = function, items, describe, timeout
        self._inline = jobs <= 1 or len(items) <= 1
        self._results: dict[int, Any] = {}
        if self._inline:
            return
        global _work
        context = multiprocessing.get_context("fork")
        self._state = context.RawArray("b", len(items))
        self._chunk = max(1, min(64, math.ceil(len(items) / (jobs * 8))))
        self._bounds = [(start, min(start + self._chunk, len(items))) for start in range(0, len(items), self._chunk)]
        self._replayed = 0  # chunks whose log records have been replayed, in order
        self._records: dict[int, list[dict[str, Any]]] = {}
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_start_worker
        )
        _work = (function, items, describe, self._state)
        collector.before_fork()
        try:
            # The first submit forks every worker, each with its own copy of _work.
            self._futures: dict[Future, int] = {
                self._pool.submit(_run_chunk, *bound): number for number, bound in enumerate(self._bounds)
            }
        except BaseException:
            self.close(kill=True)
            raise
        finally:
            _work = None
        self._pending = set(self._futures)

    def get(self, index: int) -> Result:
        """The result for ``items[index]``, waiting for the workers if it is not there yet."""
        if self._inline:
            if index not in self._results:
                self._results[index] = self.function(self.items[index])
            return self._results[index]
        chunk = index // self._chunk
        while chunk >= self._replayed:
            self._collect_until(self._replayed)
            _replay(self._records.pop(self._replayed))
            self._replayed += 1
        return self._results[index]

    def all(self) -> list[Result]:
        """Every result, in item order."""
        results = [self.get(index) for index in range(len(self.items))]
        self.close()
        return results

    def _collect_until(self, chunk: int) -> None:
        try:
            while chunk not in self._records:
                done, self._pending = wait(self._pending, timeout=self.timeout, return_when=FIRST_COMPLETED)
                if not done:
                    raise WorkerError(self._stuck(f"made no progress for {self.timeout:g} s"))
                for future in done:
                    number = self._futures[future]
                    try:
                        values, self._records[number] = future.result()
                    except BrokenProcessPool:
                        raise WorkerError(self._stuck("died")) from None
                    start = self._bounds[number][0]
                    self._results.update(enumerate(values, start=start))
        except BaseException:
            self.close(kill=True)
            raise
        if not self._pending:
            self.close()

    def _stuck(self, what: str) -> str:
        busy = [self.describe(self.items[index]) for index in range(len(self.items)) if self._state[index] == _STARTED]
        return f"a build worker {what} while handling {', '.join(busy) or 'no item'}"

    def close(self, kill: bool = False) -> None:
        """Stop the workers; ``kill`` stops them mid-item (a hung worker would never finish)."""
        pool, self._pool = getattr(self, "_pool", None), None
        if pool is None:
            return
        if kill:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=not kill, cancel_futures=True)


def run_everywhere(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    jobs: int,
    describe: Callable[[Item], str] = str,
    timeout: float = DEFAULTS["BUILD_WORKER_TIMEOUT"],
) -> list[Result]:
    """``[function(item) for item in items]``, computed on ``jobs`` processes (see ``Running``)."""
    return Running(function, items, jobs=jobs, describe=describe, timeout=timeout).all()
