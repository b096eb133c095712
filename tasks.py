"""Tasks for building, previewing, testing and publishing Atlas News.

Run ``invoke --list`` to see them. Builds run Pelican in this process with a
log handler that counts problems: every broken article is reported, the build
exits non-zero, and the previous good output stays in place because the site
is written to a staging folder and only swapped in when the build succeeds.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from invoke import Argument, Context, Exit, Task, task

ROOT = Path(__file__).resolve().parent
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
DEFAULT_OUTPUT = ROOT / "output"
DEFAULT_PORT = 8000
# After a livereload build, how long nothing must change before the process collects what the build left.
COLLECT_AFTER_SECONDS = 1.0


class ProblemCounter(logging.Handler):
    """Counts warnings and errors logged during a build that are not content problems.

    Content problems (``plugin_support.problems``) are counted where they are
    reported, not from the log, and printed together at the end.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if is_content_problem(record):
            return
        bucket = self.errors if record.levelno >= logging.ERROR else self.warnings
        bucket.append(f"{record.levelname}: {record.getMessage()}")


def is_content_problem(record: logging.LogRecord) -> bool:
    return bool(getattr(record, "content_problem", False))


class _ReadingDoneError(Exception):
    """Stops ``invoke check`` once every file is read and checked, before anything is written."""


def _stop_reading(pelican: object) -> None:
    raise _ReadingDoneError


def plugins_importable() -> None:
    """Let this process import the plugins' packages (``plugin_support``, ``archive_import``…) by name."""
    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))


def _settings_file(production: bool) -> Path:
    return PUBLISH_SETTINGS if production else DEV_SETTINGS


class BuildClock:
    """Wall time of a build's phases: reading (up to the end of the generators' context), then writing.

    Plugins add their own named phases (``plugin_support.timing``); the
    report takes those out of the two broad ones so that nothing counts twice.
    """

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.read_done: float | None = None

    def mark_read_done(self, *args: object) -> None:
        self.read_done = time.perf_counter()

    def report(self, finished: float) -> dict[str, float]:
        from plugin_support import timing

        parts = timing.totals()
        read_done = self.read_done or finished
        keep_reading = parts.get("keep_reading", 0.0)
        feeds = parts.get("feeds", 0.0)
        sitemaps = parts.get("sitemaps", 0.0)
        search = parts.get("search", 0.0)
        images = parts.get("images", 0.0)
        place = parts.get("place", 0.0)
        return {
            "read": read_done - self.started - keep_reading,
            "keep_reading": keep_reading,
            "write": finished - read_done - feeds - sitemaps - images - search - place,
            "feeds": feeds,
            "sitemaps": sitemaps,
            # Share cards and resized images (plugins/share_images), made or taken from the image cache.
            "images": images,
            "images_made": parts.get("images_made", 0),
            "images_reused": parts.get("images_reused", 0),
            # Pagefind's run over the finished pages (plugins/site_search), with what it wrote.
            "search": search,
            "search_pages": parts.get("search_pages", 0),
            "search_bytes": parts.get("search_bytes", 0),
            "search_parts_reused": parts.get("search_parts_reused", 0),
            # Putting the new site in place of the old: a rename, or moving in only what changed.
            "place": place,
            "total": finished - self.started,
            # The part of "write" spent rendering pages (or taking them over) on every process, once all are asked for.
            "render": parts.get("render", 0.0),
            "pages_rendered": parts.get("pages_rendered", 0),
            "pages_taken_over": parts.get("pages_taken_over", 0),
            # Articles taken as the last build read them, from this process or the build cache, instead of read
            # again (plugins/front_matter/kept.py), and the part of "read" spent loading those of the build cache.
            "articles_kept": parts.get("articles_kept", 0),
            "articles_loaded": parts.get("articles_loaded", 0.0),
        }


def run_build(
    *,
    production: bool = False,
    output: str | os.PathLike[str] = DEFAULT_OUTPUT,
    content: str | os.PathLike[str] | None = None,
    strict: bool = False,
    drafts: bool = False,
    quiet: bool = False,
    jobs: int | None = None,
    timings: bool = False,
    settings_overrides: dict[str, object] | None = None,
    check_only: bool = False,
) -> Path:
    """Build the site into ``output``; raise ``Exit`` with a readable message on failure.

    Content problems are printed once each, sorted by file and line, then
    ``N problems in M files``; with errors (or, when ``strict``, warnings)
    nothing is published and ``output`` is left as it was. ``check_only``
    reads and checks everything and writes nothing (``invoke check``).

    ``jobs`` sets ``BUILD_JOBS`` (processes; ``None`` keeps the setting, one
    per core by default). ``timings`` prints the time of each phase as one
    JSON line starting with ``timings:``. ``settings_overrides`` replaces
    settings after the settings file is read (``invoke build --setting KEY=JSON``).
    """
    from pelican import Pelican, signals
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    plugins_importable()
    from plugin_support import problems, site_update, timing

    output_path = Path(output).resolve()
    staging = output_path.with_name(f".{output_path.name}.staging")
    # Unique per build: the last build's old site may still be being deleted in the background.
    previous = output_path.with_name(f".{output_path.name}.previous-{os.getpid()}-{time.time_ns()}")
    shutil.rmtree(staging, ignore_errors=True)

    plain = logging.StreamHandler(sys.stderr)
    plain.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    # Content problems are printed all together, sorted, when the build ends.
    plain.addFilter(lambda record: not is_content_problem(record))
    init_logging(level=logging.WARNING, handler=plain)
    forget_logged_messages()
    problems.reset()
    site_update.reset()
    counter = ProblemCounter()
    logging.getLogger().addHandler(counter)
    # Pages the last build wrote the same are taken over from the live site (plugins/fast_build).
    overrides: dict[str, object] = {**(settings_overrides or {}), "OUTPUT_PATH": str(staging)}
    if check_only:
        overrides["BUILD_CHECK_ONLY"] = True
    else:
        overrides["BUILD_PREVIOUS_OUTPUT"] = str(output_path)
    if content is not None:
        overrides["PATH"] = str(Path(content).resolve())
    if drafts:
        overrides["DRAFT_SAVE_AS"] = "drafts/{slug}/index.html"
    if jobs is not None:
        overrides["BUILD_JOBS"] = jobs
    timing.reset()
    clock = BuildClock()
    signals.all_generators_finalized.connect(clock.mark_read_done)
    try:
        settings = read_settings(str(_settings_file(production)), override=overrides)
        # Unchanged pages stay where they are in the live site, and only new files are moved in
        # (plugin_support.site_update); Pagefind, though, must read the whole new site from one folder.
        settings["BUILD_UPDATE_IN_PLACE"] = not check_only and output_path.is_dir() and not settings.get("SEARCH_INDEX")
        pelican = Pelican(settings)
        if check_only:
            # Connected after the plugins, so their checks before writing have run.
            signals.get_writer.connect(_stop_reading)
        pelican.run()
    except (_ReadingDoneError, problems.ContentProblemsError):
        pass  # the problems are in problems.collected()
    except Exception as error:  # Pelican and Jinja raise many kinds; report them all the same way.
        counter.errors.append(_describe(error))
        print(f"ERROR: {counter.errors[-1]}", file=sys.stderr)
    finally:
        logging.getLogger().removeHandler(counter)
        signals.all_generators_finalized.disconnect(clock.mark_read_done)
        signals.get_writer.disconnect(_stop_reading)
    finished = time.perf_counter()

    found = problems.collected()
    errors = [problem for problem in found if problem.severity == problems.ERROR]
    for problem in found:
        print(problem, file=sys.stderr)
    other = counter.errors + counter.warnings
    failed = bool(errors or counter.errors or (strict and (found or counter.warnings)))
    if check_only or failed:
        shutil.rmtree(staging, ignore_errors=True)
    if failed:
        why = problems.summary(found) if found else ""
        if other:
            why += f"{'; and ' if why else ''}{len(other)} other message(s) above"
        strictly = " (--strict fails on warnings)" if not (errors or counter.errors) else ""
        action = "Check found" if check_only else "Build failed:"
        kept = "" if check_only else f" {output_path} was left as it was."
        raise Exit(f"{action} {why}{strictly}.{kept}", code=1)
    if check_only:
        if not quiet:
            print(f"Checked {'production' if production else 'development'} content: {problems.summary(found)}.")
        return output_path

    with timing.phase("place"):
        # Pages are kept only with a build cache, beside which the list of the site's files is kept.
        cache_folder = settings.get("BUILD_CACHE_PATH")
        listing = site_update.listing_path(cache_folder, output_path) if cache_folder else None
        if site_update.kept() and output_path.is_dir():
            site_update.lay_over(staging, output_path, site_update.kept(), listing)
            shutil.rmtree(staging)
        else:
            # A next build that updates in place (a cache, no search index) finds the files listed, unwalked.
            listed = listing is not None and not settings.get("SEARCH_INDEX")
            files = site_update.files_under(staging) if listed else None
            if output_path.exists():
                output_path.rename(previous)
            staging.rename(output_path)
            if listing is not None and files is not None:
                site_update.record_listing(listing, output_path, files)
            discard_in_background(previous)
    finished = time.perf_counter()
    if not quiet:
        seconds = finished - clock.started
        pages = timing.totals()
        if pages.get("articles_kept"):
            print(f"{pages['articles_kept']:.0f} articles unchanged since the last build were not read again.")
        print(
            f"Built {'production' if production else 'development'} site in {seconds:.1f}s: {output_path} "
            f"({pages.get('pages_rendered', 0):.0f} pages rendered, {pages.get('pages_taken_over', 0):.0f} unchanged)"
        )
    if timings:
        print("timings: " + json.dumps({name: round(value, 3) for name, value in clock.report(finished).items()}))
    return output_path


def forget_logged_messages() -> None:
    """Let this build report every problem, even one an earlier build in this process reported.

    Pelican's log filter drops a message it has seen before in the same
    process; a second build in one process (livereload) would otherwise pass
    over problems the first one counted.
    """
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def discard_in_background(folder: Path) -> None:
    """Delete ``folder`` in a process of its own, so the build is done as soon as the new site is in place.

    Deleting a site of ten thousand articles takes seconds; nothing waits for
    it, and the folder's name (a dot-folder next to the output) is never reused.
    It runs at the lowest priority, so that the next build (livereload builds
    one after another) comes first.
    """
    if folder.exists():
        delete = "import os, shutil, sys; os.nice(19); shutil.rmtree(sys.argv[1], ignore_errors=True)"
        subprocess.Popen(
            [sys.executable, "-c", delete, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


def _invoke_command() -> str:
    """How to call invoke from here: the project's own .venv when that is the one running."""
    executable = Path(sys.executable)
    if executable.parent.parent == ROOT / ".venv":
        return os.path.relpath(executable.parent / "invoke")
    return "invoke"


def parse_setting_overrides(pairs: list[str]) -> dict[str, object]:
    """``["KEY=JSON", ...]`` → ``{KEY: value}``; a bad pair raises ``Exit`` saying which."""
    overrides: dict[str, object] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Z][A-Z0-9_]*", key):
            raise Exit(
                f'--setting "{pair}": write KEY=JSON with an upper-case setting name, '
                "e.g. --setting 'SUBSCRIBE_PROVIDER=null'",
                code=1,
            )
        try:
            overrides[key] = json.loads(raw)
        except json.JSONDecodeError as error:
            raise Exit(
                f"--setting {key}: the value is not JSON ({error.msg}); quote strings, e.g. {key}='\"text\"'", code=1
            ) from error
    return overrides


def _describe(error: Exception) -> str:
    """One line for an exception, located at the innermost template line when there is one."""
    template_frames = [
        frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith((".html", ".xml"))
    ]
    where = ""
    if template_frames:
        frame = template_frames[-1]
        template = Path(frame.filename)
        where = f"{template.relative_to(ROOT) if template.is_relative_to(ROOT) else template}:{frame.lineno}: "
    return f"{where}{error.__class__.__name__}: {error}"


@task(
    help={
        "output": "Folder to write the site to (default: output/).",
        "content": "Content folder to build instead of content/.",
        "production": "Use publishconf.py (absolute SITEURL, feeds).",
        "strict": "Fail on warnings too, as CI and the tests do.",
        "drafts": "Also write drafts, under drafts/<slug>/, to read them before publishing.",
        "setting": "Override a setting for this build as KEY=JSON (repeatable): --setting 'SUBSCRIBE_PROVIDER=null'.",
        "jobs": "Processes to read and render with (default: one per CPU core; 1 builds in this process alone).",
        "timings": "Print the time of each phase (read, Keep Reading, write, feeds, sitemaps) as a JSON line.",
        "no_cache": "Neither read nor write the build cache (.build-cache/) or the image cache: convert and draw all.",
        "images": "Make share cards and resized images, as `invoke publish` does (IMAGES_DERIVE).",
        "search": "Also build the search index (Pagefind), as `invoke publish` always does.",
    },
    iterable=["setting"],
)
def build(
    c: Context,
    output: str = str(DEFAULT_OUTPUT),
    content: str | None = None,
    production: bool = False,
    strict: bool = False,
    drafts: bool = False,
    setting: list[str] | None = None,
    jobs: int = 0,
    timings: bool = False,
    no_cache: bool = False,
    search: bool = False,
    images: bool = False,
) -> None:
    """Build the site (development settings unless --production)."""
    overrides: dict[str, object] = {}
    if no_cache:
        overrides["BUILD_CACHE_PATH"] = None
        overrides["IMAGES_CACHE_PATH"] = None
    if images:
        overrides["IMAGES_DERIVE"] = True
    if search:
        overrides["SEARCH_INDEX"] = True
    # A setting given by name wins over what a flag implies (--no-cache --setting IMAGES_CACHE_PATH=…).
    overrides.update(parse_setting_overrides(setting or []))
    if jobs < 0:
        raise Exit("--jobs must be 1 or more (0 or no option: one per CPU core).", code=1)
    run_build(
        production=production,
        output=output,
        content=content,
        strict=strict,
        drafts=drafts,
        jobs=jobs or None,
        timings=timings,
        settings_overrides=overrides,
    )
    folder = "" if Path(output).resolve() == DEFAULT_OUTPUT else f" --output {shlex.quote(output)}"
    print(f"Preview it: {_invoke_command()} serve{folder}   then open http://127.0.0.1:{DEFAULT_PORT}/")


@task(
    help={
        "content": "Content folder to check instead of content/.",
        "production": "Check with publishconf.py.",
        "strict": "Exit non-zero on warnings too, as the strict build does.",
        "no_cache": "Neither read nor write the build cache: convert every article.",
        "setting": "Override a setting as KEY=JSON (repeatable), as for invoke build.",
    },
    iterable=["setting"],
)
def check(
    c: Context,
    content: str | None = None,
    production: bool = False,
    strict: bool = False,
    no_cache: bool = False,
    setting: list[str] | None = None,
) -> None:
    """Read and check all content, write no site: every problem as path:line: message, then the count."""
    overrides = parse_setting_overrides(setting or [])
    if no_cache:
        overrides["BUILD_CACHE_PATH"] = None
    run_build(production=production, content=content, strict=strict, check_only=True, settings_overrides=overrides)


def build_cache_folder() -> Path:
    """The build cache the settings name (``BUILD_CACHE_PATH``)."""
    from pelican.settings import read_settings

    return Path(read_settings(str(DEV_SETTINGS))["BUILD_CACHE_PATH"])


@task(help={"output": "Folder to remove (default: output/)."})
def clean(c: Context, output: str = str(DEFAULT_OUTPUT)) -> None:
    """Remove the built site and the build cache."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(build_cache_folder(), ignore_errors=True)
    print(f"Removed {output} and the build cache")


@task(
    help={
        "output": "Folder to rebuild into (default: output/).",
        "content": "Content folder to build instead of content/.",
        "production": "Use publishconf.py.",
    }
)
def rebuild(
    c: Context, output: str = str(DEFAULT_OUTPUT), content: str | None = None, production: bool = False
) -> None:
    """Build from nothing: throw the build cache away, then build (the old site stays until the new one is done)."""
    shutil.rmtree(build_cache_folder(), ignore_errors=True)
    build(c, output=output, content=content, production=production)


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site the way static hosts do, including the 404 page."""

    def not_found_page(self) -> Path:
        """The page answered for a missing path: the site's 404.html."""
        return Path(self.directory) / "404.html"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found_page = self.not_found_page()
        if code == 404 and not_found_page.is_file():
            body = not_found_page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        # A folder without index.html: static hosts answer that it is not there, never with a listing of files,
        # so a link to one must break here as it would in production.
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def serve_folder(folder: Path, port: int, bind: str = "127.0.0.1") -> None:
    """Serve ``folder`` over HTTP until interrupted."""
    handler = functools.partial(SiteRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer((bind, port), handler) as server:
        print(f"Serving {folder} at http://{bind}:{port}/  (Ctrl+C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@task(help={"port": f"Port to listen on (default {DEFAULT_PORT}).", "output": "Folder to serve (default: output/)."})
def serve(c: Context, port: int = DEFAULT_PORT, output: str = str(DEFAULT_OUTPUT)) -> None:
    """Serve the built site at http://127.0.0.1:8000/."""
    folder = Path(output).resolve()
    if not (folder / "index.html").is_file():
        raise Exit(f"Nothing to serve in {folder}: run `invoke build` first.", code=1)
    serve_folder(folder, port)


@task(help={"port": f"Port to listen on (default {DEFAULT_PORT}).", "output": "Folder to build into."})
def preview(c: Context, port: int = DEFAULT_PORT, output: str = str(DEFAULT_OUTPUT)) -> None:
    """Build with the production settings for this address and serve it."""
    os.environ["SITEURL"] = f"http://127.0.0.1:{port}"
    path = run_build(production=True, output=output)
    serve_folder(path, port)


@task(
    help={
        "port": f"Port for the page server (default {DEFAULT_PORT}).",
        "output": "Folder to build into (default: output/).",
        "content": "Content folder to build and watch instead of content/.",
        "setting": "Override a setting for every build as KEY=JSON (repeatable), as for `invoke build`.",
    },
    iterable=["setting"],
)
def livereload(
    c: Context,
    port: int = DEFAULT_PORT,
    output: str = str(DEFAULT_OUTPUT),
    content: str = "",
    setting: list[str] | None = None,
) -> None:
    """Serve the site and rebuild and reload the browser when anything changes."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    plugins_importable()
    from plugin_support import cache, collector

    content_folder = Path(content).resolve() if content else ROOT / "content"
    overrides = parse_setting_overrides(setting or [])
    # The pages' Content-Security-Policy must let the server's reload snippet run.
    overrides["CONTENT_SECURITY_SCRIPT_HASHES"] = [
        *overrides.get("CONTENT_SECURITY_SCRIPT_HASHES", []),
        livereload_snippet_hash(),
    ]
    # Articles whose files did not change are taken from the last build in this process (plugins/front_matter/kept.py).
    overrides.setdefault("BUILD_KEEP_READ_ARTICLES", True)

    pending_collection: list[object] = []

    def collect_when_idle() -> None:
        # What a build leaves in reference cycles is freed by a full collection (half a second at 10,000 articles):
        # run it once the browser has reloaded, unless another save comes first.
        from tornado.ioloop import IOLoop

        loop = IOLoop.current()
        for timeout in pending_collection:
            loop.remove_timeout(timeout)
        pending_collection[:] = [loop.call_later(COLLECT_AFTER_SECONDS, collector.collect_between_builds)]

    def rebuild_here() -> None:
        # Content and theme edits build in this process, which keeps the build cache in memory between saves
        # and writes its files once the browser can reload.
        try:
            with cache.writing_later():
                run_build(output=output, content=content_folder, settings_overrides=overrides)
        except Exit as failure:
            print(failure.message, file=sys.stderr)

    def rebuild_on_save() -> None:
        rebuild_here()
        collect_when_idle()

    def restart() -> None:
        # Plugins and settings are imported once per process: start again so the next build uses the new ones.
        print("Plugins or settings changed: restarting livereload.", file=sys.stderr)
        cache.settle()
        os.execv(sys.executable, [sys.executable, "-m", "invoke", *sys.argv[1:]])

    # livereload tells no browser to reload within 3 s of the last reload, against a burst of changes building
    # over and over: the watcher folds a burst into one build already, and an author who saves again a second
    # after a reload must see that save too.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    watcher = told_of_changes_watcher()
    server = Server(watcher=watcher)
    for watched in (content_folder, ROOT / "theme"):
        server.watch(str(watched), rebuild_on_save, delay=1)
    for watched in (ROOT / "plugins", DEV_SETTINGS, PUBLISH_SETTINGS):
        server.watch(str(watched), restart, delay=1)
    # Watching starts before the first build (20 s at 10,000 articles): a save made meanwhile is built after it.
    watcher.listen()
    print(f"Watching {content_folder} and {ROOT / 'theme'} for changes.", file=sys.stderr, flush=True)
    rebuild_here()
    server.serve(host="127.0.0.1", port=port, root=output, open_url_delay=None)


# How long watchfiles waits for a change before it answers that there was none.
LISTENING_MS = 200


def told_of_changes_watcher() -> Any:
    """livereload's watcher, told of changes by the operating system instead of looking for them.

    livereload's own watcher walks every watched folder every 0.8 s, noting
    each file's modification time: at 10,000 articles, a tenth of a second of
    work at every look, and up to 0.8 s between a save and its build.
    This one gets the changed paths from watchfiles (inotify on Linux; a
    dependency of Pelican's own autoreload), which hands them over 50 ms after
    the last of a burst of changes (an editor's save writes more than once),
    and leaves out editors' swap files and caches (``watchfiles.DefaultFilter``).
    Its ``listen()`` starts watching before livereload serves, so that what is
    saved during the first build is not missed.
    """
    import threading

    import watchfiles
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class ToldOfChangesWatcher(Watcher):
        def __init__(self) -> None:
            super().__init__()
            self._changed: set[str] = set()
            self._lock = threading.Lock()
            self._look_again: Callable[[], None] = lambda: None

        def listen(self) -> None:
            """Take changes under the watched paths from now on; returns once the system reports them."""
            folders, watching = [str(path) for path in self._tasks], threading.Event()

            def listen() -> None:
                try:
                    # The first answer, changes or none after LISTENING_MS, comes once every folder is watched.
                    changes_seen = watchfiles.watch(
                        *folders, raise_interrupt=False, yield_on_timeout=True, rust_timeout=LISTENING_MS
                    )
                    for changes in changes_seen:
                        watching.set()
                        if changes:
                            with self._lock:
                                self._changed.update(path for _, path in changes)
                            self._look_again()
                except Exception as error:  # the system's limit on watched folders, for one: say so, not nothing
                    print(f"livereload no longer sees changes ({error}); start it again.", file=sys.stderr)
                finally:
                    watching.set()

            threading.Thread(target=listen, name="livereload-changes", daemon=True).start()
            watching.wait()

        def start(self, callback) -> bool:
            loop = IOLoop.current()
            self._look_again = lambda: loop.add_callback(callback)
            with self._lock:
                saved_while_building = bool(self._changed)
            # The server's own request, made as it starts (reload the browsers that reconnect after a restart), is
            # answered now, as livereload's polling would: left waiting, it would reload the page a second time
            # two seconds after the next save.
            if saved_while_building or self._changes:
                self._look_again()
            return True  # no polling: ``callback`` (livereload's ``poll_tasks``) runs when something changed

        def examine(self) -> tuple[str | None, float | None]:
            if self._changes:  # livereload's own request to reload the browser, answered first
                if self._changed:
                    self._look_again()
                return self._changes.pop()
            with self._lock:
                changed, self._changed = self._changed, set()
            self.filepath = None
            for watched, job in self._tasks.items():
                inside = [path for path in changed if path == watched or path.startswith(watched + os.sep)]
                if inside and job["func"]:
                    self.filepath = inside[0]
                    job["func"]()
            return self.filepath, None

    return ToldOfChangesWatcher()


# The inline script livereload 2.7.1 adds to every page it serves (livereload/server.py, Server.application,
# with no separate live port); its hash goes into the development pages' Content-Security-Policy.
LIVERELOAD_SNIPPET = (
    "(function(){"
    'var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port'
    '+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);"
    "})();"
)


def livereload_snippet_hash() -> str:
    """The CSP hash source of livereload's reload snippet."""
    plugins_importable()
    from security_policy import script_hash

    return script_hash(LIVERELOAD_SNIPPET)


@task(
    name="import",
    positional=["source", "path"],
    help={
        "source": "beehiiv (posts CSV), substack (export folder or zip), ghost (JSON export) or text (a pasted story).",
        "path": "The export file or folder, or the text file of a pasted story.",
        "section": "Section (Category) for every imported story; else IMPORT_TAG_SECTIONS maps tags to sections.",
        "author": "Byline for every imported story (beehiiv and Substack exports name no author).",
        "images": "Folder holding the export's images: used instead of the old platform's addresses.",
        "content": "Content folder to import into (default: content/).",
        "dry_run": "Print what would be written; write nothing.",
        "force": "Overwrite an existing article with the same slug.",
        "drafts": "Import unpublished posts too, as Status: draft.",
        "pages": "Import pages too, into content/pages/.",
        "podcasts": "Import podcast episodes too, as articles linking to the audio.",
        "title": "text only: the headline.",
        "date": "text only: publication time, YYYY-MM-DD HH:MM in the site's time zone.",
        "summary": "text only: the dek.",
        "slug": "text only: the URL name (default: from the title).",
    },
)
def import_archive(
    c: Context,
    source: str,
    path: str,
    section: str | None = None,
    author: str | None = None,
    images: str | None = None,
    content: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    drafts: bool = False,
    pages: bool = False,
    podcasts: bool = False,
    title: str = "",
    date: str = "",
    summary: str = "",
    slug: str = "",
) -> None:
    """Import stories from beehiiv, Substack, Ghost or pasted text into content/, with redirects from old links."""
    from pelican.settings import read_settings

    plugins_importable()
    from archive_import import ExportError, Importer, Options

    settings = read_settings(str(DEV_SETTINGS))
    options = Options(
        source=source,
        path=Path(path).resolve(),
        content=Path(content).resolve() if content else ROOT / settings["PATH"],
        section=section,
        author=author,
        images=Path(images).resolve() if images else None,
        dry_run=dry_run,
        force=force,
        drafts=drafts,
        pages=pages,
        podcasts=podcasts,
        title=title,
        date=date,
        summary=summary,
        slug=slug,
    )
    try:
        report = Importer(options, settings).run()
    except ExportError as error:
        raise Exit(f"Import failed: {error}", code=1) from error
    for line in report.lines:
        print(line)
    done = "would write" if dry_run else "wrote"
    print(
        f"Import: {done} {report.written}, {report.unchanged} unchanged, {report.skipped} skipped"
        + (f"; {report.blocking} thing(s) above to fix before the site builds" if report.blocking else "")
        + f". Next: {_invoke_command()} check"
    )


def _since(text: str, zone: ZoneInfo) -> datetime:
    """``--since``: a date, or a date and time, in the site's time zone."""
    for layout in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), layout).replace(tzinfo=zone)
        except ValueError:
            continue
    raise Exit(f'--since "{text}": write YYYY-MM-DD or "YYYY-MM-DD HH:MM" (the site\'s time zone)', code=2)


def _chosen_articles(read: dict[str, list], slug: str, since: datetime | None) -> list:
    """The articles to make editions of: the one with ``slug``, or every listed one dated ``since`` or later."""
    import difflib

    if since is not None:
        chosen = sorted((a for a in read["articles"] if a.date >= since), key=lambda a: (a.date, a.slug))
        if not chosen:
            raise Exit(f"No article was published since {since:%Y-%m-%d %H:%M %Z}.", code=1)
        return chosen
    published = read["articles"] + read["hidden_articles"]
    match = [article for article in published if article.slug == slug]
    if match:
        return match[:1]
    if any(article.slug == slug for article in read["drafts"]):
        raise Exit(f'"{slug}" is a draft: publish it (remove Status: draft) before making its edition.', code=1)
    close = difflib.get_close_matches(slug, [article.slug for article in published], n=1)
    hint = f'; did you mean "{close[0]}"?' if close else " (an article dated in the future is not published yet)."
    raise Exit(f'No published article has the slug "{slug}"{hint}', code=1)


class _SlugUnlessSince(Argument):
    """The SLUG of ``invoke email``, which ``--since`` makes unnecessary.

    Invoke requires every positional argument; this one counts as given
    (empty) once ``--since`` has a value, and is read from the command line otherwise.
    """

    def __init__(self, *args: object, since: Argument, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.since = since

    @property
    def value(self) -> object:
        if self._value is None and self.since.value:
            return ""
        return self._value if self._value is not None else self.default

    @value.setter
    def value(self, arg: str) -> None:
        self.set_value(arg, cast=True)


class _EmailTask(Task):
    """``invoke email``: SLUG is positional, yet ``invoke email --since DATE`` needs none."""

    def get_arguments(self, ignore_unknown_help: bool | None = None) -> list[Argument]:
        arguments = super().get_arguments(ignore_unknown_help)
        named = {argument.name: argument for argument in arguments}
        slug = named["slug"]
        optional = _SlugUnlessSince(names=slug.names, help=slug.help, positional=True, since=named["since"])
        return [optional if argument is slug else argument for argument in arguments]


@task(
    klass=_EmailTask,
    positional=["slug"],
    help={
        "slug": "Slug of the published article to make the edition of.",
        "since": 'Make the edition of every article published since this date (YYYY-MM-DD or "YYYY-MM-DD HH:MM").',
        "output": "Folder to write SLUG.html and SLUG.txt into (default: output/email/).",
        "content": "Content folder to read instead of content/.",
        "setting": "Override a setting as KEY=JSON (repeatable), as for invoke build.",
    },
    iterable=["setting"],
)
def email(
    c: Context,
    slug: str | None = None,
    since: str = "",
    output: str = str(DEFAULT_OUTPUT / "email"),
    content: str | None = None,
    setting: list[str] | None = None,
) -> None:
    """Write the newsletter edition (SLUG.html and SLUG.txt) of one article, or of every article since a date."""
    from pelican import signals
    from pelican.generators import ArticlesGenerator
    from pelican.settings import read_settings

    if bool(slug) == bool(since):
        raise Exit("Give the SLUG of one article, or --since DATE for every article since then (not both).", code=2)
    if not os.environ.get("SITEURL"):
        raise Exit(
            "SITEURL is not set: an edition's links must reach the published site. "
            "Set it to the site's public address, as for invoke publish: SITEURL=https://news.example.org",
            code=2,
        )
    plugins_importable()
    from email_edition import EditionError, make_edition
    from email_edition import read_settings as edition_settings
    from email_edition.render import environment
    from plugin_support.problems import display_path

    overrides = parse_setting_overrides(setting or [])
    settings = read_settings(str(PUBLISH_SETTINGS), override=dict(overrides))
    try:
        # Checked before the articles are read: a wrong setting is reported at once.
        edition = edition_settings(settings)
    except EditionError as error:
        raise Exit(f"Email failed: {error}", code=1) from error
    zone = ZoneInfo(settings["TIMEZONE"])
    start = _since(since, zone) if since else None

    read: dict[str, list] = {"articles": [], "hidden_articles": [], "drafts": []}

    def collect(generators: list) -> None:
        for generator in generators:
            if isinstance(generator, ArticlesGenerator):
                for name, found in read.items():
                    found.extend(getattr(generator, name))

    signals.all_generators_finalized.connect(collect)
    try:
        # One production reading of the whole site (from the build cache; nothing is written), as
        # `invoke check --production` does: each article's body exactly as the published page has it.
        run_build(production=True, content=content, quiet=True, check_only=True, settings_overrides=overrides)
    finally:
        signals.all_generators_finalized.disconnect(collect)
    chosen = _chosen_articles(read, slug, start)
    env = environment(chosen[0].settings["THEME"])
    folder = Path(output).resolve()
    too_big = []
    for article in chosen:
        try:
            made = make_edition(article, edition, env)
        except Exception as error:  # one line, never a traceback: the editor needs to know which story
            raise Exit(f'Email failed for "{article.slug}": {_describe(error)}', code=1) from error
        html_path, text_path = made.write(folder)
        size = html_path.stat().st_size
        print(f"{display_path(html_path)} ({size:,} bytes) and {text_path.name} ({text_path.stat().st_size:,} bytes)")
        if size > edition.max_bytes:
            too_big.append(f"{html_path.name} is {size:,} bytes")
    if too_big:
        raise Exit(
            f"Over EMAIL_MAX_BYTES ({edition.max_bytes:,}): {'; '.join(too_big)}. Gmail clips larger messages; "
            "shorten the story or split it.",
            code=1,
        )


def read_deployed_state(source: str) -> dict[str, object]:
    """The ``build-state.json`` a deployment published, from a URL or a file; empty when there is none yet."""
    import urllib.error
    import urllib.request

    try:
        if re.match(r"https?://", source):
            with urllib.request.urlopen(source, timeout=30) as response:
                return json.loads(response.read().decode("utf-8"))
        return json.loads(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return {}  # nothing deployed yet: everything published is due
        raise Exit(f"Could not read the deployed state at {source}: {error}", code=2) from error
    except (OSError, ValueError) as error:
        raise Exit(f"Could not read the deployed state at {source}: {error}", code=2) from error


def scheduled_articles(content: Path, settings: dict[str, object]) -> list[tuple[datetime, str, str]]:
    """``(date, slug, path)`` of every article meant for publication (no draft or hidden status), by date."""
    from pelican.utils import get_date
    from pelican.utils import slugify as slugify_title

    plugins_importable()
    from plugin_support.problems import header_values

    zone = ZoneInfo(str(settings.get("TIMEZONE") or "UTC"))
    found = []
    for folder in settings["ARTICLE_PATHS"]:
        for path in sorted((content / folder).rglob("*.md")):
            header = header_values(path)
            if header.get("status", "published").lower() != "published" or "date" not in header:
                continue
            try:
                when = get_date(header["date"])
            except ValueError:
                continue  # `invoke check` reports it
            when = when if when.tzinfo else when.replace(tzinfo=zone)
            # The slug as Pelican makes it from the title when there is no Slug: line.
            title = header.get("title", path.stem)
            slug = header.get("slug") or slugify_title(title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
            found.append((when, slug, os.path.relpath(path)))
    return sorted(found)


@task(
    help={
        "at": "The time to ask about, YYYY-MM-DD HH:MM in the site's time zone (default: the build clock, now).",
        "state": "The deployed build-state.json, a URL or a file (default: $SITEURL/build-state.json).",
        "content": "Content folder (default: content/).",
    }
)
def due(c: Context, at: str = "", state: str = "", content: str | None = None) -> None:
    """List the articles that have come due since the last deployment; exit 1 when there are none."""
    from pelican.settings import read_settings

    plugins_importable()
    from plugin_support.clock import read_clock

    settings = read_settings(str(DEV_SETTINGS))
    zone = ZoneInfo(settings["TIMEZONE"])
    try:
        when = datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=zone) if at else read_clock()
    except ValueError as error:
        raise Exit(f'--at "{at}": write the time as YYYY-MM-DD HH:MM (the site\'s time zone)', code=2) from error
    if not state:
        siteurl = os.environ.get("SITEURL", "").rstrip("/")
        if not siteurl:
            raise Exit("Give --state (a URL or file of the deployed build-state.json) or set SITEURL.", code=2)
        state = f"{siteurl}/build-state.json"
    deployed = read_deployed_state(state)
    published = {entry["slug"] for entry in deployed.get("articles", []) if isinstance(entry, dict)}
    folder = Path(content).resolve() if content else ROOT / settings["PATH"]
    became_due = [
        (date, slug, path)
        for date, slug, path in scheduled_articles(folder, settings)
        if date <= when and slug not in published
    ]
    moment = when.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    if not became_due:
        raise Exit(f"Nothing has come due at {moment} that the deployed site does not have.", code=1)
    print(f"Due at {moment}, not yet on the deployed site:")
    for date, slug, path in became_due:
        print(f"  {date.astimezone(zone):%Y-%m-%d %H:%M}  {slug}  ({path})")


@task(
    help={
        "title": "The headline.",
        "section": "Section (category); one of SECTIONS.",
        "author": "Byline: the name of an author profile in content/authors.toml (several: comma-separated).",
        "slug": "URL slug (default: made from the title).",
        "content": "Content folder (default: content/).",
    }
)
def new(c: Context, title: str, section: str = "", author: str = "", slug: str = "", content: str = "content") -> None:
    """Scaffold a draft article from a headline and print its path."""
    from pelican.settings import read_settings
    from pelican.urlwrappers import Author

    plugins_importable()
    from plugin_support.text import ascii_slug

    settings = read_settings(str(DEV_SETTINGS))
    sections = settings.get("SECTIONS") or []
    section = section or (sections[0] if sections else "News")
    if sections and section not in sections:
        raise Exit(f'Unknown section "{section}"; use one of: {", ".join(sections)}', code=1)
    profiles = author_profiles({**settings, "PATH": str(ROOT / content)})
    authors = [name.strip() for name in author.split(",") if name.strip()]
    # Matched as the build matches them: by the slug Pelican makes of the byline.
    slugs = {name: Author(name, settings).slug for name in authors}
    unknown = [name for name in authors if slugs[name] not in profiles]
    if not authors or unknown:
        named = f'No author profile is named "{", ".join(unknown)}"' if unknown else "Give the byline with --author"
        bylines = ", ".join(profile["name"] for profile in profiles.values())
        choices = bylines or f"none yet: add a table to {settings['AUTHOR_PROFILES_FILE']}"
        raise Exit(f"{named}; the content folder's author profiles are: {choices}", code=1)
    # Written as the profile spells it: the first spelling the build meets names the author's page.
    authors = [profiles[slugs[name]]["name"] for name in authors]
    now = datetime.now(ZoneInfo(settings["TIMEZONE"]))
    slug = slug or ascii_slug(title)
    if not slug:
        raise Exit("The title has no letters or digits to make a slug from; pass --slug.", code=1)
    path = ROOT / content / "articles" / f"{now:%Y}" / f"{slug}.md"
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if path.exists():
        raise Exit(f"{shown} already exists; choose another --slug.", code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: {title}\n"
        f"Date: {now:%Y-%m-%d %H:%M}\n"
        f"Category: {section}\n"
        "Tags: \n"
        f"Authors: {', '.join(authors)}\n"
        f"Slug: {slug}\n"
        "Summary: One or two sentences that tell the reader why this story matters.\n"
        "Status: draft\n"
        "\n"
        "Opening paragraph.\n"
        "\n"
        "## 🎯 First section\n"
        "\n"
        "## 🔑 Key Takeaways\n"
        "\n"
        "- First point\n",
        encoding="utf-8",
    )
    print(shown)


def author_profiles(settings: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The author profiles a build with ``settings`` knows, by author slug, loaded as the build loads them."""
    plugins_importable()
    from author_profiles.profiles import validate_settings

    loaded = dict(settings)
    try:
        validate_settings(loaded)
    except ValueError as error:
        raise Exit(str(error), code=1) from None
    return loaded["AUTHOR_PROFILES"]


@task(help={"output": "Folder to write the site to (default: output/)."})
def publish(c: Context, output: str = str(DEFAULT_OUTPUT)) -> None:
    """Build the production site (SITEURL from the environment) for any static host."""
    if not os.environ.get("SITEURL"):
        print("SITEURL is not set; links will point at http://127.0.0.1:8000. Set it to the site's public address.")
    path = run_build(production=True, output=output, strict=True)
    print(f"Upload the contents of {path} to your host.")


def write_pages_archive(site: Path, archive: Path) -> int:
    """Tar ``site`` for GitHub Pages, dot-files included, byte-for-byte reproducible; return the file count."""
    import tarfile

    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = mtime
        info.mode = 0o755 if info.isdir() else 0o644
        return info

    files = 0
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(site.rglob("*")):
            tar.add(path, arcname=f"./{path.relative_to(site).as_posix()}", recursive=False, filter=normalise)
            files += path.is_file()
    return files


@task(help={"output": "The built site (default: output/).", "archive": "Tar file to write (default: artifact.tar)."})
def pages_artifact(c: Context, output: str = str(DEFAULT_OUTPUT), archive: str = "artifact.tar") -> None:
    """Package the built site as the tar GitHub Pages deploys, keeping dot-files."""
    site = Path(output).resolve()
    if not (site / "index.html").is_file():
        raise Exit(f"Nothing to package in {site}: run `invoke publish` first.", code=1)
    count = write_pages_archive(site, Path(archive))
    print(f"Wrote {archive} with {count} files from {site}")


@task(help={"quick": "Leave out the slow real-browser tests (CI always runs them).", "args": "Extra pytest arguments."})
def test(c: Context, quick: bool = False, args: str = "") -> None:
    """Run the whole test suite (lint, then pytest)."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    marker = '-m "not browser"' if quick else ""
    c.run(f"{sys.executable} -m pytest {marker} {args}", pty=False)


# Debian packages the tests drive: the browser, colour emoji for headings and
# screenshots, a Java runtime for the Nu HTML checker (vnu.jar runs on 17+), and Cairo for share cards.
SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "fonts-noto-color-emoji": None,
    "default-jre-headless": "java",
    # Cairo draws SVG hero images into share cards (cairosvg).
    "libcairo2": None,
}


def _missing_system_packages() -> list[str]:
    missing = []
    for package, command in SYSTEM_PACKAGES.items():
        if command and shutil.which(command):
            continue
        installed = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        ).stdout
        if "install ok installed" not in installed:
            missing.append(package)
    return missing


@task
def bootstrap(c: Context) -> None:
    """Install the tools the tests drive: Chromium, emoji fonts, Java, and the pinned npm packages."""
    missing = _missing_system_packages()
    if missing:
        sudo = "" if os.geteuid() == 0 else "sudo "
        c.run(f"{sudo}apt-get update -qq && {sudo}apt-get install -y -qq {' '.join(missing)}")
    if (ROOT / "package.json").is_file():
        c.run("npm ci --no-audit --no-fund", pty=False)


@task(
    help={
        "sizes": "Comma-separated article counts (default 1000,5000,10000).",
        "runs": "Cold builds of each kind per size; medians are reported (default 3).",
        "folder": "Scratch folder for the generated content and sites (default: a temporary folder).",
        "development": "Benchmark the development build instead of the production one (no feeds or sitemaps).",
    }
)
def benchmark_build(
    c: Context, sizes: str = "1000,5000,10000", runs: int = 3, folder: str = "", development: bool = False
) -> None:
    """Build synthetic newsrooms with this project and with stock Pelican; print times, ratios, memory, phases."""
    import tempfile

    from tests.benchmarks.build_benchmark import benchmark

    counts = [int(part) for part in sizes.split(",")]
    if folder:
        benchmark(counts, runs, Path(folder), production=not development)
        return
    # Content, sites and image caches take some 5 GB at 10,000 articles: kept only when asked for (--folder).
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as scratch:
        benchmark(counts, runs, Path(scratch), production=not development)
        print(f"Deleting {scratch} (--folder DIR keeps the content and sites).")


@task
def lint(c: Context) -> None:
    """Check the Python code with ruff."""
    c.run(f"{sys.executable} -m ruff check .")


@task(
    help={
        "slug": "Slug of the article to explain.",
        "content": "Content folder to read instead of content/.",
        "setting": "Override one setting, KEY=JSON, as for `invoke build`; repeat for more.",
    },
    iterable=["setting"],
)
def explain_related(c: Context, slug: str, content: str | None = None, setting: list[str] | None = None) -> None:
    """Show the Keep Reading picks of one article with the parts of their scores."""
    import tempfile

    from pelican import signals
    from pelican.generators import ArticlesGenerator

    found: list = []

    def collect(generators: list) -> None:
        for generator in generators:
            if isinstance(generator, ArticlesGenerator):
                found.extend(generator.articles)

    signals.all_generators_finalized.connect(collect)
    try:
        # A real build (into a throwaway folder) so the picks are exactly what the site shows.
        with tempfile.TemporaryDirectory() as folder:
            run_build(
                output=Path(folder) / "site",
                content=content,
                quiet=True,
                settings_overrides=parse_setting_overrides(setting or []),
            )
    finally:
        signals.all_generators_finalized.disconnect(collect)
    article = next((a for a in found if a.slug == slug), None)
    if article is None:
        raise Exit(f'No published article has the slug "{slug}".', code=1)
    picks = getattr(article, "keep_reading_explained", [])
    print(f"Keep Reading for {article.slug} ({article.category.name}, {article.date:%Y-%m-%d}): {len(picks)} stories")
    for number, (story, parts, reason) in enumerate(picks, start=1):
        detail = "  ".join(f"{name} {value:.3f}" for name, value in parts.items())
        total = f"score {sum(parts.values()):.3f}  " if parts else ""
        print(f"{number}. {story.slug}  [{reason}]  {total}{detail}".rstrip())
        print(f"   {story.title} ({story.category.name}, {story.date:%Y-%m-%d})")


@task(
    help={
        "sizes": "Comma-separated archive sizes (default 1000,5000,10000,20000).",
        "seed": "Random seed.",
        "repeat": "Timed runs per size; the median is reported (default 3).",
    }
)
def benchmark_related(c: Context, sizes: str = "1000,5000,10000,20000", seed: int = 1, repeat: int = 3) -> None:
    """Time the Keep Reading ranking on synthetic archives; print seconds and peak memory per size."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from keep_reading.benchmark import run

    run([int(size) for size in sizes.split(",")], seed=seed, repeat=repeat)
