"""The invoke tasks an author uses: listing, scaffolding, serving, live reload."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, ServedSite, free_port, new_content_dir, run_invoke, write_article

EXPECTED_TASKS = {
    "build",
    "clean",
    "rebuild",
    "serve",
    "preview",
    "livereload",
    "new",
    "publish",
    "test",
    "bootstrap",
    "email",
}


def test_every_task_is_listed_with_help() -> None:
    listing = run_invoke("--list").stdout
    listed = {}
    for line in listing.splitlines():
        match = re.match(r"^\s{2}(\S+)\s{2,}(\S.*)$", line)
        if match:
            listed[match.group(1)] = match.group(2)
    assert set(listed) >= EXPECTED_TASKS, listing
    assert all(listed[name].strip() for name in EXPECTED_TASKS)


def test_new_scaffolds_a_draft_and_refuses_to_overwrite(tmp_path: Path) -> None:
    content = new_content_dir(tmp_path)
    result = run_invoke(
        "new",
        "--title",
        "Tariffs & Chips: What's Next?",
        "--section",
        "Trade",
        "--author",
        "priya  RAMAN",  # matched as the build matches bylines, and written as the profile spells it
        "--content",
        str(content),
    )
    assert result.returncode == 0, result.stderr
    year = datetime.now(ZoneInfo("Europe/London")).year
    path = content / "articles" / str(year) / "tariffs-chips-whats-next.md"
    assert result.stdout.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert "Title: Tariffs & Chips: What's Next?\n" in text
    assert "Category: Trade\n" in text and "Authors: Priya Raman\n" in text and "Status: draft\n" in text
    written = datetime.strptime(re.search(r"^Date: (.+)$", text, re.M).group(1), "%Y-%m-%d %H:%M")
    now = datetime.now(ZoneInfo("Europe/London")).replace(tzinfo=None)
    assert abs((now - written).total_seconds()) < 120

    again = run_invoke(
        "new", "--title", "Tariffs & Chips: What's Next?", "--author", "Mara Lindqvist", "--content", str(content)
    )
    assert again.returncode != 0 and "already exists" in again.stdout + again.stderr
    assert path.read_text(encoding="utf-8") == text

    # Once the author takes it out of draft, the scaffold is an article the build accepts as it is.
    path.write_text(text.replace("Status: draft\n", "Status: published\n"), encoding="utf-8")
    checked = run_invoke("check", "--content", str(content), "--no-cache", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 problems" in checked.stdout


def test_new_takes_only_a_byline_with_an_author_profile(tmp_path: Path) -> None:
    content = new_content_dir(tmp_path)
    profiles = tomllib.loads((content / "authors.toml").read_text(encoding="utf-8"))
    bylines = ", ".join(profile["name"] for profile in profiles.values())
    for byline, complaint in (("", "Give the byline with --author"), ("Priya Raman, Jo Bloggs", '"Jo Bloggs"')):
        result = run_invoke("new", "--title", "Cup final", "--author", byline, "--content", str(content))
        said = result.stdout + result.stderr
        assert result.returncode != 0 and complaint in said, said
        assert bylines in said  # the bylines it would take
    assert not list((content / "articles").rglob("*.md"))


def test_new_rejects_an_unknown_section(tmp_path: Path) -> None:
    result = run_invoke("new", "--title", "Cup final", "--section", "Sport", "--content", str(tmp_path))
    assert result.returncode != 0 and "Unknown section" in result.stdout + result.stderr


def test_serve_answers_missing_paths_with_the_404_page(served_site: ServedSite) -> None:
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(served_site.url("no/such/story/"))
    assert missing.value.code == 404
    assert "We can’t find that page" in missing.value.read().decode()
    with urllib.request.urlopen(served_site.url()) as home:
        assert home.status == 200
    # A folder of the site without an index page is missing too, as on a static host: not a listing of its files.
    folders = [path for path in served_site.folder.rglob("*") if path.is_dir() and not (path / "index.html").exists()]
    assert folders, "the site has no folder without an index page"
    for folder in folders[:5]:
        with pytest.raises(urllib.error.HTTPError) as listed:
            urllib.request.urlopen(served_site.url(f"{folder.relative_to(served_site.folder).as_posix()}/"))
        assert listed.value.code == 404
        assert "We can’t find that page" in listed.value.read().decode()


def test_livereload_rebuilds_when_an_article_changes(content_dir: Path, tmp_path: Path) -> None:
    article = write_article(content_dir, "live-story", Title="First Headline")
    write_article(content_dir, "other-story", Title="A Story That Stays The Same")
    output, log = tmp_path / "out", tmp_path / "livereload.log"
    preview_desk = ("--setting", 'SITENAME="Atlas News Preview Desk"')
    page = output / "2026" / "05" / "live-story" / "index.html"
    with livereload_running(content_dir, output, log, *preview_desk) as port:
        assert wait_for(lambda: page.is_file() and "First Headline" in page.read_text(encoding="utf-8"))
        assert "Atlas News Preview Desk" in page.read_text(encoding="utf-8"), "the --setting was not applied"
        assert wait_for(lambda: http_ok(f"http://127.0.0.1:{port}/"))
        assert_reload_snippet_is_allowed(f"http://127.0.0.1:{port}/")
        for headline in ("Second Headline", "Third Headline"):
            article.write_text(re.sub(r"\w+ Headline", headline, article.read_text(encoding="utf-8")))
            assert wait_for(lambda shown=headline: page.is_file() and shown in page.read_text(encoding="utf-8"))

        # From the third build on, the pages that do not show the edited story are taken over, not rendered.
        # The new page is in place a moment before the build prints its summary line: wait for that line too.
        def builds() -> list[tuple[str, str]]:
            return re.findall(r"\((\d+) pages rendered, (\d+) unchanged\)", log.read_text(encoding="utf-8"))

        wait_for(lambda: len(builds()) >= 3)
        assert len(builds()) == 3, log.read_text(encoding="utf-8")
        assert int(builds()[-1][1]) > 0, builds()

        # An editor's backup and swap files are not content: saving them starts no build.
        (article.parent / f"{article.name}~").write_text("an editor's backup", encoding="utf-8")
        (article.parent / f".{article.name}.swp").write_bytes(b"an editor's swap file")
        time.sleep(3)
        assert len(builds()) == 3, log.read_text(encoding="utf-8")


def test_livereload_builds_what_is_saved_during_its_first_build(content_dir: Path, tmp_path: Path) -> None:
    """Livereload watches before its first build: a save made while it builds is built next, not missed."""
    article = write_article(content_dir, "live-story", Title="First Headline")
    output, log = tmp_path / "out", tmp_path / "livereload.log"
    page = output / "2026" / "05" / "live-story" / "index.html"
    with livereload_running(content_dir, output, log):
        assert wait_for(lambda: "Watching " in log.read_text(encoding="utf-8")), log.read_text(encoding="utf-8")
        article.write_text(article.read_text(encoding="utf-8").replace("First Headline", "Saved While Building"))

        def builds() -> int:
            return len(re.findall(r"^Built ", log.read_text(encoding="utf-8"), re.M))

        # Whether the first build read the file before or after the save, the save is seen and built again.
        assert wait_for(lambda: builds() >= 2), log.read_text(encoding="utf-8")
        assert "Saved While Building" in page.read_text(encoding="utf-8")
        time.sleep(2)
        assert builds() == 2, log.read_text(encoding="utf-8")


@pytest.mark.browser
def test_livereload_reloads_the_browser_once_after_each_build_however_soon_the_next_save_comes(
    content_dir: Path, tmp_path: Path, browser
) -> None:
    """The open page reloads itself after every save, even one made a moment after the last reload, and only then."""
    from playwright.sync_api import expect

    article = write_article(content_dir, "live-story", Title="First Headline")
    log = tmp_path / "livereload.log"
    with livereload_running(content_dir, tmp_path / "out", log) as port, browser.new_context() as context:
        url = f"http://127.0.0.1:{port}/2026/05/live-story/"
        assert wait_for(lambda: http_ok(url)), log.read_text(encoding="utf-8")
        page = context.new_page()
        loads: list[str] = []
        page.on("load", lambda: loads.append(page.url))
        page.goto(url)
        expect(page.locator("h1")).to_have_text("First Headline")
        # The server asks browsers that reconnect after it restarts to reload, within two seconds of starting:
        # past that, every load is one a save caused.
        page.wait_for_timeout(3000)
        loaded_before = len(loads)
        for headline in ("Second Headline", "Third Headline", "Fourth Headline"):
            article.write_text(re.sub(r"\w+ Headline", headline, article.read_text(encoding="utf-8")))
            # The page shows a new headline only by loading again: the server told it to, once the build was done.
            expect(page.locator("h1")).to_have_text(headline, timeout=30_000)
        page.wait_for_timeout(3000)
        assert len(loads) - loaded_before == 3, (loads, log.read_text(encoding="utf-8"))


@contextlib.contextmanager
def livereload_running(content: Path, output: Path, log: Path, *options: str) -> Iterator[int]:
    """``invoke livereload`` of ``content`` into ``output``, printing to ``log``, until the block ends; its port."""
    port = free_port()
    command = [sys.executable, "-m", "invoke", "livereload", "--port", str(port)]
    command += ["--output", str(output), "--content", str(content), *options]
    with log.open("w") as stream:
        process = subprocess.Popen(command, cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def assert_reload_snippet_is_allowed(url: str) -> None:
    """The inline script the livereload server adds is allowed by the page's Content-Security-Policy."""
    from bs4 import BeautifulSoup
    from security_policy import script_hash

    with urllib.request.urlopen(url) as response:
        page = BeautifulSoup(response.read().decode("utf-8"), "html.parser")
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    scripts = page.find_all("script")
    inline = [script.string for script in scripts if not script.get("src") and "livereload" in script.text]
    assert inline, "the livereload server added no reload script"
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert all(f"'{script_hash(text)}'" in script_src for text in inline), (script_src, inline)


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200


def test_a_failed_rebuild_leaves_the_last_good_site(content_dir: Path, tmp_path: Path) -> None:
    write_article(content_dir, "first-story")
    output = tmp_path / "site"
    first = run_invoke("build", "--content", str(content_dir), "--output", str(output))
    assert first.returncode == 0
    assert f"serve --output {output}   then open" in first.stdout  # the way to preview this very folder
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    assert (output / "index.html") in before

    write_article(content_dir, "broken-story", Date="31/31/2026")
    result = run_invoke("rebuild", "--content", str(content_dir), "--output", str(output))
    assert result.returncode != 0
    assert "broken-story.md:2:" in result.stdout + result.stderr
    after = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    assert after == before


def test_the_site_a_build_replaces_is_deleted_behind_it(content_dir: Path, tmp_path: Path) -> None:
    # Without the build cache nothing is taken over: each build writes a whole new site that replaces the old.
    write_article(content_dir, "first-story")
    output = tmp_path / "site"
    for build in range(2):
        built = run_invoke("build", "--no-cache", "--content", str(content_dir), "--output", str(output))
        assert built.returncode == 0, built.stderr
        assert (output / "index.html").is_file(), f"build {build + 1}"
    wait_for(lambda: not list(tmp_path.glob(".site.previous-*")))
    assert not list(tmp_path.glob(".site*")), "the replaced site is still there after a minute"
    assert (output / "index.html").is_file()


def test_a_build_after_an_edit_updates_the_site_in_place(content_dir: Path, tmp_path: Path) -> None:
    write_article(content_dir, "untouched-story", Title="A story nobody edits")
    edited = write_article(content_dir, "edited-story", Title="A story an editor corrects")
    deleted = write_article(content_dir, "deleted-story", Title="A story that is taken down")
    output, cache = tmp_path / "site", tmp_path / "cache"

    def build() -> str:
        result = run_invoke(
            "build", "--content", str(content_dir), "--output", str(output), "--setting", f'BUILD_CACHE_PATH="{cache}"'
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    build()
    build()  # records what each page reads

    def stamp(path: Path) -> tuple[int, int, int]:
        return path.stat().st_ino, path.stat().st_mtime_ns, path.parent.stat().st_ino

    before = {path: stamp(path) for path in output.rglob("*") if path.is_file()}
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA correction, added after publication.\n")
    deleted.unlink()

    printed = build()

    unchanged = int(re.search(r"\(\d+ pages rendered, (\d+) unchanged\)", printed).group(1))
    # Each page taken over is left where it is: the same file in the same folder, not a copy, nor a link in a new tree.
    left_alone = [path for path, old in before.items() if path.is_file() and stamp(path) == old]
    assert unchanged >= 1
    assert len(left_alone) == unchanged, sorted(str(path.relative_to(output)) for path in left_alone)
    page = output / "2026" / "05"
    assert "A correction, added after publication." in (page / "edited-story" / "index.html").read_text()
    assert not (page / "deleted-story").exists(), "the deleted story's page is still published"
    assert "A story that is taken down" not in (output / "index.html").read_text()
    assert not list(tmp_path.glob(".site*")), "a staging folder or an old site was left beside the site"


def test_a_second_build_in_the_same_process_reports_the_same_warning(
    content_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # livereload builds in one process, again and again; each build must count every problem.
    from invoke import Exit

    import tasks

    write_article(content_dir, "misspelt-key", Tittle="A typo in a key")
    for attempt in range(2):
        with pytest.raises(Exit) as failure:
            tasks.run_build(content=content_dir, output=tmp_path / "site", strict=True, quiet=True)
        assert "1 problem in 1 file (--strict fails on warnings)" in failure.value.message, f"build {attempt + 1}"
        printed = capsys.readouterr().err
        assert printed.count('unknown front-matter key "tittle"') == 1, f"build {attempt + 1}: {printed}"


def test_the_collector_waits_for_rendering_is_on_after_a_build_and_the_next_build_releases_what_it_kept(
    content_dir: Path, tmp_path: Path
) -> None:
    # A build keeps what it read out of the collector's walks (plugin_support.collector); livereload builds again
    # and again in one process, so each build must give the last one's objects back.
    import gc

    from pelican import signals

    import tasks

    write_article(content_dir, "collected-story")
    # What Pelican makes while it asks for the pages lives until they are written: nothing to collect yet.
    # What reading made is set aside already: the collection at the process's end (a check stops here) skips it.
    collecting_while_asked: list[tuple[bool, bool]] = []

    def asked_for(generator, content) -> None:
        collecting_while_asked.append((gc.isenabled(), gc.get_freeze_count() > 0))

    signals.article_generator_write_article.connect(asked_for)
    gc.unfreeze()
    try:
        tasks.run_build(content=content_dir, output=tmp_path / "site", quiet=True)
        assert collecting_while_asked == [(False, True)], collecting_while_asked
        assert gc.isenabled(), "the build left automatic collection off"
        kept = gc.get_freeze_count()
        assert kept > 0, "nothing the build read was kept out of the collector's walks"
        tasks.run_build(content=content_dir, output=tmp_path / "site", quiet=True)
        assert gc.isenabled()
        assert gc.get_freeze_count() < kept * 1.5, "the second build kept the first build's objects as well"
    finally:
        signals.article_generator_write_article.disconnect(asked_for)
        gc.unfreeze()


def test_benchmark_build_compares_with_stock_pelican_and_deletes_its_scratch_folder(tmp_path: Path) -> None:
    """The benchmark prints a row per size with the ratio to stock Pelican; without ``--folder`` it leaves nothing
    behind (at 10,000 articles its content, sites and image caches take some 5 GB), with it it keeps them."""
    # A short path: Chromium, which measures one search's download, puts a socket in the temporary folder.
    temporary = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        result = run_invoke("benchmark-build", "--sizes", "30", "--runs", "1", env={"TMPDIR": str(temporary)})
        assert result.returncode == 0, result.stdout + result.stderr
        row = re.search(r"^\s+30\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s", result.stdout, re.M)
        assert row, result.stdout
        stock, ours, ratio = map(float, row.groups())
        # Each figure is printed to two places, the ratio from the unrounded times.
        assert (ours - 0.005) / (stock + 0.005) - 0.005 <= ratio <= (ours + 0.005) / (stock - 0.005) + 0.005
        # Every livereload save was built and then announced to the page the benchmark holds open.
        livereload = result.stdout.partition("`invoke livereload`")[2].partition("\n\n")[0]
        assert re.search(r"^\s+30(\s+\d+\.\d\d){5}$", livereload, re.M), livereload
        assert "Deleting " in result.stdout
        assert not [path for path in temporary.iterdir() if path.name.startswith("atlas-bench-")], (
            "the benchmark left its scratch folder behind"
        )
    finally:
        shutil.rmtree(temporary, ignore_errors=True)

    kept = tmp_path / "kept"
    result = run_invoke("benchmark-build", "--sizes", "30", "--runs", "1", "--folder", str(kept))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((kept / "content-30").rglob("*.md"))) == 30
