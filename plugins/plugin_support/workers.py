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
from typing import Any, TypeVar

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
    for key, default in DEFAULTS.items():
        settings.setdefault(key, default)
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
    # The inherited handlers would print and count in the worker; the parent does both on replay.
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_Capture())


def _run_chunk(start: int, stop: int) -> tuple[list[Any], list[dict[str, Any]]]:
    assert _work is not None, "workers are only started by run_everywhere"
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


def run_everywhere(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    jobs: int,
    describe: Callable[[Item], str] = str,
    timeout: float = DEFAULTS["BUILD_WORKER_TIMEOUT"],
) -> list[Result]:
    """``[function(item) for item in items]``, computed on ``jobs`` processes.

    ``function`` and everything it reads must already exist when this is
    called (workers are forked from this process); it must not depend on
    changes other items make, since those happen in other processes.
    """
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]

    global _work
    context = multiprocessing.get_context("fork")
    state = context.RawArray("b", len(items))
    _work = (function, items, describe, state)
    chunk = max(1, min(64, math.ceil(len(items) / (jobs * 8))))
    bounds = [(start, min(start + chunk, len(items))) for start in range(0, len(items), chunk)]
    results: dict[int, list[Any]] = {}
    records: dict[int, list[dict[str, Any]]] = {}
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker)
    try:
        futures: dict[Future, int] = {pool.submit(_run_chunk, *bound): number for number, bound in enumerate(bounds)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            if not done:
                raise WorkerError(_stuck(items, state, describe, f"made no progress for {timeout:g} s"))
            for future in done:
                try:
                    results[futures[future]], records[futures[future]] = future.result()
                except BrokenProcessPool:
                    raise WorkerError(_stuck(items, state, describe, "died")) from None
    except BaseException:
        _stop(pool)
        raise
    finally:
        _work = None
    pool.shutdown(wait=True)
    for number in range(len(bounds)):
        _replay(records[number])
    return [result for number in range(len(bounds)) for result in results[number]]


def _stuck(items: Sequence[Any], state: Any, describe: Callable[[Any], str], what: str) -> str:
    busy = [describe(items[index]) for index in range(len(items)) if state[index] == _STARTED]
    return f"a build worker {what} while handling {', '.join(busy) or 'no item'}"


def _stop(pool: ProcessPoolExecutor) -> None:
    # Kill rather than wait: a hung worker would never finish its item.
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
