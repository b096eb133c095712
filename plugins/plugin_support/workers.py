"""One function over many items, on every core.

Workers are forked from the build process, so they start with everything the
parent has already prepared (settings, Markdown extensions, compiled templates,
every article) and nothing needs to be pickled on the way in: only each
item's result comes back. What workers log is captured and replayed in the
parent, in item order, so a build counts and prints every problem exactly as a
one-process build does. A worker that raises, dies or stops making progress
fails the call with the item it was working on.

``run_everywhere`` counts the build process as one of its processes: it forks
one worker fewer and does the items at the end of the list itself, while the
workers take theirs from the beginning, until they meet. The build process
would otherwise only wait; this way it works, and one process fewer copies
the memory pages it writes after the fork (at 10,000 articles, a livereload
save's page check took 1.03–1.10 s instead of 1.31–1.34 s).

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
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from . import collector
from .settings import fill_defaults

DEFAULTS: dict[str, Any] = {"BUILD_JOBS": None, "BUILD_WORKER_TIMEOUT": 300}

Item = TypeVar("Item")
Result = TypeVar("Result")

_PENDING, _STARTED, _DONE = 0, 1, 2


@dataclass
class _Work:
    """What every process doing items of one ``Running`` shares."""

    function: Callable[[Any], Any]
    items: Sequence[Any]
    describe: Callable[[Any], str]
    bounds: list[tuple[int, int]]  # of each chunk
    state: Any  # of each item: pending, started or done (shared memory)
    claimed: Any  # of each chunk: whether some process has started it (shared memory)
    claiming: Any  # the lock under which a chunk is claimed

    def claim(self, chunk: int) -> bool:
        """Take ``chunk`` for this process, unless another has taken it already."""
        with self.claiming:
            if self.claimed[chunk]:
                return False
            self.claimed[chunk] = 1
            return True

    def run(self, chunk: int) -> tuple[list[Any], list[dict[str, Any]]]:
        """The chunk's results, done in this process, with the log records made meanwhile."""
        results = []
        for index in range(*self.bounds[chunk]):
            self.state[index] = _STARTED
            try:
                results.append(self.function(self.items[index]))
            except Exception as error:
                detail = "".join(traceback.format_exception_only(type(error), error)).strip()
                raise WorkerError(f"{self.describe(self.items[index])}: {detail}", index) from None
            self.state[index] = _DONE
        records = list(_captured)
        _captured.clear()
        return results, records


# Set in the parent just before the pool forks; each worker reads its own copy.
_work: _Work | None = None
_captured: list[dict[str, Any]] = []


class WorkerError(RuntimeError):
    """An item could not be processed; the message names it, and ``index`` is its place when it is known."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index

    def __reduce__(self) -> tuple[Any, ...]:  # it comes back from a worker pickled
        return (type(self), (str(self), self.index))


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
    def __init__(self, filtered_here: bool = False) -> None:
        super().__init__()
        # Whether the loggers' filters have passed the record in the process that replays it (``_replay``).
        self.filtered_here = filtered_here

    def emit(self, record: logging.LogRecord) -> None:
        _captured.append(
            {
                "filtered_here": self.filtered_here,
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


Done = dict[int, tuple[list[Any], list[dict[str, Any]]]]  # by chunk: its results and log records


def _run_chunk(chunk: int) -> Done:
    assert _work is not None, "workers are only started by Running"
    return {chunk: _work.run(chunk)}


def _run_unclaimed() -> Done:
    """Every chunk no other process has taken, from the first on (``Running`` with ``share``)."""
    assert _work is not None, "workers are only started by Running"
    return {chunk: _work.run(chunk) for chunk in range(len(_work.bounds)) if _work.claim(chunk)}


def _replay(records: list[dict[str, Any]]) -> None:
    for fields in records:
        record = logging.makeLogRecord(fields)
        logger = logging.getLogger(record.name)
        if fields["filtered_here"]:
            # Filtered once already in this process: Pelican's filter would now drop it as a repeat.
            logger.callHandlers(record)
        else:
            logger.handle(record)


class Running(Generic[Result]):
    """``function`` over ``items`` under way on worker processes; ``get`` hands results out in any order.

    Workers are forked when this is created, so ``function`` and everything it
    reads must exist by then, and it must not depend on changes other items
    make, since those happen in other processes. With ``jobs`` of 1 nothing is
    forked: ``get`` computes each result in this process when it is first asked for.
    Log records of the workers are replayed, in item order, as results are handed out.

    Once an item fails (it raises, or its worker dies or hangs), ``get`` raises
    that failure for the item it was on (every item in progress, when a worker
    died or hung), and works out each item not yet handed out in this process:
    the workers are stopped, but one bad item costs no other item its result.
    ``all`` raises the first failure instead.

    With ``share``, this process is one of the ``jobs``: one worker fewer is
    forked, and ``all`` does the items at the end of the list here, while the
    workers start from the beginning. A process that would only wait for the
    others does work instead, and one process fewer copies the memory pages
    it writes (after a fork, a page written by either process while the other
    shares it is copied, in this process too). The timeout watches the
    workers only, as with ``jobs`` of 1.
    """

    def __init__(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        *,
        jobs: int,
        describe: Callable[[Item], str] = str,
        timeout: float = DEFAULTS["BUILD_WORKER_TIMEOUT"],
        share: bool = False,
    ) -> None:
        self.function, self.items, self.describe, self.timeout = function, items, describe, timeout
        self._inline = jobs <= 1 or len(items) <= 1
        self._share = share
        self._results: dict[int, Any] = {}
        self._failure: WorkerError | None = None
        self._failed: set[int] = set()  # the items the failure was on
        self._redone: dict[int, Any] = {}  # after it, in this process
        if self._inline:
            return
        global _work
        context = multiprocessing.get_context("fork")
        self._chunk = max(1, min(64, math.ceil(len(items) / (jobs * 8))))
        bounds = [(start, min(start + self._chunk, len(items))) for start in range(0, len(items), self._chunk)]
        self._work = _Work(
            function,
            items,
            describe,
            bounds,
            state=context.RawArray("b", len(items)),
            claimed=context.RawArray("b", len(bounds)),
            claiming=context.Lock(),
        )
        self._replayed = 0  # chunks whose log records have been replayed, in order
        self._records: dict[int, list[dict[str, Any]]] = {}
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=jobs - 1 if share else jobs, mp_context=context, initializer=_start_worker
        )
        _work = self._work
        collector.before_fork()
        try:
            # The first submit forks every worker, each with its own copy of _work. Sharing, each worker takes
            # one chunk after another itself: handing them out from this process would wait on it.
            if share:
                self._pending = {self._pool.submit(_run_unclaimed) for _ in range(jobs - 1)}
            else:
                self._pending = {self._pool.submit(_run_chunk, number) for number in range(len(bounds))}
        except BaseException:
            self.close(kill=True)
            raise
        finally:
            _work = None
        self._items_done = 0

    def get(self, index: int) -> Result:
        """The result for ``items[index]``, waiting for the workers if it is not there yet."""
        if self._inline:
            if index not in self._results:
                self._results[index] = self.function(self.items[index])
            return self._results[index]
        if self._failure is not None and index // self._chunk >= self._replayed:
            return self._after_failure(index)
        try:
            return self._collected(index)
        except WorkerError as failure:
            self._fail_over(failure)
            return self._after_failure(index)

    def _collected(self, index: int) -> Result:
        """The result the workers (or this process's share) worked out for ``items[index]``; raises their failure."""
        chunk = index // self._chunk
        while chunk >= self._replayed:
            self._collect_until(self._replayed)
            _replay(self._records.pop(self._replayed))
            self._replayed += 1
        return self._results[index]

    def _fail_over(self, failure: WorkerError) -> None:
        """Stop at ``failure``: note the items it was on; the items not yet handed out are worked out here."""
        self._failure = failure
        in_progress = {index for index in range(len(self.items)) if self._work.state[index] == _STARTED}
        self._failed = {failure.index} if failure.index is not None else in_progress
        self.close(kill=True)

    def _after_failure(self, index: int) -> Result:
        assert self._failure is not None
        if index in self._failed:
            raise self._failure
        if index not in self._redone:
            # Worked out again even when a worker sent it: its log records, not yet replayed, went with the workers.
            self._redone[index] = self.function(self.items[index])
        return self._redone[index]

    def all(self) -> list[Result]:
        """Every result, in item order."""
        if self._share and not self._inline:
            self._do_a_share()
            # The workers' progress is measured from here: this process's own items are not theirs.
            self._items_done = self._count_done()
        # The first failure fails the whole call: nothing is worked out here after it.
        collect = self.get if self._inline else self._collected
        results = [collect(index) for index in range(len(self.items))]
        self.close()
        return results

    def _do_a_share(self) -> None:
        """Do chunks here, from the last one back, until the next is one a worker has taken."""
        root = logging.getLogger()
        # Captured like a worker's, so that they are replayed in item order with the workers' records.
        handlers, root.handlers = root.handlers, [_Capture(filtered_here=True)]
        try:
            for number in reversed(range(len(self._work.bounds))):
                if not self._work.claim(number):
                    return
                values, self._records[number] = self._work.run(number)
                self._take(number, values)
        except BaseException:
            self.close(kill=True)
            raise
        finally:
            root.handlers = handlers
            _captured.clear()

    def _take(self, chunk: int, values: list[Any]) -> None:
        self._results.update(enumerate(values, start=self._work.bounds[chunk][0]))

    def _collect_until(self, chunk: int) -> None:
        try:
            while chunk not in self._records:
                done, self._pending = wait(self._pending, timeout=self.timeout, return_when=FIRST_COMPLETED)
                if not done:
                    items_done = self._count_done()
                    if items_done == self._items_done:
                        raise WorkerError(self._stuck(f"made no progress for {self.timeout:g} s"))
                    self._items_done = items_done
                for future in done:
                    try:
                        chunks = future.result()
                    except BrokenProcessPool:
                        raise WorkerError(self._stuck("died")) from None
                    for number, (values, records) in chunks.items():
                        self._records[number] = records
                        self._take(number, values)
        except BaseException:
            self.close(kill=True)
            raise
        if not self._pending:
            self.close()

    def _count_done(self) -> int:
        return bytes(self._work.state).count(_DONE)

    def _stuck(self, what: str) -> str:
        state = self._work.state
        busy = [self.describe(self.items[index]) for index in range(len(self.items)) if state[index] == _STARTED]
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
    return Running(function, items, jobs=jobs, describe=describe, timeout=timeout, share=True).all()
