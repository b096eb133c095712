"""run_everywhere on real forked processes: results in order, logs replayed, failures named."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

import pytest
from pelican.log import LimitLogger
from plugin_support.workers import Running, WorkerError, job_count, run_everywhere, validate_settings

logger = logging.getLogger("workers-test")
# Of Pelican's logger class, as Pelican's own and the plugins' loggers are once Pelican is imported.
pelican_logger = logging.getLogger("pelican.workers-test")


def square(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def slow_square(number: int) -> tuple[int, int]:
    # Long enough in all that a busy machine still starts the second worker before the first is done.
    time.sleep(0.02)
    return square(number)


def log_multiples_of_ten(number: int) -> None:
    # Worded for this test alone: Pelican's log filter drops a message it has seen before in this process.
    if number % 10 == 0:
        logger.warning("replayed: item %d is a multiple of ten", number)


def test_results_come_back_in_item_order_from_several_processes() -> None:
    results = run_everywhere(slow_square, list(range(200)), jobs=3)
    assert [value for value, _ in results] == [number * number for number in range(200)]
    processes = [pid for _, pid in results]
    assert len(set(processes)) == 3, "the work was not spread over three processes"
    # This process is one of them, and takes its items from the end while the workers start at the beginning.
    assert processes[0] != os.getpid()
    assert processes[-1] == os.getpid()


def warn_slowly_through(chosen: logging.Logger, wording: str) -> Callable[[int], int]:
    # Workers are forked, so the function they run need not be importable.
    def warn(number: int) -> int:
        time.sleep(0.01)
        if number % 10 == 0:
            chosen.warning(wording + ": item %d is a multiple of ten", number)
        return os.getpid()

    return warn


@pytest.mark.parametrize(
    ("chosen", "wording"), [(logger, "replayed in order"), (pelican_logger, "replayed once past Pelican's filter")]
)
def test_a_share_done_here_is_logged_once_each_in_item_order(
    caplog: pytest.LogCaptureFixture, chosen: logging.Logger, wording: str
) -> None:
    # Pelican's loggers drop a warning they have passed before in the same process: a record made here
    # and replayed in item order must not be taken for its own repeat.
    assert isinstance(pelican_logger, LimitLogger)
    with caplog.at_level(logging.WARNING):
        results = run_everywhere(warn_slowly_through(chosen, wording), list(range(100)), jobs=2)
    assert os.getpid() in results and len(set(results)) == 2, "this process did not do a share of the items"
    messages = [record.getMessage() for record in caplog.records if record.name == chosen.name]
    assert messages == [f"{wording}: item {number} is a multiple of ten" for number in range(0, 100, 10)]


def test_worker_log_records_are_replayed_in_the_parent_in_item_order(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="workers-test"):
        run_everywhere(log_multiples_of_ten, list(range(100)), jobs=2)
    messages = [record.getMessage() for record in caplog.records if record.name == "workers-test"]
    assert messages == [f"replayed: item {number} is a multiple of ten" for number in range(0, 100, 10)]


def test_one_job_runs_in_this_process() -> None:
    results = run_everywhere(square, [1, 2, 3], jobs=1)
    assert results == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def fail_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven is not allowed")
    return number


# The first item goes to a worker: this process takes its share from the end of the list, one slow item at a time.
def die_on_the_first(number: int) -> int:
    if number == 0:
        os._exit(3)
    time.sleep(0.02)
    return number


def hang_on_the_first(number: int) -> int:
    if number == 0:
        time.sleep(60)
    time.sleep(0.02)
    return number


def test_an_exception_names_the_item() -> None:
    with pytest.raises(WorkerError, match=r"^article-7\.md: ValueError: seven is not allowed$"):
        run_everywhere(fail_on_seven, list(range(20)), jobs=2, describe=lambda n: f"article-{n}.md")


def test_a_worker_that_dies_names_the_item_it_was_on() -> None:
    with pytest.raises(WorkerError, match=r"died while handling article-0\.md$"):
        run_everywhere(die_on_the_first, list(range(20)), jobs=2, describe=lambda n: f"article-{n}.md")


def test_a_worker_that_hangs_fails_the_call_naming_the_item() -> None:
    started = time.perf_counter()
    with pytest.raises(WorkerError, match=r"made no progress for 2 s while handling article-0\.md$"):
        run_everywhere(hang_on_the_first, list(range(20)), jobs=2, describe=lambda n: f"article-{n}.md", timeout=2)
    assert time.perf_counter() - started < 30, "the hung worker was waited for instead of stopped"


def test_one_failed_item_costs_no_other_item_its_result() -> None:
    """As the reader takes one article after another: the bad one fails, naming itself, and every other is read."""
    running = Running(fail_on_seven, list(range(20)), jobs=2, describe=lambda n: f"article-{n}.md")
    for index in range(20):
        if index == 7:
            with pytest.raises(WorkerError, match=r"^article-7\.md: ValueError: seven is not allowed$"):
                running.get(index)
        else:
            assert running.get(index) == index
    running.close()


def test_after_a_worker_dies_the_items_no_worker_was_on_are_still_worked_out() -> None:
    running = Running(die_on_the_first, list(range(40)), jobs=2, describe=lambda n: f"article-{n}.md")
    with pytest.raises(WorkerError, match=r"died while handling .*article-0\.md"):
        running.get(0)
    # The other worker was stopped too, on an item of its own at most: everything after is worked out here.
    assert [running.get(index) for index in range(20, 40)] == list(range(20, 40))
    running.close()


@pytest.mark.parametrize("jobs", [0, -1, 2.5, True, "2"])
def test_build_jobs_must_be_a_positive_whole_number(jobs: object) -> None:
    with pytest.raises(ValueError, match="BUILD_JOBS"):
        validate_settings({"BUILD_JOBS": jobs})


def test_build_jobs_defaults_to_one_per_core() -> None:
    settings: dict[str, object] = {}
    validate_settings(settings)
    assert settings["BUILD_JOBS"] is None
    assert job_count(settings) == os.cpu_count()
    assert job_count({"BUILD_JOBS": 3}) == 3
