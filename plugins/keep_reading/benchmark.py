"""Synthetic news archives for timing the ranking, without Pelican.

An archive is made of running stories (a handful of articles sharing rare
names and a story tag), each in a topic with its own mid-frequency words, on a
background of common words drawn from a Zipf-like distribution; tags are also
Zipf-like, so a few are on a large share of the archive and most are rare.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from itertools import accumulate

from .ranking import Options, Story, rank

SECTIONS = ("World", "Trade", "Technology", "Economy", "Climate", "Science", "Sport")
SECTION_SHARE = (30, 15, 20, 15, 10, 5, 5)
VOCABULARY = 40_000
TOPICS = 300
TOPIC_WORDS = 80
TAGS = 1_500


def _zipf_cumulative(size: int, exponent: float = 1.07) -> list[float]:
    return list(accumulate(1.0 / (rank**exponent) for rank in range(1, size + 1)))


def synthetic_archive(size: int, seed: int = 1) -> list[Story]:
    """``size`` stories with realistic word and tag frequencies, reproducible from ``seed``."""
    rng = random.Random(seed)
    common = [f"w{n}" for n in range(VOCABULARY)]
    common_weights = _zipf_cumulative(VOCABULARY)
    tags = [f"tag {n}" for n in range(TAGS)]
    tag_weights = _zipf_cumulative(TAGS, 1.0)
    section_weights = list(accumulate(SECTION_SHARE))
    topics = [[f"topic{t}x{n}" for n in range(TOPIC_WORDS)] for t in range(TOPICS)]
    start = 1_500_000_000.0
    stories: list[Story] = []
    thread = 0
    while len(stories) < size:
        thread += 1
        names = [f"name{thread}x{n}" for n in range(6)]
        topic = topics[rng.randrange(TOPICS)]
        section = rng.choices(SECTIONS, cum_weights=section_weights)[0]
        story_tags = rng.choices(tags, cum_weights=tag_weights, k=2)
        begins = start + rng.uniform(0, 10 * 365) * 86_400
        for part in range(min(size - len(stories), 1 + int(rng.expovariate(1 / 3)))):
            published = begins + part * rng.uniform(1, 40) * 86_400
            words = rng.choices(common, cum_weights=common_weights, k=rng.randint(250, 700))
            words += rng.choices(topic, k=len(words) // 8)
            words += rng.choices(names, k=len(words) // 40)
            rng.shuffle(words)
            title = " ".join([*rng.sample(names, 2), *rng.choices(topic, k=2), *rng.choices(common, k=4)])
            summary = " ".join([*rng.sample(names, 2), *rng.choices(topic, k=3), *rng.choices(common, k=12)])
            own_tags = {*story_tags, *rng.choices(tags, cum_weights=tag_weights, k=rng.randint(1, 3))}
            stories.append(
                Story(
                    slug=f"story-{thread}-{part}",
                    title=title,
                    section=section,
                    published=published,
                    summary=summary,
                    body=" ".join(words),
                    tags=tuple(sorted(own_tags)),
                )
            )
    return stories


def measure(stories: list[Story], options: Options | None = None, repeat: int = 3) -> tuple[list[float], int]:
    """Seconds for each of ``repeat`` ranking runs, then peak bytes traced in one more run.

    Timed and traced runs are apart because tracing every allocation slows the
    work down severalfold; several timed runs, because a shared machine's
    speed drifts from one second to the next.
    """
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        rank(stories, options)
        times.append(time.perf_counter() - started)
    gc.collect()
    tracemalloc.start()
    try:
        rank(stories, options)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return times, peak


def run(
    sizes: list[int], say: Callable[[str], None] = print, seed: int = 1, repeat: int = 3
) -> list[tuple[int, float, int]]:
    """Time the ranking on synthetic archives of each size and report one line each.

    Returns ``(size, median seconds, peak bytes)`` per size.
    """
    if repeat < 1:
        raise ValueError(f"repeat must be 1 or more, got {repeat}")
    rows = []
    say(f"{'articles':>9}  {'median':>8}  {'fastest':>8}  {'slowest':>8}  {'peak memory':>12}  {'per 1k':>7}")
    for size in sizes:
        times, peak = measure(synthetic_archive(size, seed), repeat=repeat)
        median = statistics.median(times)
        rows.append((size, median, peak))
        say(
            f"{size:>9,}  {median:>7.2f}s  {min(times):>7.2f}s  {max(times):>7.2f}s  "
            f"{peak / 2**20:>9.1f} MB  {median / size * 1000:>6.3f}s"
        )
    return rows
