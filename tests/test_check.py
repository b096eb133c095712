"""`invoke check` and the strict build on a hostile corpus: every problem once, with its file and line.

The corpus holds one file for each kind of problem the checks know, each
with exactly one problem on a known line, and files that are unusual but
valid (10 MB, a 100,000-character line, a list nested 200 deep, CRLF, a BOM,
a title full of markup), which must build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, build_site, new_content_dir, run_invoke, tree_digest, write_article
from conftest import article_header as front

PROBLEM_LINE = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+): (?P<message>.*)$")


@dataclass(frozen=True)
class Expected:
    slug: str
    line: int
    words: str
    warning: bool = False


def write(content: Path, slug: str, text: str | bytes) -> Path:
    path = content / "articles" / f"{slug}.md"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


# Lines 1-6 are front matter (Title, Date, Category, Authors, Slug, Summary), line 7 is blank, the body starts on 8.
BROKEN: dict[str, tuple[str | bytes, Expected]] = {}


def broken(slug: str, text: str | bytes, line: int, words: str, warning: bool = False) -> None:
    BROKEN[slug] = (text, Expected(slug, line, words, warning))


broken("no-title", front("no-title", Title=None) + "Text.\n", 1, 'missing "Title:" line')
broken("bad-date", front("bad-date", Date="next Tuesday-ish") + "Text.\n", 2, "write it as YYYY-MM-DD HH:MM")
broken("bad-section", front("bad-section", Category="Sport") + "Text.\n", 3, 'Category: "Sport" is not a section')
broken("no-profile", front("no-profile", Authors="Nobody Known") + "Text.\n", 4, '"Nobody Known" has no profile')
broken(
    "byline-case",
    front("byline-case", Authors="mara LINDQVIST") + "Text.\n",
    4,
    'Authors: "mara LINDQVIST" is written "Mara Lindqvist"',
    warning=True,
)
broken("misspelt-key", front("misspelt-key", Title=None, Tittle="Oops") + "Text.\n", 6, 'did you mean "Title"?')
broken(
    "tag-spelling",
    front("tag-spelling", Tags="Ai  Chips") + "Text.\n",
    7,
    'Tags: "Ai  Chips" is written "AI chips"',
    warning=True,
)
broken(
    "same-slug",
    front("copy-of-a-slug", Slug="valid-plain", Date="2026-05-02 09:00") + "Text.\n",
    5,
    'Slug "valid-plain" is also the slug of',
)
broken(
    "unknown-pin",
    front("unknown-pin", Related="no-such-story") + "Text.\n",
    7,
    'no article has the slug "no-such-story"',
)
broken("hero-missing", front("hero-missing", Image="images/gone.png", Image_alt="x") + "Text.\n", 7, "is not a file")
broken("hero-no-alt", front("hero-no-alt", Image="images/map.svg") + "Text.\n", 7, 'add an "Image_alt:" line')
broken("modified-early", front("modified-early", Modified="2026-04-01 09:00") + "Text.\n", 7, "is before the Date")
broken("featured-maybe", front("featured-maybe", Featured="perhaps") + "Text.\n", 7, "is not a yes/no value")
broken("subscribe-maybe", front("subscribe-maybe", Subscribe="sometimes") + "Text.\n", 7, "is not a yes/no value")
broken("image-missing", front("image-missing") + "Intro.\n\n![A chart]({static}/images/nope.png)\n", 10, "nope.png")
broken(
    "image-relative", front("image-relative") + "Intro.\n\n![A chart](images/chart.png)\n", 10, "relative to the page"
)
broken("image-no-alt", front("image-no-alt") + "Intro.\n\n![]({static}/images/map.svg)\n", 10, "has no alt text")
# The same file shown twice, and a relative path that an earlier {static} path contains: the line is the image's own.
MAP_SHOWN = "Intro.\n\n![A map]({static}/images/map.svg)\n\n"
broken("image-no-alt-second", front("image-no-alt-second") + MAP_SHOWN + "![]({static}/images/map.svg)\n", 12, "no alt")
broken(
    "image-relative-second", front("image-relative-second") + MAP_SHOWN + "![A map](images/map.svg)\n", 12, "relative"
)
broken(
    "image-unreadable",
    front("image-unreadable") + "Intro.\n\n![A chart]({static}/images/broken.png)\n",
    10,
    "cannot be read",
)
broken(
    "link-missing", front("link-missing") + "Intro.\n\nSee [this]({filename}no-such-article.md).\n", 10, "{filename}"
)
broken("link-site", front("link-site") + "Intro.\n\nSee [the desk](/section/no-such-desk/).\n", 10, "goes to no page")
broken(
    "static-missing", front("static-missing") + "Intro.\n\nGet [the data]({static}/files/gone.csv).\n", 10, "gone.csv"
)
broken("takeaways-open", front("takeaways-open") + "Intro.\n\n::: takeaways\n- One point\n", 10, "takeaways")
broken("script", front("script") + "Intro.\n\n<script>alert(1)</script>\n", 10, "<script> element")
broken("style", front("style") + "Intro.\n\n<style>p { color: red }</style>\n", 10, "<style> element")
broken("handler", front("handler") + 'Intro.\n\n<p onclick="steal()">Click</p>\n', 10, "event handler (onclick=)")
broken(
    "handler-attr-list",
    front("handler-attr-list") + 'Intro.\n\nA paragraph.\n{: onmouseover="x()" }\n',
    11,
    "event handler",
)
broken("javascript-link", front("javascript-link") + "Intro.\n\n[Win](javascript:alert(1))\n", 10, "javascript: URL")
broken("data-link", front("data-link") + "Intro.\n\n[Doc](data:text/html;base64,PHA+)\n", 10, "data: URL")
broken("iframe", front("iframe") + 'Intro.\n\n<iframe src="https://tracker.example/embed"></iframe>\n', 10, "<iframe>")
broken("form", front("form") + 'Intro.\n\n<form action="https://x.example/"><input name="q"></form>\n', 10, "a form")
broken("not-utf8", front("not-utf8").encode() + b"Caf\xe9 au lait.\n", 8, "not UTF-8 text: byte")
broken("nul-byte", front("nul-byte") + "Text\x00with a zero byte.\n", 8, "NUL character")
broken("empty", b"", 1, "the file is empty")
# The first byte that is not UTF-8 is 0x80, on line 2 (after the 0x0a byte).
broken("binary-junk", bytes(range(256)) * 40, 2, "not UTF-8 text: byte 128")


def write_valid(content: Path) -> list[Path]:
    """Files that are unusual but valid: each must build and be checked without a problem."""
    paragraph = "The committee met again on Thursday and agreed a timetable for the next round of talks. " * 8
    huge = (paragraph + "\n\n") * (10_000_000 // (len(paragraph) + 2))
    nested = "".join("    " * depth + f"- level {depth}\n" for depth in range(200))
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"/>')
    (content / "images" / "broken.png").write_bytes(b"this is not a PNG")
    return [
        write(content, "valid-plain", front("valid-plain", Tags="AI chips") + "A plain story.\n"),
        write(content, "valid-huge", front("valid-huge") + huge),
        write(content, "valid-long-line", front("valid-long-line") + "word " * 20_000 + "\n"),
        write(content, "valid-nested", front("valid-nested") + nested),
        write(content, "valid-crlf", (front("valid-crlf") + "One.\n\nTwo.\n").replace("\n", "\r\n")),
        write(content, "valid-bom", b"\xef\xbb\xbf" + (front("valid-bom") + "Marked.\n").encode()),
        write(
            content,
            "valid-markup-title",
            front("valid-markup-title", Title='<b>Bold</b> & <script>alert("x")</script> "quoted"') + "Text.\n",
        ),
        write(
            content,
            "valid-links",
            front("valid-links", Tags="AI chips")
            + "See [the plain story]({filename}valid-plain.md), [the desk](/section/world/), "
            + "[a site](https://example.org/) and [a note](#top).\n\n![A map]({static}/images/map.svg)\n",
        ),
    ]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    content = new_content_dir(tmp_path_factory.mktemp("hostile"))
    write_valid(content)
    paths = {slug: write(content, slug, text) for slug, (text, _) in BROKEN.items()}
    paths["content"] = content
    return paths


def reported(printed: str) -> list[tuple[str, int, str]]:
    found = []
    for line in printed.splitlines():
        match = PROBLEM_LINE.match(line)
        if match and match["path"].endswith(".md"):
            found.append((match["path"], int(match["line"]), match["message"]))
    return found


def assert_each_problem_once(printed: str, paths: dict[str, Path]) -> None:
    problems = reported(printed)
    assert "Traceback" not in printed, printed
    assert "Could not process" not in printed, printed
    assert problems == sorted(problems), "problems are not sorted by path, then line"
    by_path: dict[str, list[tuple[int, str]]] = {}
    for path, line, message in problems:
        by_path.setdefault(path, []).append((line, message))
    for slug, (_, expected) in BROKEN.items():
        found = by_path.pop(str(paths[slug]), [])
        assert len(found) == 1, (slug, found)
        line, message = found[0]
        assert line == expected.line, (slug, line, message)
        assert expected.words in message, (slug, message)
        assert message.startswith("warning: ") == expected.warning, (slug, message)
    assert by_path == {}, f"valid files were reported: {by_path}"
    files = len(BROKEN)
    assert f"{files} problems in {files} files" in printed


def test_check_reports_every_problem_once_with_its_line(hostile: dict[str, Path]) -> None:
    started = time.perf_counter()
    result = run_invoke("check", "--content", str(hostile["content"]), "--no-cache")
    seconds = time.perf_counter() - started
    assert result.returncode != 0
    assert_each_problem_once(result.stdout + result.stderr, hostile)
    print(f"invoke check on the hostile corpus: {seconds:.1f}s")


def test_strict_build_reports_the_same_and_keeps_the_last_good_site(hostile: dict[str, Path], tmp_path: Path) -> None:
    good = new_content_dir(tmp_path / "good")
    write_article(good, "yesterdays-story")
    output = tmp_path / "output"
    assert build_site(output, content=good).returncode == 0
    before = tree_digest(output)
    assert before

    result = build_site(output, content=hostile["content"])
    assert result.returncode != 0
    printed = result.stdout + result.stderr
    assert_each_problem_once(printed, hostile)
    assert "was left as it was" in printed
    assert tree_digest(output) == before


def test_one_file_with_many_problems_has_them_all_reported_in_one_run(tmp_path: Path) -> None:
    """A front-matter error in a file does not hide its other problems, found once the whole content is read."""
    content = new_content_dir(tmp_path)
    write_article(content, "a-good-story")
    fields = {"Authors": "Priya Ramen", "Featured": "maybe", "Related": "no-such-slug", "Modified": "2026-04-01 09:00"}
    body = "Intro.\n\nSee [this]({filename}nope.md) and ![]({static}/images/x.png).\n"
    text = front("many-problems", **fields) + body
    write(content, "many-problems", text)
    expected = {
        (4, '"Priya Ramen" has no profile'),
        (7, '"maybe" is not a yes/no value'),
        (8, 'no article has the slug "no-such-slug"'),
        (9, "is before the Date"),
        (13, "articles/nope.md is not a file"),
        (13, "has no alt text"),
        (13, "images/x.png does not exist"),
    }
    for command in (("check", "--no-cache"), ("build", "--no-cache", "--output", str(tmp_path / "site"))):
        result = run_invoke(*command, "--content", str(content))
        assert result.returncode != 0
        problems_found = reported(result.stdout + result.stderr)
        assert all(path.endswith("many-problems.md") for path, _, _ in problems_found)
        found = [(line, message) for _, line, message in problems_found]
        for line, words in expected:
            assert [message for at, message in found if at == line and words in message], (command, words, found)
        assert len(found) == len(expected), (command, found)
        # Nor does Pelican say again what the checks said (an image without alt text, a file that is not there).
        assert "x.png" not in "".join(line for line in result.stderr.splitlines() if not PROBLEM_LINE.match(line))
    assert not (tmp_path / "site").exists()


def test_unusual_but_valid_files_build(tmp_path: Path) -> None:
    content = new_content_dir(tmp_path)
    write_valid(content)
    output = tmp_path / "output"
    command = [sys.executable, "-m", "invoke", "build", "--strict", "--no-cache"]
    command += ["--output", str(output), "--content", str(content)]
    # A wrapper process, so that the peak reported is that of the build and its workers alone.
    measure = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:])\n"
        "print('peak', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, 'KB', file=sys.stderr)\n"
        "sys.exit(done.returncode)\n"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", measure, *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    peak = re.search(r"peak (\d+) KB", result.stderr)
    assert peak is not None
    print(
        f"unusual-but-valid corpus: built in {seconds:.1f}s, peak memory of one build process {int(peak[1]) // 1024} MB"
    )

    from bs4 import BeautifulSoup

    def page(slug: str) -> BeautifulSoup:
        return BeautifulSoup((output / "2026" / "05" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")

    assert page("valid-markup-title").h1.get_text() == '<b>Bold</b> & <script>alert("x")</script> "quoted"'
    assert page("valid-markup-title").find("b") is None
    assert page("valid-crlf").h1.get_text() == "Valid Crlf"
    assert [p.get_text() for p in page("valid-crlf").select(".story-body p")][:2] == ["One.", "Two."]
    assert page("valid-bom").h1.get_text() == "Valid Bom"
    assert "level 199" in page("valid-nested").get_text()
    assert page("valid-long-line").get_text().count("word") >= 20_000
    assert len((output / "2026" / "05" / "valid-huge" / "index.html").read_bytes()) > 9_000_000
    image = page("valid-links").find("img", alt="A map")
    assert (image["width"], image["height"]) == ("640", "360")


def test_a_second_check_in_one_process_counts_the_same(hostile: dict[str, Path], tmp_path: Path) -> None:
    """Counting does not depend on Pelican's log filter, which drops what one process has already printed."""
    content = new_content_dir(tmp_path)
    for slug in ("bad-date", "script", "not-utf8"):
        write(content, slug, BROKEN[slug][0])
    script = (
        "import sys, tasks\n"
        "from invoke import Exit\n"
        "for _ in range(2):\n"
        "    try:\n"
        f"        tasks.run_build(content={str(content)!r}, check_only=True)\n"
        "    except Exit as failure:\n"
        "        print('RESULT', failure.message)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    results = [line for line in result.stdout.splitlines() if line.startswith("RESULT")]
    assert results == ["RESULT Check found 3 problems in 3 files."] * 2, result.stdout + result.stderr


def test_check_passes_on_the_bundled_content() -> None:
    result = run_invoke("check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problems in 0 files" in result.stdout


def test_rebuild_keeps_the_last_good_site_when_the_build_fails(tmp_path: Path) -> None:
    content = new_content_dir(tmp_path)
    write_article(content, "fine-story")
    output = tmp_path / "output"
    assert build_site(output, content=content).returncode == 0
    before = tree_digest(output)
    write(content, "script", BROKEN["script"][0])
    result = run_invoke("rebuild", "--output", str(output), "--content", str(content))
    assert result.returncode != 0
    assert tree_digest(output) == before
    shutil.rmtree(content / "articles")
