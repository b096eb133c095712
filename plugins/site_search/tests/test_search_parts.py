"""The parts of the index are indexed by processes of their own, at most so many at the same time."""

from __future__ import annotations

import subprocess
import sys

import pytest
from site_search import Shard
from site_search.pagefind_index import _run_in_turn


@pytest.mark.parametrize(("at_once", "most"), [(None, 4), (1, 1), (2, 2)])
def test_at_most_so_many_processes_run_at_the_same_time(at_once: int | None, most: int) -> None:
    shards = [Shard(f"part-{number}", "*.html") for number in range(4)]
    started: list[subprocess.Popen[str]] = []
    running_at_start = []

    def start(shard: Shard) -> subprocess.Popen[str]:
        running_at_start.append(sum(process.poll() is None for process in started) + 1)
        # Long enough to still be running when the next one could start.
        program = f"import time; time.sleep(0.5); print({shard.folder!r})"
        started.append(subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True))
        return started[-1]

    finished = [(shard.folder, said) for shard, process, said in _run_in_turn(shards, start, at_once)]
    assert finished == [(shard.folder, shard.folder) for shard in shards]
    assert max(running_at_start) == most
    assert all(process.returncode == 0 for process in started)
