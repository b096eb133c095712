"""Reading, checking, resolving and writing the redirects."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from plugin_support import problems
from plugin_support.settings import fill_defaults
from plugin_support.urls import site_url

DEFAULTS: dict[str, Any] = {"REDIRECTS_FILE": "redirects.txt", "REDIRECTS_HOST_FILE": "_redirects"}
FILENAME = re.compile(r"^\{filename\}")
COMMENT = re.compile(r"(^|\s)#.*$")
SAFE_PATH = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$")


def validate_settings(settings: dict[str, Any]) -> None:
    """Fill in the defaults; the files must be relative paths (the host file may be ``None``)."""
    fill_defaults(settings, DEFAULTS)
    if not isinstance(settings["REDIRECTS_FILE"], str) or os.path.isabs(settings["REDIRECTS_FILE"]):
        raise ValueError(f"REDIRECTS_FILE must be a path in the content folder, got {settings['REDIRECTS_FILE']!r}")
    host_file = settings["REDIRECTS_HOST_FILE"]
    if host_file is not None and (not isinstance(host_file, str) or not host_file or os.path.isabs(host_file)):
        raise ValueError(f"REDIRECTS_HOST_FILE must be a file name in the output folder or None, got {host_file!r}")


@dataclass(frozen=True)
class Redirect:
    """One line of the redirects file."""

    old: str  # a site path without the trailing slash: /p/eu-steel
    target: str  # as written
    line: int


@dataclass(frozen=True)
class Resolved:
    old: str
    title: str
    url: str  # a path of this site (2025/05/story/) or an absolute address
    external: bool


def parse_redirects(text: str, path: str) -> list[Redirect]:
    """The redirects of a redirects file; a line that is not ``OLD TARGET`` is reported and left out."""
    redirects: list[Redirect] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = COMMENT.sub("", raw).strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            problems.report(path, number, "a redirect is an old path and a target, separated by spaces")
            continue
        old, target = parts
        if not SAFE_PATH.match(old) or old.startswith("//"):
            problems.report(path, number, f'"{old}" is not a path of this site; old paths start with /')
            continue
        old = "/" + old.strip("/")
        if old in seen:
            problems.report(path, number, f'"{old}" already redirects on line {seen[old]}; keep one')
            continue
        seen[old] = number
        redirects.append(Redirect(old, target, number))
    return redirects


@dataclass(frozen=True)
class Targets:
    """What a redirect may lead to, looked up once per build rather than once per redirect."""

    root: str  # the content folder
    by_source: dict[str, Any]  # published article or page, by its path in the content folder
    pending: frozenset[str]  # drafts (scheduled stories among them), by their path in the content folder
    by_path: dict[str, tuple[str, str | None]]  # site path without slashes -> (title, its URL, or None: as written)

    @classmethod
    def of(cls, context: dict[str, Any]) -> Targets:
        root = context["PATH"]
        contents = [*context.get("articles", []), *context.get("pages", []), *context.get("hidden_articles", [])]
        contents += context.get("hidden_pages", [])
        drafts = [*context.get("drafts", []), *context.get("draft_pages", [])]
        by_path: dict[str, tuple[str, str | None]] = {"": (context.get("SITENAME", ""), None)}
        for key in ("categories", "tags", "authors"):
            by_path.update({wrapper.url.strip("/"): (wrapper.name, None) for wrapper, _ in context.get(key, [])})
        by_path.update({content.url.strip("/"): (str(content.title), content.url) for content in contents})
        return cls(
            root=root,
            by_source={os.path.relpath(content.source_path, root): content for content in contents},
            pending=frozenset(os.path.relpath(content.source_path, root) for content in drafts),
            by_path=by_path,
        )


def relative_url(from_folder: str, to_path: str) -> str:
    """The link from the page at ``from_folder`` (``p/old``) to the site path ``to_path`` (``2025/05/x/``)."""
    depth = len([part for part in from_folder.split("/") if part])
    return "../" * depth + to_path


class Redirects:
    """The redirects of one build: read and checked when every file is read, written when the site is."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.resolved: list[Resolved] = []
        self.environment: Any = None
        self.context: dict[str, Any] = {}

    def resolve(self, generators: list[Any]) -> None:
        self.clear()
        if not generators:
            return
        context, settings = generators[0].context, generators[0].settings
        # The theme's Jinja environment and the site's context, to render the pages with once the site is written.
        self.environment, self.context = generators[0].env, context
        path = Path(settings["PATH"]) / settings["REDIRECTS_FILE"]
        if not path.is_file():
            return
        redirects = parse_redirects(path.read_text(encoding="utf-8"), str(path))
        targets = Targets.of(context)
        taken = {"/" + content.url.strip("/") for content in targets.by_source.values()}
        by_old = {redirect.old: redirect for redirect in redirects}
        for redirect in redirects:
            if redirect.old in taken:
                message = f'"{redirect.old}" is the address of a page of this site; a redirect would hide it'
                problems.report(path, redirect.line, message)
                continue
            final = self._follow(redirect, by_old, path)
            if final is None:
                continue
            found = self._target(final, targets, path, redirect.line)
            if found is not None:
                self.resolved.append(Resolved(redirect.old, *found))

    @staticmethod
    def _follow(redirect: Redirect, by_old: dict[str, Redirect], path: Path) -> Redirect | None:
        """The last redirect of the chain that starts at ``redirect``; ``None`` (reported) for a loop."""
        chain = [redirect.old]
        current = redirect
        while True:
            target = "/" + current.target.strip("/") if current.target.startswith("/") else None
            if target is None or target not in by_old:
                return current
            if target in chain:
                loop = " -> ".join([*chain, target])
                problems.report(path, redirect.line, f"the redirects go round in a loop: {loop}")
                return None
            chain.append(target)
            current = by_old[target]

    @staticmethod
    def _target(redirect: Redirect, targets: Targets, path: Path, line: int) -> tuple[str, str, bool] | None:
        target = redirect.target
        if FILENAME.match(target):
            source = os.path.normpath(FILENAME.sub("", target).lstrip("/"))
            content = targets.by_source.get(source)
            if content is None and source in targets.pending:
                return None  # a draft, or a story scheduled for later: its redirect starts working with it
            if content is None:
                # A story that could not be read is reported in its own file; its redirects wait for it.
                if not problems.has_errors(Path(targets.root, source)):
                    problems.report(path, line, f'"{target}": {source} is no published article or page of this site')
                return None
            return str(content.title), content.url, False
        if urlsplit(target).scheme in {"http", "https"}:
            return target, target, True
        if not target.startswith("/"):
            problems.report(path, line, f'"{target}" is neither {{filename}}…, a path starting with / nor an https URL')
            return None
        wanted = target.lstrip("/")
        if wanted.strip("/") in targets.by_path:
            title, url = targets.by_path[wanted.strip("/")]
            return title, url if url is not None else wanted, False
        problems.report(path, line, f'"{target}" is no page of this site')
        return None

    def write(self, settings: dict[str, Any]) -> None:
        """Write a redirect page for every old path, and the host's redirects file."""
        if not self.resolved:
            return
        output = Path(settings["OUTPUT_PATH"])
        template = self.environment.get_template("redirect.html")
        siteurl = settings.get("SITEURL") or ""
        prefix = urlsplit(siteurl).path.rstrip("/")
        host_lines = []
        for redirect in self.resolved:
            folder = redirect.old.strip("/")
            if redirect.external:
                url = redirect.url
            elif siteurl and not settings.get("RELATIVE_URLS"):
                url = site_url(siteurl, redirect.url)
            else:
                url = relative_url(folder, redirect.url)
            page = output / folder / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            context = {**self.context, "redirect_title": redirect.title, "redirect_url": url}
            page.write_text(template.render(context), encoding="utf-8")
            target = redirect.url if redirect.external else posixpath.join(prefix + "/", redirect.url)
            host_lines.append(f"{prefix}{redirect.old} {target} 301")
            host_lines.append(f"{prefix}{redirect.old}/ {target} 301")
        if settings["REDIRECTS_HOST_FILE"]:
            (output / settings["REDIRECTS_HOST_FILE"]).write_text("\n".join(host_lines) + "\n", encoding="utf-8")
