"""The deferred, parallel writer."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer
from plugin_support import site_update, timing
from plugin_support.cache import BuildCache, stable_repr
from plugin_support.settings import fill_defaults
from plugin_support.workers import job_count, run_everywhere

from . import incremental, templates

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "BUILD_PREVIOUS_OUTPUT": None,
    "BUILD_UPDATE_IN_PLACE": False,
    "BUILD_INLINE_PARTIALS": True,
}


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in the defaults and reject values of the wrong shape."""
    fill_defaults(settings, DEFAULTS)
    previous = settings["BUILD_PREVIOUS_OUTPUT"]
    if previous is not None and not isinstance(previous, str | os.PathLike):
        raise ValueError(f"BUILD_PREVIOUS_OUTPUT must be a folder path or None, got {previous!r}")
    if not isinstance(settings["BUILD_UPDATE_IN_PLACE"], bool):
        raise ValueError(f"BUILD_UPDATE_IN_PLACE must be True or False, got {settings['BUILD_UPDATE_IN_PLACE']!r}")
    if not isinstance(settings["BUILD_INLINE_PARTIALS"], bool):
        raise ValueError(f"BUILD_INLINE_PARTIALS must be True or False, got {settings['BUILD_INLINE_PARTIALS']!r}")


@dataclass
class RenderJob:
    """One page to render: the template, its context, and the context Pelican shares between pages."""

    template: Any
    page_context: dict[str, Any]
    shared_context: dict[str, Any]
    path: str
    # The names the page context sets for this page over the shared context.
    own_names: frozenset[str] = frozenset()

    def point_at_page(self) -> None:
        # Pelican points the shared context at the page's site URL before rendering,
        # so that article content resolves its links relative to this page.
        if self.page_context["localsiteurl"]:
            self.shared_context["localsiteurl"] = self.page_context["localsiteurl"]

    def render(self) -> None:
        self.point_at_page()
        text = self.template.render(self.page_context)
        try:
            stream = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 (closed by the with below)
        except FileNotFoundError:  # its folder is not made yet; asking first would cost every page a system call
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            stream = open(self.path, "w", encoding="utf-8")  # noqa: SIM115
        with stream:
            stream.write(text)


@dataclass(frozen=True)
class PageRecord:
    """What the cache keeps of a written page: its fingerprint, the reads behind it, and the file's stamp."""

    fingerprint: str
    names: tuple[str, ...]
    attributes: tuple[incremental.ReadsOf, ...]
    size: int
    mtime_ns: int


@dataclass
class _Flush:
    """What every worker needs to decide, page by page, between rendering and taking over."""

    records: dict[str, PageRecord]
    output_path: str
    previous_output: str
    digester: incremental.Digester
    # Taken-over pages stay in the previous site instead of being linked into the new one (plugin_support.site_update).
    in_place: bool
    output_prefix: str = field(init=False)
    previous_prefix: str = field(init=False)

    def __post_init__(self) -> None:
        # Pages are written under the output folder (``sanitised_join``): their path there is what follows this.
        self.output_prefix = os.path.join(os.path.abspath(self.output_path), "")
        self.previous_prefix = os.path.join(os.path.abspath(self.previous_output), "")


_flush: _Flush | None = None


class _Shared:
    """One object for each distinct read, shared by every record that holds it.

    Workers send their records back as separate copies; ten thousand article
    pages read the same names and each other's attributes, so sharing them
    keeps the cache file and the memory of the next build several times smaller.
    """

    def __init__(self) -> None:
        self._known: dict[Any, Any] = {}

    def one(self, value: Any) -> Any:
        return self._known.setdefault(value, value)

    def record(self, record: PageRecord) -> PageRecord:
        attributes = tuple(self.one((self.one(key), self.one(names))) for key, names in record.attributes)
        return replace(record, names=self.one(record.names), attributes=attributes)


def render_or_take_over(job: RenderJob) -> tuple[str, PageRecord | None, bool]:
    """Write ``job``'s file; return its path in the site, its record, and whether it was rendered.

    The record is ``None`` when the page was taken over: it is the one the last build saved.
    """
    assert _flush is not None, "pages are written by ParallelWriter.flush"
    if job.path.startswith(_flush.output_prefix):
        relative = job.path[len(_flush.output_prefix) :]
        previous = _flush.previous_prefix + relative
    else:
        relative = os.path.relpath(job.path, _flush.output_path)
        previous = os.path.abspath(os.path.join(_flush.previous_output, relative))
    environment = job.template.environment
    job.point_at_page()
    record = _flush.records.get(relative)
    if record is not None:
        try:
            stamp = os.stat(previous)
        except OSError:
            stamp = None
        if stamp is not None and (stamp.st_size, stamp.st_mtime_ns) == (record.size, record.mtime_ns):
            fingerprint = _flush.digester.fingerprint(
                job.template.name,
                job.page_context,
                record.names,
                record.attributes,
                environment,
                job.own_names,
            )
            if fingerprint == record.fingerprint and (_flush.in_place or incremental.take_over(previous, job.path)):
                # The record stands: the build process has it already, so it need not travel back.
                return relative, None, False
    reads = incremental.start_recording()
    try:
        job.render()
    finally:
        incremental.stop_recording()
    names, attributes = reads.frozen()
    fingerprint = _flush.digester.fingerprint(
        job.template.name, job.page_context, names, attributes, environment, job.own_names
    )
    stamp = os.stat(job.path)
    return relative, PageRecord(fingerprint, names, attributes, stamp.st_size, stamp.st_mtime_ns), True


class ParallelWriter(Writer):
    """Pelican's ``Writer``, rendering pages later, on every core (see the package docstring)."""

    _pending: ClassVar[dict[str, ParallelWriter]] = {}

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings=settings)
        # By output file: an overriding write replaces the job of an earlier one.
        self.jobs: dict[str, RenderJob] = {}
        self._own_names: dict[frozenset[str], frozenset[str]] = {}
        self._roots: dict[int, str] = {}
        ParallelWriter._pending[os.path.abspath(output_path)] = self

    def write_file(
        self,
        name: str,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool = False,
        paginated: dict[str, list[Any]] | None = None,
        template_name: str | None = None,
        override_output: bool = False,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Keep the page (every page of a paginated list) as a job; same arguments as Pelican's."""
        if not name:
            return
        for page_name, page_context, own_names in self._page_contexts(
            name, context, relative_urls, paginated, template_name, url, kwargs
        ):
            path = sanitised_join(self.output_path, page_name)
            if not self._claim(path, override_output):
                continue
            self.jobs[path] = RenderJob(template, page_context, context, path, own_names)
            logger.info('Writing "%s"', path)
            signals.content_written.send(path, context=page_context)

    def _page_contexts(
        self,
        name: str,
        context: dict[str, Any],
        relative_urls: bool,
        paginated: dict[str, list[Any]] | None,
        template_name: str | None,
        url: str | None,
        kwargs: dict[str, Any],
    ) -> Iterator[tuple[str, dict[str, Any], frozenset[str]]]:
        """Each file the call writes, with its template context, exactly as Pelican's writer builds them.

        And the names that context sets for its page: it holds the shared context's value of every other.
        """
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        if not paginated or template_name not in self.settings["PAGINATED_TEMPLATES"]:
            yield name, *self._page_context(context, name, kwargs, relative_urls)
            return
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, value, self.settings, per_page) for key, value in paginated.items()}
        pages = next(iter(paginators.values())).num_pages
        # One object per page, shared by its neighbours' "previous" and "next": the incremental
        # check digests each object once, not three times (Pelican's writer makes three equal ones).
        objects = {key: [None, *map(each.page, range(1, pages + 1)), None] for key, each in paginators.items()}
        for number in range(1, pages + 1):
            page_kwargs = dict(kwargs)
            for key, paginator in paginators.items():
                page = objects[key][number]
                page_kwargs[f"{key}_paginator"] = paginator
                page_kwargs[f"{key}_page"] = page
                page_kwargs[f"{key}_previous_page"] = objects[key][number - 1]
                page_kwargs[f"{key}_next_page"] = objects[key][number + 1]
            yield page.save_as, *self._page_context(context, page.save_as, page_kwargs, relative_urls)

    def _page_context(
        self, context: dict[str, Any], name: str, kwargs: dict[str, Any], relative_urls: bool
    ) -> tuple[dict[str, Any], frozenset[str]]:
        page_context = dict(context)
        page_context["localsiteurl"] = page_context.get("localsiteurl")
        if relative_urls:
            page_context["SITEURL"] = page_context["localsiteurl"] = self._root_from(name)
        page_context["output_file"] = name
        page_context.update(kwargs)
        own_names = frozenset(("localsiteurl", "output_file", *(("SITEURL",) if relative_urls else ()), *kwargs))
        # One set for all pages that set the same names, which the incremental check looks up by.
        return page_context, self._own_names.setdefault(own_names, own_names)

    def _root_from(self, name: str) -> str:
        """The site's root relative to the page ``name``, as Pelican's writer works it out.

        Pelican counts the path's parts and goes up one folder for each but the
        file's; so every page at one depth gets the same answer, worked out once.
        """
        separated = name.replace(os.altsep, os.sep) if os.altsep else name
        depth = sum(1 for part in separated.split(os.sep) if part)
        root = self._roots.get(depth)
        if root is None:
            root = self._roots[depth] = path_to_url(get_relative_path(name))
        return root

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's rule: one write per file, unless exactly one of the writes overrides."""
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{path}" a second time')
            logger.info('Skipping "%s", not overwriting', path)
            return False
        if path in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously '
                "(set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    def write_feed(self, *args: Any, **kwargs: Any) -> Any:
        with timing.phase("feeds"):
            return super().write_feed(*args, **kwargs)

    def flush(self) -> None:
        """Render and write every page asked for so far, taking over those the last build wrote the same."""
        global _flush
        jobs = list(self.jobs.values())
        self.jobs = {}
        environments = {id(job.template.environment): job.template.environment for job in jobs}.values()
        for environment in environments:
            _compile_all(environment)
        cache = BuildCache(self.settings, "pages")
        previous_output = os.fspath(self.settings.get("BUILD_PREVIOUS_OUTPUT") or self.output_path)
        # Without a cache, or without a previous site to take pages from (a fresh checkout, as in CI),
        # recording what pages read would cost time and save none: render every page, recording nothing,
        # with Jinja's own look-ups (a page reads attributes by the hundred).
        if cache.path is None or not os.path.isdir(previous_output):
            self._on_workers(RenderJob.render, jobs)
            timing.count("pages_rendered", len(jobs))
            return
        for environment in environments:
            incremental.install(environment)
        registry = incremental.registry_of([job.page_context for job in jobs])
        kept = cache.load()
        _flush = _Flush(
            records=kept,
            output_path=self.output_path,
            previous_output=previous_output,
            digester=incremental.Digester(registry, self.settings),
            in_place=self.settings["BUILD_UPDATE_IN_PLACE"],
        )
        try:
            results = self._on_workers(render_or_take_over, jobs)
        finally:
            _flush = None
        rendered = sum(1 for _, _, was_rendered in results if was_rendered)
        timing.count("pages_rendered", rendered)
        timing.count("pages_taken_over", len(results) - rendered)
        if self.settings["BUILD_UPDATE_IN_PLACE"]:
            site_update.keep(relative for relative, _, was_rendered in results if not was_rendered)
        shared = _Shared()
        records = {
            relative: kept[relative] if record is None else shared.record(record) for relative, record, _ in results
        }
        if rendered or records.keys() != kept.keys():
            cache.save(records)

    def _on_workers(self, function: Any, jobs: list[RenderJob]) -> list[Any]:
        """``function`` over every job on the worker processes and this one, timed as the render phase."""
        with timing.phase("render"):
            return run_everywhere(
                function,
                jobs,
                jobs=job_count(self.settings),
                describe=lambda job: os.path.relpath(job.path, self.output_path),
                timeout=self.settings["BUILD_WORKER_TIMEOUT"],
            )

    @classmethod
    def flush_for(cls, output_path: str) -> None:
        writer = cls._pending.pop(os.path.abspath(output_path), None)
        if writer is not None:
            writer.flush()


def _compile_all(environment: Any) -> None:
    """Compile the theme's own templates once, before workers fork, instead of once per worker.

    But not a partial already compiled into the templates that use it (the pages' templates are loaded by now).
    """
    templates.install(environment)
    inliner = templates.inliner_of(environment)
    for name in environment.list_templates(filter_func=lambda name: not name.startswith("!")):
        if inliner is None or name not in inliner.inlined:
            environment.get_template(name)


def keep_templates_compiled(settings: dict[str, Any]) -> None:
    """Compile each template once: once per build, and with a build cache, once until it changes.

    Templates do not change during a build, so Jinja need not check the file
    again at every include. With ``BUILD_CACHE_PATH``, compiled templates are
    kept in a folder of it named after Jinja's version and the environment's
    options (which the compiled code depends on, and Jinja's own check of the
    template's source does not cover), so the next build loads them instead
    of compiling the theme again. Without one, they are kept in the process
    (``templates.CompiledInProcess``), for each environment Pelican makes and
    for later builds. With ``BUILD_INLINE_PARTIALS``, partials are compiled
    into the templates that use them (``templates.InlinePartials``).
    """
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    environment.setdefault("auto_reload", False)
    templates.template_cache_size(environment)
    if settings["BUILD_INLINE_PARTIALS"]:
        environment["extensions"] = [*environment.get("extensions", []), templates.InlinePartials]
    if "bytecode_cache" not in environment:
        options = f"jinja2=={metadata.version('jinja2')} {stable_repr(environment)}"
        folder = settings.get("BUILD_CACHE_PATH")
        if folder:
            compiled = Path(folder) / f"templates-{hashlib.sha256(options.encode()).hexdigest()[:16]}"
            compiled.mkdir(parents=True, exist_ok=True)
            environment["bytecode_cache"] = templates.CompiledInFolder(str(compiled))
        else:
            environment["bytecode_cache"] = templates.CompiledInProcess(options)
    settings["JINJA_ENVIRONMENT"] = environment
