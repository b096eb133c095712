"""Problems in the content, each found once and reported once, with its file and line.

A plugin that finds something wrong in an author's file calls ``report``
(or ``report_key`` for a front-matter line). Problems are kept in a list for
the build, not only logged: Pelican's log filter drops a message it has seen
before in the same process, so a count taken from the log would depend on
what an earlier build in the process printed. ``invoke build`` and
``invoke check`` print the list sorted by path and line; a plain ``pelican``
run sees each problem once in its log, as it is found.

A problem found in a worker process travels back with the worker's result
and is reported by the build process; reporting in the worker would be lost.

Setting (default in ``DEFAULTS``):

``BUILD_CHECK_ONLY``
    ``True`` when the build only reads and checks the content and writes
    nothing (``invoke check`` sets it): plugins may then skip work whose only
    use is in what is written, such as ranking Keep Reading picks. Default ``False``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .settings import fill_defaults

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, bool] = {"BUILD_CHECK_ONLY": False}
ERROR = "error"
WARNING = "warning"
HEADER_LINE = re.compile(r"^\ufeff?([A-Za-z0-9_-]+):")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix: where it is (path, 1-based line) and what to do about it."""

    path: str
    line: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        label = "" if self.severity == ERROR else "warning: "
        return f"{self.path}:{self.line}: {label}{self.message}"


class AlreadyReportedError(Exception):
    """Raised after reporting, to make Pelican skip a file without a second message about it."""


class ContentProblemsError(Exception):
    """Raised before anything is written when the content has errors: nothing broken is published."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the content; nothing was written.\n{listing}")


_problems: list[Problem] = []
_seen: set[Problem] = set()


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the working folder when it is inside it (``content/articles/x.md``), else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith(os.pardir) else relative


def report(path: str | os.PathLike[str], line: int | None, message: str, severity: str = ERROR) -> None:
    """Record a problem; the same problem reported twice counts once."""
    problem = Problem(display_path(path), max(1, line or 1), message, severity)
    if problem in _seen:
        return
    _seen.add(problem)
    _problems.append(problem)
    logger.log(logging.ERROR if severity == ERROR else logging.WARNING, "%s", problem, extra={"content_problem": True})


def report_key(path: str | os.PathLike[str], key: str, message: str, severity: str = ERROR) -> None:
    """Record a problem on the line of front-matter key ``key`` (line 1 when the file has no such line)."""
    report(path, key_line(path, key), message, severity)


def key_line(path: str | os.PathLike[str], key: str) -> int:
    """The line of front-matter key ``key`` in the file at ``path``, or 1."""
    return (key_lines(path, key) or [1])[0]


def key_lines(path: str | os.PathLike[str], key: str) -> list[int]:
    """Every line of front-matter key ``key`` in the file at ``path``, in order (a key may be repeated)."""
    return [number for number, name, _ in read_header(path) if name == key.lower()]


def header_values(path: str | os.PathLike[str]) -> dict[str, str]:
    """Each front-matter key (lower case) of the file at ``path`` with its first value, as written."""
    values: dict[str, str] = {}
    for _, name, value in read_header(path):
        values.setdefault(name, value)
    return values


def read_header(path: str | os.PathLike[str]) -> list[tuple[int, str, str]]:
    """The front-matter lines of the file at ``path`` (none when it cannot be read); the body is not read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            return list(header_entries(source))
    except (OSError, TypeError):  # no such file, or content made without one
        return []


def header_entries(lines: Iterable[str]) -> Iterator[tuple[int, str, str]]:
    """``(line, key in lower case, value)`` of each ``Key: value`` line, up to the first blank line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return
        match = HEADER_LINE.match(line)
        if match:
            yield number, match.group(1).lower(), line[match.end() :].strip()


def header_line_numbers(text: str) -> dict[str, int]:
    """Map each front-matter key (lower case) to the line it is written on."""
    lines: dict[str, int] = {}
    for number, name, _ in header_entries(text.splitlines()):
        lines.setdefault(name, number)
    return lines


def line_of(text: str, *needles: str) -> int:
    """The first line of ``text`` that contains the first of ``needles`` found in it, or 1.

    Where to point an author at a construct: the most exact spelling of it first, then looser ones.
    """
    for needle in needles:
        at = text.find(needle) if needle else -1
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1


def validate_settings(settings: dict) -> None:
    """Fill in ``BUILD_CHECK_ONLY``; anything but ``True`` or ``False`` is rejected at start-up."""
    fill_defaults(settings, DEFAULTS)
    if not isinstance(settings["BUILD_CHECK_ONLY"], bool):
        raise ValueError(f"BUILD_CHECK_ONLY must be True or False, got {settings['BUILD_CHECK_ONLY']!r}")


def check_only(settings: dict) -> bool:
    """Whether this build only checks the content (``BUILD_CHECK_ONLY``)."""
    return bool(settings.get("BUILD_CHECK_ONLY", False))


def reset() -> None:
    """Forget every problem: a new build starts."""
    _problems.clear()
    _seen.clear()


def mark() -> int:
    """A point in this build's problems: ``since`` gives what was reported after it."""
    return len(_problems)


def since(point: int) -> list[Problem]:
    """The problems reported since ``mark`` gave ``point``, in the order they were reported."""
    return _problems[point:]


def report_again(found: Iterable[Problem]) -> None:
    """Report problems a build found in a file that this build takes as it was (``front_matter.kept``)."""
    for problem in found:
        report(problem.path, problem.line, problem.message, problem.severity)


def collected() -> list[Problem]:
    """Every problem of this build, sorted by path, then line."""
    return sorted(_problems)


def errors() -> list[Problem]:
    return [problem for problem in collected() if problem.severity == ERROR]


def has_errors(path: str | os.PathLike[str]) -> bool:
    """Whether an error was reported in the file at ``path`` (so what depends on it need not be reported too)."""
    shown = display_path(path)
    return any(problem.path == shown and problem.severity == ERROR for problem in _problems)


def summary(problems: list[Problem]) -> str:
    """``N problems in M files``."""
    files = len({problem.path for problem in problems})
    return f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} file{'s' * (files != 1)}"


__all__ = [
    "ERROR",
    "WARNING",
    "AlreadyReportedError",
    "ContentProblemsError",
    "Problem",
    "check_only",
    "collected",
    "errors",
    "has_errors",
    "header_entries",
    "header_line_numbers",
    "header_values",
    "key_line",
    "key_lines",
    "line_of",
    "report",
    "report_key",
    "reset",
    "summary",
    "validate_settings",
]
