"""The cycle collector: off while a build reads, never walking what workers inherit, given everything back after."""

from __future__ import annotations

import gc
import os
import time
import weakref
from collections.abc import Iterator

import pytest
from plugin_support import collector
from plugin_support.workers import run_everywhere


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def collection_in_this_process(_: int) -> tuple[int, bool, int]:
    time.sleep(0.02)  # long enough that a worker starts before the build process has done every item
    return os.getpid(), gc.isenabled(), gc.get_freeze_count()


def test_a_paused_build_forks_workers_that_collect_what_they_make_but_not_what_they_inherit() -> None:
    collector.release()
    inherited = [[number] for number in range(10_000)]  # a build's long-lived objects
    collector.pause()
    done = run_everywhere(collection_in_this_process, list(range(16)), jobs=2)
    # The build process does a share of the items itself (plugin_support.workers), paused as it is.
    in_workers = [(enabled, frozen) for pid, enabled, frozen in done if pid != os.getpid()]
    assert in_workers, "no item was done in a worker"
    assert all(enabled for enabled, _ in in_workers), "a worker did not collect its own garbage"
    assert all(frozen >= len(inherited) for _, frozen in in_workers), "workers would walk the objects they inherited"
    assert not gc.isenabled(), "forking workers turned collection back on in the build process"


def test_resume_collects_again_without_walking_what_was_read() -> None:
    collector.release()
    collector.pause()
    read = [[number] for number in range(10_000)]
    collector.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(read)


def test_set_aside_keeps_what_was_read_out_of_reach_and_collection_paused() -> None:
    collector.release()
    collector.pause()
    read = [[number] for number in range(10_000)]
    collector.set_aside()
    assert not gc.isenabled()
    assert gc.get_freeze_count() >= len(read)


def test_release_gives_the_last_builds_objects_back_to_the_collector() -> None:
    collector.pause()
    collector.resume()
    assert gc.get_freeze_count() > 0
    collector.release()
    assert gc.isenabled() and gc.get_freeze_count() == 0


class Node:
    """An object that can refer to itself."""


def test_collecting_between_builds_frees_the_cycles_a_build_left_frozen() -> None:
    collector.release()
    collector.pause()
    left = Node()
    left.itself = left  # a cycle, as a build's generators and templates make
    gone = weakref.ref(left)
    del left
    collector.resume()  # once reading is done, everything made so far is frozen
    gc.collect()
    assert gone() is not None, "a frozen object was collected: nothing would be left for livereload to free"
    freed = collector.collect_between_builds()
    assert gone() is None, "the cycle the build left is still there"
    assert freed >= 1


class Fields(dict):
    """A dict that a weak reference can follow (a plain dict cannot be referred to weakly)."""


def test_what_a_build_lets_go_of_is_freed_between_builds_or_when_the_next_one_starts() -> None:
    for free_it in (collector.collect_between_builds, collector.release):
        old_fields = Fields(keep_reading=[[number] for number in range(100)])
        gone = weakref.ref(old_fields)
        collector.free_later(old_fields)
        del old_fields
        assert gone() is not None, "freed while the build still runs"
        free_it()
        assert gone() is None, f"still kept after {free_it.__name__}"
