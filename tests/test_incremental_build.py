"""A build after an edit writes exactly what a build from nothing writes, while rendering only what changed.

Each case edits a copy of the bundled content (whose articles link to one
another with ``{filename}`` and share sections, tags and authors), builds
again with the build cache of the previous build (pages whose reads come out
the same are taken over from the previous site), then builds the same content
from nothing with ``--no-cache`` into another folder, and compares the two
trees file by file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import (
    CONTENT,
    PRODUCTION_SITEURL,
    ROOT,
    BuiltSite,
    build_site,
    built,
    free_port,
    front_matter,
    run_invoke,
)
from test_parallel_build import assert_same_tree

import tasks

ENV = {"SITEURL": PRODUCTION_SITEURL, "SOURCE_DATE_EPOCH": "1795000000"}


def timings(site: BuiltSite) -> dict[str, float]:
    line = next(line for line in site.log.splitlines() if line.startswith("timings: "))
    return json.loads(line.removeprefix("timings: "))


def published(content: Path) -> list[Path]:
    return sorted(p for p in (content / "articles").rglob("*.md") if front_matter(p).get("status") != "draft")


def linked_article(content: Path) -> Path:
    """A published article that another article links to with {filename}."""
    for source in published(content):
        for target in re.findall(r"\{filename\}/?([^)\s]+\.md)", source.read_text(encoding="utf-8")):
            path = content / target
            if path.is_file() and front_matter(path).get("status") != "draft":
                return path
    raise AssertionError("no bundled article links to another with {filename}")


def edit_body(content: Path) -> None:
    source = published(content)[0]
    source.write_text(source.read_text(encoding="utf-8") + "\nA correction was added at the end.\n", encoding="utf-8")


def edit_title(content: Path) -> None:
    source = published(content)[1]
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"^Title: .*$", "Title: A new headline, written later", text, count=1, flags=re.M))


def change_tags(content: Path) -> None:
    source = published(content)[2]
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"^Tags: .*$", "Tags: shipping, A brand new topic", text, count=1, flags=re.M))


def add_article(content: Path) -> None:
    (content / "articles" / "2026" / "late-addition.md").write_text(
        "Title: A late addition to the archive\nDate: 2026-11-20 08:00\nCategory: Trade\nTags: shipping\n"
        "Authors: Mara Lindqvist\nSlug: late-addition\nSummary: Added after the first build.\n\n"
        "Freight rates fell for a third week as new ships joined the route.\n",
        encoding="utf-8",
    )


def delete_article(content: Path) -> None:
    """Delete a story, and its old address with it, as the redirects check asks an editor to."""
    story = published(content)[-1]
    story.unlink()
    redirects = content / "redirects.txt"
    kept = [line for line in redirects.read_text(encoding="utf-8").splitlines() if not line.endswith(story.name)]
    redirects.write_text("\n".join(kept) + "\n", encoding="utf-8")


def rename_slug(content: Path) -> None:
    source = linked_article(content)
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"^Slug: .*$", "Slug: renamed-after-publication", text, count=1, flags=re.M))


EDITS: dict[str, Callable[[Path], None]] = {
    "edit-body": edit_body,
    "edit-title": edit_title,
    "change-tags": change_tags,
    "add-article": add_article,
    "delete-article": delete_article,
    "rename-slug": rename_slug,
}


class Author:
    """A copy of the bundled content and its site, rebuilt with the build cache as an author works on it."""

    def __init__(self, folder: Path, production: bool) -> None:
        self.folder, self.production = folder, production
        self.content = folder / "content"
        shutil.copytree(CONTENT, self.content)
        self.output = folder / "site"

    def build(self) -> BuiltSite:
        cache = ("--setting", f'BUILD_CACHE_PATH="{self.folder / "cache"}"', "--timings")
        return built(self.output, content=self.content, production=self.production, env=ENV, extra=cache, cache=True)

    def build_from_nothing(self) -> BuiltSite:
        return built(self.folder / "from-nothing", content=self.content, production=self.production, env=ENV)


@pytest.mark.parametrize("production", [True, False], ids=["production", "development"])
@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_an_incremental_build_equals_a_build_from_nothing(
    tmp_path: Path, edit: Callable[[Path], None], production: bool
) -> None:
    author = Author(tmp_path, production)
    # The first build leaves a site; the second records what its pages read, for the next to take over.
    author.build()
    assert timings(author.build())["pages_taken_over"] == 0

    edit(author.content)
    again = author.build()
    assert_same_tree(author.build_from_nothing().root, again.root, at_least=80)
    assert timings(again)["pages_taken_over"] > 0, "nothing was taken over from the previous build"


def test_a_body_edit_renders_only_the_pages_that_show_the_article(tmp_path: Path) -> None:
    author = Author(tmp_path, production=True)
    author.build()
    first = author.build()
    unchanged = author.build()
    assert timings(unchanged)["pages_rendered"] == 0
    assert timings(unchanged)["pages_taken_over"] == timings(first)["pages_rendered"]

    edit_body(author.content)
    edited = author.build()
    # The article's own page, the listings and Keep Reading blocks that show it: a handful, not the site.
    assert 1 <= timings(edited)["pages_rendered"] <= timings(first)["pages_rendered"] // 4


def test_a_build_that_replaces_the_site_lists_its_files_so_the_next_need_not_walk_it(tmp_path: Path) -> None:
    author = Author(tmp_path, production=False)
    author.build()
    author.build()  # records what pages read; nothing to take over yet, so it replaces the site whole
    # Put deep in the site by hand after that build: the next one finds it only if it walks the site.
    folder = next(path for path in sorted(author.output.iterdir()) if path.is_dir())
    planted = folder / "planted-by-hand.txt"
    planted.write_text("left alone", encoding="utf-8")

    delete_article(author.content)
    again = author.build()
    assert timings(again)["pages_taken_over"] > 0
    assert planted.read_text(encoding="utf-8") == "left alone", "the update walked the site instead of the list"
    planted.unlink()
    # The list named the deleted story's page, so the update removed it as a build from nothing leaves it out.
    assert_same_tree(author.build_from_nothing().root, again.root, at_least=80)


class LivereloadSession:
    """``invoke livereload`` on a copy of the bundled content, as an author keeps it open and saves, save after save."""

    def __init__(self, author: Author) -> None:
        self.author, self.log = author, author.folder / "livereload.log"
        # The development pages allow the server's reload script; the build from nothing must allow it too.
        hashes = json.dumps([tasks.livereload_snippet_hash()])
        self.script_hash = ("--setting", f"CONTENT_SECURITY_SCRIPT_HASHES={hashes}")
        command = [sys.executable, "-m", "invoke", "livereload", "--content", str(author.content)]
        command += ["--output", str(author.output), "--port", str(free_port())]
        command += ["--setting", f"BUILD_CACHE_PATH={json.dumps(str(author.folder / 'cache'))}"]
        with self.log.open("w") as stream:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env={**os.environ, **ENV}, stdout=stream, stderr=subprocess.STDOUT
            )

    def builds(self) -> list[str]:
        """What each finished build printed, the summary line last."""
        text = self.log.read_text(encoding="utf-8")
        return [chunk + line for chunk, line in re.findall(r"((?:(?!Built ).*\n)*)(Built .*\n)", text)]

    def next_build(self) -> str:
        done = len(self.builds())
        deadline = time.monotonic() + 120
        while len(self.builds()) == done:
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, f"no build after the save:\n{self.log.read_text(encoding='utf-8')}"
            time.sleep(0.2)
        return self.builds()[-1]

    def build_from_nothing(self) -> BuiltSite:
        folder = self.author.folder / "from-nothing"
        shutil.rmtree(folder, ignore_errors=True)
        return built(folder, content=self.author.content, env=ENV, extra=self.script_hash)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# The build clock of every build here (SOURCE_DATE_EPOCH), in the site's time zone (TIMEZONE in pelicanconf.py).
SITE_ZONE = ZoneInfo("Europe/London")
CLOCK = datetime.fromtimestamp(int(ENV["SOURCE_DATE_EPOCH"]), SITE_ZONE)


def written_date(article: Path) -> datetime:
    return datetime.strptime(front_matter(article)["date"], "%Y-%m-%d %H:%M").replace(tzinfo=SITE_ZONE)


def keepable(content: Path) -> dict[Path, bytes]:
    """The bytes of every article not dated after the build clock (a scheduled story is read at every build)."""
    found = {}
    for path in (content / "articles").rglob("*.md"):
        if written_date(path) <= CLOCK:
            found[path] = path.read_bytes()
    return found


def articles_kept(build_log: str) -> int:
    kept = re.search(r"^(\d+) articles unchanged since the last build were not read again", build_log, re.M)
    return int(kept.group(1)) if kept else 0


HERO_STORY = "chip-export-controls-lithography-servicing"


def resize_hero_image(content: Path) -> None:
    """Give a hero image other dimensions; the article that shows it is not touched."""
    image = content / "images" / f"{HERO_STORY}.svg"
    svg = image.read_text(encoding="utf-8")
    image.write_text(svg.replace('width="1200" height="675"', 'width="1600" height="900"', 1), encoding="utf-8")


def assert_unchanged_articles_are_taken(
    content: Path, output: Path, next_build: Callable[[], str], build_from_nothing: Callable[[], BuiltSite]
) -> None:
    """Make every edit, and after each build check which articles were taken again and that the site is right."""
    assert articles_kept(next_build()) == 0
    for name, edit in {**EDITS, "resize-hero-image": resize_hero_image}.items():
        before = keepable(content)
        edit(content)
        build = next_build()
        after = keepable(content)
        # Taken again: every article whose file, and hero image, the edit left as it was.
        unchanged = [path for path, data in after.items() if before.get(path) == data]
        hero_changed = [path for path in unchanged if path.stem == HERO_STORY and name == "resize-hero-image"]
        assert articles_kept(build) == len(unchanged) - len(hero_changed), f"{name}\n{build}"
        assert_same_tree(build_from_nothing().root, output, at_least=80)
    hero_page = next(output.glob(f"*/*/{HERO_STORY}/index.html")).read_text(encoding="utf-8")
    assert 'width="1600" height="900"' in hero_page, "the story does not show its hero image's new size"

    # A problem found in an article is reported by every build, also by those that do not read it again.
    story = published(content)[3]
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("\nDate:", "\nXyzzy: a key no plugin reads\nDate:", 1), encoding="utf-8")
    warned = next_build()
    assert f"{story.name}" in warned and "xyzzy" in warned, warned
    edit_body(content)
    again = next_build()
    assert articles_kept(again) > 0
    assert [line for line in again.splitlines() if "xyzzy" in line] == [
        line for line in warned.splitlines() if "xyzzy" in line
    ]


def test_livereload_takes_unchanged_articles_from_its_last_build_and_builds_what_a_build_from_nothing_builds(
    tmp_path: Path,
) -> None:
    author = Author(tmp_path, production=False)
    session = LivereloadSession(author)
    try:
        taken = (author.content, author.output, session.next_build, session.build_from_nothing)
        assert_unchanged_articles_are_taken(*taken)
    finally:
        session.close()


def test_a_new_build_takes_unchanged_articles_from_the_build_cache_and_builds_what_a_build_from_nothing_builds(
    tmp_path: Path,
) -> None:
    author = Author(tmp_path, production=False)

    def build_again() -> str:
        # Not --strict, as an author builds: the warning planted below must not stop the build.
        cache = ("--setting", f'BUILD_CACHE_PATH="{tmp_path / "cache"}"')
        result = run_invoke("build", "--content", str(author.content), "--output", str(author.output), *cache, env=ENV)
        assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout + result.stderr

    assert_unchanged_articles_are_taken(author.content, author.output, build_again, author.build_from_nothing)

    for story in published(author.content):  # the warning planted above would fail a --strict build
        text = story.read_text(encoding="utf-8")
        story.write_text(re.sub(r"^Xyzzy: .*\n", "", text, flags=re.M), encoding="utf-8")
    author.build()
    # A damaged store costs only the reading of its articles, which the next build keeps again.
    stored = list((tmp_path / "cache").glob("articles-*/*.pickle"))
    assert stored, "the build cache holds no articles"
    for path in stored:
        path.write_bytes(b"not a pickle")
    damaged = author.build()
    assert articles_kept(damaged.log) == 0
    assert_same_tree(author.build_from_nothing().root, damaged.root, at_least=80)
    assert articles_kept(author.build().log) > 0


def test_a_build_with_an_earlier_clock_does_not_take_what_a_later_one_read(tmp_path: Path) -> None:
    """A build of an older commit (an earlier ``SOURCE_DATE_EPOCH``) holds back the stories dated after its clock,
    also those a build with a later clock read and kept in the build cache."""
    author = Author(tmp_path, production=False)
    author.build()
    dated = {path: written_date(path) for path in keepable(author.content)}
    newest = max(dated, key=dated.__getitem__)
    earlier = {**ENV, "SOURCE_DATE_EPOCH": str(int(dated[newest].timestamp()) - 60)}
    cache = ("--setting", f'BUILD_CACHE_PATH="{tmp_path / "cache"}"', "--timings")
    again = built(author.output, content=author.content, env=earlier, extra=cache, cache=True)
    from_nothing = built(tmp_path / "from-nothing", content=author.content, env=earlier)
    # Every article was read under a later clock, so every one is read again.
    assert articles_kept(again.log) == 0, again.log
    assert not list(again.root.glob(f"*/*/{front_matter(newest)['slug']}/index.html")), "a story went out early"
    assert_same_tree(from_nothing.root, again.root, at_least=80)
    # Under the same clock, all but the held-back story are taken from what that build kept.
    same_clock = built(author.output, content=author.content, env=earlier, extra=cache, cache=True)
    assert articles_kept(same_clock.log) == len(dated) - 1, same_clock.log
    assert_same_tree(from_nothing.root, same_clock.root, at_least=80)


def test_an_article_with_an_error_is_read_again_by_the_next_build(tmp_path: Path) -> None:
    """A correction dated after the build clock is an error until the clock passes it; the next build, with a
    later clock, must not take the article with its old error from the build cache."""
    author = Author(tmp_path, production=False)
    author.build()
    story = published(author.content)[0]
    soon = CLOCK + timedelta(hours=1)
    text = story.read_text(encoding="utf-8")
    story.write_text(
        text.replace("\nDate:", f"\nCorrection: {soon:%Y-%m-%d %H:%M} The port's tonnage was misstated.\nDate:", 1),
        encoding="utf-8",
    )
    cache = ("--setting", f'BUILD_CACHE_PATH="{tmp_path / "cache"}"', "--timings")
    failed = build_site(author.output, content=author.content, env=ENV, extra=cache, cache=True)
    assert failed.returncode != 0 and "is in the future" in failed.stdout + failed.stderr
    later = {**ENV, "SOURCE_DATE_EPOCH": str(int((soon + timedelta(hours=1)).timestamp()))}
    again = built(author.output, content=author.content, env=later, extra=cache, cache=True)
    assert "tonnage was misstated" in next(again.root.glob(f"*/*/{front_matter(story)['slug']}/index.html")).read_text()
    assert_same_tree(built(tmp_path / "from-nothing", content=author.content, env=later).root, again.root, at_least=80)
