"""Side-by-side build benchmark: this project against stock Pelican on the same synthetic newsroom.

Run through ``invoke benchmark-build``. For each archive size it writes one
synthetic content folder, then builds it alternately with stock Pelican
(``stock_pelicanconf.py``: default theme, no plugins) and with ``invoke build``,
``runs`` times each, every build cold (a new output folder), and prints the
median wall time of each, their ratio, the peak memory of each build's whole
process tree, the files each wrote and the median time of each phase.
Images are left out of that comparison (stock Pelican makes none) and timed
after it: a build with ``--images`` and an empty image cache, then one with the
cache it filled (share cards and sized copies taken from it). Then the
builds of an author at work: with the build cache, and in ``invoke
livereload``, from saving an article to the moment the server tells the
open page to reload (``ReloadListener`` takes the browser's side of
livereload's protocol).

Memory is the proportional set size (PSS) summed over the build process and
every process it started, sampled every half second: pages that forked
workers share with their parent count once, split between them, instead of
once per process as resident-set sizes would. Reading a large process's PSS
takes the kernel over ten milliseconds and slows the process while it does,
so it is not sampled more often.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.benchmarks.synthetic_newsroom import write_newsroom

ROOT = Path(__file__).resolve().parents[2]
STOCK_SETTINGS = Path(__file__).with_name("stock_pelicanconf.py")
SITEURL = "https://example.org"
# A fixed build time, so every run of the benchmark builds the same site.
SOURCE_DATE_EPOCH = "1795000000"
SAMPLE_SECONDS = 0.5


@dataclass
class Run:
    seconds: float
    peak_mb: float
    files: int
    phases: dict[str, float] = field(default_factory=dict)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found += [int(child) for child in listing.read().split()]
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_mb(root_pid: int) -> float:
    """PSS of ``root_pid`` and all its descendants, in MB."""
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid)
        stack += _children(pid)
    return total / 1024


def measure(command: list[str], output: Path, env: dict[str, str], fresh: bool = True) -> Run:
    """Run ``command`` (from a clean ``output`` when ``fresh``); time it and sample its process tree's memory."""
    if fresh:
        shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The end is taken when the process exits, not at the next memory sample, which would round every
    # time up to the sampling interval; and its output is read as it comes, so a full pipe never stalls it.
    finished: dict[str, Any] = {}
    exited = threading.Event()

    def wait_for_exit() -> None:
        finished["output"] = process.communicate()
        finished["seconds"] = time.perf_counter() - started
        exited.set()

    threading.Thread(target=wait_for_exit, daemon=True).start()
    peak = 0.0
    while not exited.is_set():
        peak = max(peak, tree_pss_mb(process.pid))
        exited.wait(SAMPLE_SECONDS)
    seconds = finished["seconds"]
    stdout, stderr = finished["output"]
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stdout}\n{stderr}")
    phases: dict[str, float] = {}
    for line in stdout.splitlines():
        if line.startswith("timings: "):
            phases = json.loads(line.removeprefix("timings: "))
    files = sum(1 for path in output.rglob("*") if path.is_file())
    return Run(seconds, peak, files, phases)


def stock_command(content: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "tests.benchmarks.stock_build", str(STOCK_SETTINGS), str(content), str(output)]


def atlas_command(content: Path, output: Path, production: bool, cache: Path | None = None) -> list[str]:
    """``invoke build``: from nothing, or with the build cache in ``cache``.

    Images are left out (stock Pelican makes none); ``images_command`` times them on their own.
    """
    command = [sys.executable, "-m", "invoke", "build", "--strict", "--timings", "--setting", "IMAGES_DERIVE=false"]
    command += ["--setting", f'BUILD_CACHE_PATH="{cache}"'] if cache else ["--no-cache"]
    command += ["--content", str(content), "--output", str(output)]
    return command + (["--production"] if production else [])


def images_command(content: Path, output: Path, production: bool, image_cache: Path) -> list[str]:
    """``invoke build --images`` from nothing but the image cache in ``image_cache``."""
    command = [sys.executable, "-m", "invoke", "build", "--strict", "--timings", "--images", "--no-cache"]
    command += ["--setting", f'IMAGES_CACHE_PATH="{image_cache}"', "--content", str(content), "--output", str(output)]
    return command + (["--production"] if production else [])


def time_images(content: Path, scratch: Path, size: int, production: bool, env: dict[str, str]) -> list[str]:
    """Share cards and sized copies: a build with an empty image cache, then one with the cache it filled."""
    image_cache, output = scratch / f"image-cache-{size}", scratch / f"site-images-{size}"
    shutil.rmtree(image_cache, ignore_errors=True)
    lines = []
    for label in ("cold (empty image cache)", "warm (same cache)"):
        run = measure(images_command(content, output, production, image_cache), output, env)
        made, reused = int(run.phases.get("images_made", 0)), int(run.phases.get("images_reused", 0))
        seconds = run.phases.get("images", 0.0)
        lines.append(
            f"{size:>8} {label:<26} {run.seconds:>8.2f} {seconds:>8.2f} {seconds / size * 1000:>11.1f} "
            f"{made:>7} {reused:>7}"
        )
    return lines


def check_command(content: Path, production: bool, cache: Path | None) -> list[str]:
    """``invoke check``: from nothing, or with the build cache a build left in ``cache``."""
    # The same settings as the builds (images left out), so a check reads the cache they wrote.
    command = [sys.executable, "-m", "invoke", "check", "--strict", "--setting", "IMAGES_DERIVE=false"]
    command += ["--content", str(content)]
    command += ["--setting", f'BUILD_CACHE_PATH="{cache}"'] if cache else ["--no-cache"]
    return command + (["--production"] if production else [])


def time_checks(content: Path, cache: Path, production: bool, env: dict[str, str], cold_build: float) -> str:
    """One line: ``invoke check`` from nothing and with the cache of the builds before, against a cold build."""
    seconds = []
    for use_cache in (None, cache):
        started = time.perf_counter()
        subprocess.run(check_command(content, production, use_cache), env=env, check=True, capture_output=True)
        seconds.append(time.perf_counter() - started)
    cold, warm = seconds
    return f"{cold:>12.2f} {cold / cold_build:>8.0%} {warm:>12.2f} {warm / cold_build:>8.0%}"


def middle_article(content: Path) -> Path:
    """The article in the middle of the archive, in the order of its files."""
    articles = sorted((content / "articles").rglob("*.md"))
    return articles[len(articles) // 2]


def edit_one_article(content: Path) -> Path:
    """Add a paragraph at the end of the article in the middle of the archive, as an author fixing a story would."""
    article = middle_article(content)
    with article.open("a", encoding="utf-8") as stream:
        stream.write("\nA correction, added after the story was first published.\n")
    return article


INCREMENTAL_STEPS = ("into an empty folder", "again, recording pages", "nothing changed", "one article edited")


def incremental(
    content: Path, scratch: Path, size: int, production: bool, env: dict[str, str], suffix: str = ""
) -> list[str]:
    """Time the builds of an author at work: the first, the one that records pages, an idle one, one after an edit.

    Each run of them has its own build cache and site, named with ``suffix``.
    """
    settings = "production" if production else "development"
    cache, output = scratch / f"cache-{size}{suffix}", scratch / f"site-incremental-{size}{suffix}"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    lines = []
    for label in INCREMENTAL_STEPS:
        if label == "one article edited":
            edit_one_article(content)
        run = measure(atlas_command(content, output, production, cache), output, env, fresh=False)
        lines.append(
            f"{size:>8} {settings:<11} {label:<26} {run.seconds:>8.2f} {run.peak_mb:>9.0f} "
            f"{int(run.phases.get('pages_rendered', 0)):>9} {int(run.phases.get('pages_taken_over', 0)):>11}"
        )
    return lines


def add_a_paragraph(article: Path, number: int) -> None:
    """An edit below the opening: what Keep Reading reads stays the same, so its picks are taken from the cache."""
    with article.open("a", encoding="utf-8") as stream:
        stream.write(f"\nAnother line, saved as edit {number}.\n")


def change_the_headline(article: Path, number: int) -> None:
    """An edit of what Keep Reading reads, so it ranks the whole archive again."""
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"^(Title:.*)$", rf"\1, updated {number}", text, count=1, flags=re.MULTILINE), "utf-8")


# Four saves of a paragraph at the end (the first of them records what pages read), then a new headline.
LIVERELOAD_EDITS = (add_a_paragraph,) * 4 + (change_the_headline,)


LIVERELOAD_PROTOCOL = "http://livereload.com/protocols/official-7"


class ReloadListener:
    """An open page's side of livereload's protocol: it connects, greets the server, and notes each reload asked of it.

    The times go into ``reloads`` (``time.perf_counter``), from a thread of its own.
    """

    def __init__(self, port: int, seconds: float = 60) -> None:
        self.reloads: queue.Queue[float] = queue.Queue()
        self._error: list[BaseException] = []
        connected = threading.Event()
        threading.Thread(target=lambda: asyncio.run(self._listen(port, connected)), daemon=True).start()
        if not connected.wait(seconds) or self._error:
            raise SystemExit(f"could not connect to livereload on port {port}: {self._error or 'no answer'}")

    async def _listen(self, port: int, connected: threading.Event) -> None:
        from tornado.websocket import websocket_connect

        try:
            deadline = time.monotonic() + 60
            while True:  # the server starts listening a moment after its first build is done
                try:
                    socket = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.1)
            await socket.write_message(json.dumps({"command": "hello", "protocols": [LIVERELOAD_PROTOCOL]}))
            await socket.read_message()  # the server's hello
            # The page's address: livereload tells only pages that sent it to reload.
            page_info = {"command": "info", "url": f"http://127.0.0.1:{port}/", "plugins": {}}
            await socket.write_message(json.dumps(page_info))
        except BaseException as error:
            self._error.append(error)
            raise
        finally:
            connected.set()
        while (message := await socket.read_message()) is not None:
            if json.loads(message).get("command") == "reload":
                self.reloads.put(time.perf_counter())

    def next_reload(self, seconds: float = 120) -> float:
        try:
            return self.reloads.get(timeout=seconds)
        except queue.Empty:
            raise SystemExit(f"livereload built but asked for no reload within {seconds:g} s") from None

    def forget_earlier(self) -> None:
        while not self.reloads.empty():
            self.reloads.get_nowait()


def livereload_saves(content: Path, scratch: Path, size: int, env: dict[str, str]) -> list[float]:
    """Seconds from saving an article to the server asking the open page to reload, save after save.

    Livereload builds with the development settings into a folder of its own,
    with a build cache of its own (kept in memory between saves); the first
    save after it starts is the build that records what pages read.
    """
    output, cache = scratch / f"site-livereload-{size}", scratch / f"cache-livereload-{size}"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    from tests.conftest import free_port

    port = free_port()
    command = [sys.executable, "-m", "invoke", "livereload", "--content", str(content), "--output", str(output)]
    command += ["--port", str(port), "--setting", f"BUILD_CACHE_PATH={json.dumps(str(cache))}"]
    unbuffered = {**env, "PYTHONUNBUFFERED": "1"}  # each line as soon as it is printed
    server = subprocess.Popen(
        command, cwd=ROOT, env=unbuffered, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )

    def wait_for_build() -> None:
        for line in server.stdout:
            if line.startswith("Built "):
                return
            if line.startswith("Build failed"):
                raise SystemExit(f"livereload's build failed: {line}")
        raise SystemExit("livereload stopped before its build was done")

    try:
        wait_for_build()
        page = ReloadListener(port)
        article = middle_article(content)
        seconds = []
        for number, edit in enumerate(LIVERELOAD_EDITS, start=1):
            time.sleep(2)  # an author's pause
            page.forget_earlier()  # such as the server's own request as it starts
            edit(article, number)
            saved = time.perf_counter()
            wait_for_build()
            seconds.append(page.next_reload() - saved)
        return seconds
    finally:
        server.terminate()
        server.wait()


def _median(runs: list[Run], attribute: str) -> float:
    return statistics.median(getattr(run, attribute) for run in runs)


def _phase(runs: list[Run], name: str) -> float:
    return statistics.median(run.phases.get(name, 0.0) for run in runs)


def search_cost(content: Path, site: Path, atlas_runs: list[Run], stock_s: float, size: int) -> str:
    """One line: index time (and the build's ratio to stock Pelican without it), size, and one query's download."""
    from tests.benchmarks.search_cost import bytes_for_one_query, query_word

    index_s, atlas_s = _phase(atlas_runs, "search"), _median(atlas_runs, "seconds")
    word = query_word(content)
    fetched, files, shown = bytes_for_one_query(site, SITEURL, word)
    return (
        f"{size:>8} {index_s:>8.2f} {index_s / atlas_s:>8.0%} {(atlas_s - index_s) / stock_s:>9.2f} "
        f"{int(_phase(atlas_runs, 'search_pages')):>7} {_phase(atlas_runs, 'search_bytes') / 1e6:>9.1f} "
        f"{fetched / 1024:>9.0f} {files:>6} {shown:>7}  {word!r}"
    )


def benchmark(sizes: list[int], runs: int, scratch: Path, production: bool) -> None:
    """Print the comparison table for each size, as soon as that size is done."""
    env = {**os.environ, "SITEURL": SITEURL, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    build = "invoke build --production" if production else "invoke build"
    print(f"Stock Pelican 4.12 (default theme, no plugins) vs `{build}`; median of {runs} cold runs each, alternating.")
    header = (
        f"{'articles':>8} {'stock s':>8} {'atlas s':>8} {'ratio':>6} {'stock MB':>9} {'atlas MB':>9} "
        f"{'stock files':>11} {'atlas files':>11} | "
        f"{'read':>6} {'related':>7} {'write':>6} {'feeds':>6} {'sitemaps':>8} {'search':>6}"
    )
    print(header)
    cold_builds: dict[int, float] = {}
    search_lines: list[str] = []
    for size in sizes:
        content = write_newsroom(scratch / f"content-{size}", size, authors_file=ROOT / "content" / "authors.toml")
        stock_runs: list[Run] = []
        atlas_runs: list[Run] = []
        for number in range(runs):
            order = [("stock", stock_runs), ("atlas", atlas_runs)]
            for kind, results in order if number % 2 == 0 else reversed(order):
                output = scratch / f"site-{kind}-{size}"
                if kind == "stock":
                    command = stock_command(content, output)
                else:
                    command = atlas_command(content, output, production)
                results.append(measure(command, output, env))
        stock_s, atlas_s = _median(stock_runs, "seconds"), _median(atlas_runs, "seconds")
        cold_builds[size] = atlas_s
        print(
            f"{size:>8} {stock_s:>8.2f} {atlas_s:>8.2f} {atlas_s / stock_s:>6.2f} "
            f"{_median(stock_runs, 'peak_mb'):>9.0f} {_median(atlas_runs, 'peak_mb'):>9.0f} "
            f"{stock_runs[-1].files:>11} {atlas_runs[-1].files:>11} | "
            f"{_phase(atlas_runs, 'read'):>6.2f} {_phase(atlas_runs, 'keep_reading'):>7.2f} "
            f"{_phase(atlas_runs, 'write'):>6.2f} {_phase(atlas_runs, 'feeds'):>6.2f} "
            f"{_phase(atlas_runs, 'sitemaps'):>8.2f} {_phase(atlas_runs, 'search'):>6.2f}",
            flush=True,
        )
        print(
            f"{'':>8} stock phases: read {_phase(stock_runs, 'read'):.2f} s, "
            f"write {_phase(stock_runs, 'write'):.2f} s; "
            f"all atlas runs: {', '.join(f'{run.seconds:.2f}' for run in atlas_runs)} s; "
            f"all stock runs: {', '.join(f'{run.seconds:.2f}' for run in stock_runs)} s",
            flush=True,
        )
        if production:
            search_lines.append(search_cost(content, scratch / f"site-atlas-{size}", atlas_runs, stock_s, size))
    print(f"(wall seconds include starting Python; MB is the peak PSS of the whole process tree; files in {scratch})")
    if search_lines:
        print()
        print("Search index (Pagefind, the last step of a production build), from the cold runs above:")
        print(
            f"{'articles':>8} {'index s':>8} {'of build':>8} {'ratio w/o':>9} {'pages':>7} {'index MB':>9} "
            f"{'query KB':>9} {'files':>6} {'results':>7}  query"
        )
        for line in search_lines:
            print(line)
    print()
    print(
        "Incremental builds with the build cache (one run each, after the cold runs above; with production"
        " settings also an author's `invoke build`, development settings, which makes no search index):"
    )
    print(
        f"{'articles':>8} {'settings':<11} {'build':<26} {'atlas s':>8} {'atlas MB':>9} {'rendered':>9}"
        f" {'taken over':>11}"
    )
    for size in sizes:
        content = scratch / f"content-{size}"
        # ``time_checks`` below reads the cache of the benchmark's own settings, under the plain name.
        for line in incremental(content, scratch, size, production, env):
            print(line, flush=True)
        if production:
            for line in incremental(content, scratch, size, False, env, suffix="-development"):
                print(line, flush=True)
    print()
    print(
        "`invoke livereload` (development settings): seconds from saving an article to the server's request that"
        " the open page reload,"
        " save after save: four saves of a paragraph added at the end (the first records what pages read),"
        " then one of a new headline (Keep Reading ranks again):"
    )
    for size in sizes:
        saves = livereload_saves(scratch / f"content-{size}", scratch, size, env)
        print(f"{size:>8} " + " ".join(f"{seconds:>7.2f}" for seconds in saves), flush=True)
    print()
    print("Share cards and sized images (`invoke build --images`, one run each; images s is the images phase):")
    print(f"{'articles':>8} {'image cache':<26} {'atlas s':>8} {'images s':>8} {'ms/article':>11}", end="")
    print(f" {'made':>7} {'reused':>7}")
    for size in sizes:
        for line in time_images(scratch / f"content-{size}", scratch, size, production, env):
            print(line, flush=True)
    print()
    print("`invoke check` (reads and checks everything, writes nothing), against the median cold build above:")
    print(f"{'articles':>8} {'from nothing':>12} {'of build':>8} {'with cache':>12} {'of build':>8}")
    for size in sizes:
        line = time_checks(scratch / f"content-{size}", scratch / f"cache-{size}", production, env, cold_builds[size])
        print(f"{size:>8} {line}", flush=True)
