"""Writing imported stories into the content folder: front matter, files, images, redirects, the report."""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from pelican.urlwrappers import Author
from plugin_support.problems import header_values
from plugin_support.text import ascii_slug, normalised_tag, one_line

from .convert import Context, clean_pasted_text, html_to_house_markdown, is_video
from .house import TAKEAWAYS_ALIASES, house_markdown
from .sources import ExportError, Post, read_beehiiv, read_ghost, read_substack, read_text


@dataclass
class Options:
    """What ``invoke import`` was asked to do."""

    source: str
    path: Path
    content: Path
    section: str | None = None
    author: str | None = None
    images: Path | None = None
    dry_run: bool = False
    force: bool = False
    drafts: bool = False
    pages: bool = False
    podcasts: bool = False
    title: str = ""
    date: str = ""
    summary: str = ""
    slug: str = ""


@dataclass
class Report:
    """Every post written, left as it was, or skipped, and every piece that could not be brought across."""

    lines: list[str] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    skipped: int = 0
    blocking: int = 0

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


def read_posts(options: Options) -> list[Post]:
    readers = {
        "beehiiv": lambda: read_beehiiv(options.path),
        "substack": lambda: read_substack(options.path),
        "ghost": lambda: read_ghost(options.path),
        "text": lambda: read_text(options.path, options.title, options.date, options.summary, options.slug),
    }
    if options.source not in readers:
        raise ExportError(f'unknown source "{options.source}"; use one of {", ".join(readers)}')
    if not options.path.exists():
        raise ExportError(f"{options.path} does not exist")
    return readers[options.source]()


def section_for(post: Post, options: Options, settings: dict[str, Any]) -> str | None:
    if options.section:
        return options.section
    mapping = {key.lower(): value for key, value in (settings.get("IMPORT_TAG_SECTIONS") or {}).items()}
    return next((mapping[tag.lower()] for tag in post.tags if tag.lower() in mapping), None)


class Importer:
    """One run of ``invoke import``: reads the export, writes what is new, reports everything."""

    def __init__(self, options: Options, settings: dict[str, Any]) -> None:
        self.options, self.settings = options, settings
        self.zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        self.report = Report()
        self.image_copies: dict[Path, Path] = {}  # file in --images -> file in content/images/imported
        self.profiled_slugs = self._profiled_slugs()
        self.tag_spellings = self._tag_spellings()

    def _tag_spellings(self) -> dict[str, str]:
        """How the site already writes each tag (by its lower-case, single-spaced form), most used first."""
        counts: dict[str, dict[str, int]] = {}
        for path in sorted((self.options.content / "articles").rglob("*.md")):
            written = header_values(path).get("tags", "")
            for tag in filter(None, (part.strip() for part in written.split(","))):
                spellings = counts.setdefault(normalised_tag(tag), {})
                spellings[tag] = spellings.get(tag, 0) + 1
        return {key: max(spellings, key=lambda spelling: spellings[spelling]) for key, spellings in counts.items()}

    def _tags(self, tags: list[str]) -> list[str]:
        """The post's tags, each written as the site already writes it, so that one topic keeps one page."""
        written = []
        for tag in (one_line(tag) for tag in tags):
            written.append(self.tag_spellings.setdefault(normalised_tag(tag), tag))
        return list(dict.fromkeys(written))

    def _profiled_slugs(self) -> set[str]:
        """Author slugs with a profile (``AUTHOR_PROFILES_FILE`` in the content folder, and ``AUTHOR_PROFILES``)."""
        profiles = dict(self.settings.get("AUTHOR_PROFILES") or {})
        path = self.options.content / (self.settings.get("AUTHOR_PROFILES_FILE") or "authors.toml")
        if path.is_file():
            profiles.update(tomllib.loads(path.read_text(encoding="utf-8")))
        return set(profiles)

    def _author_slug(self, name: str) -> str:
        """The slug Pelican gives a byline, which is what author profiles are keyed by."""
        return Author(name, self.settings).slug

    def run(self) -> Report:
        posts = read_posts(self.options)
        wanted = [post for post in posts if self._wanted(post)]
        for post in wanted:
            post.slug = post.slug or ascii_slug(post.title)
        old_links = {post.slug: self._filename_link(post) for post in wanted if post.published}
        redirects: list[str] = []
        for post in wanted:
            redirects += self._import(post, old_links)
        self._copy_images()
        self._append_redirects(redirects)
        return self.report

    def _wanted(self, post: Post) -> bool:
        reasons = []
        if post.kind == "page" and not self.options.pages:
            reasons.append("a page (--pages imports pages)")
        if post.kind == "podcast" and not self.options.podcasts:
            reasons.append("a podcast episode (--podcasts imports them as articles linking to the audio)")
        if not post.published and not self.options.drafts:
            reasons.append("not published (--drafts imports drafts with Status: draft)")
        if reasons:
            self.report.skipped += 1
            self.report.add(post.where, f'skipped "{post.title}": {"; ".join(reasons)}')
            return False
        return True

    def _local_date(self, post: Post) -> datetime:
        return post.date.astimezone(self.zone) if post.date.tzinfo else post.date

    def _target(self, post: Post) -> Path:
        folder = "pages" if post.kind == "page" else f"articles/{self._local_date(post):%Y}"
        return self.options.content / folder / f"{post.slug}.md"

    def _filename_link(self, post: Post) -> str:
        return "{filename}/" + self._target(post).relative_to(self.options.content).as_posix()

    def _image(self, where: str, context: Context) -> Any:
        def resolve(src: str) -> str:
            local = self._local_image(src)
            if local is not None:
                return "{static}/" + local.relative_to(self.options.content).as_posix()
            if src.startswith("https://"):
                context.notes.append(
                    f"the image {src} stays at its address on the old platform; "
                    "download it and import again with --images FOLDER"
                )
            else:
                self.report.blocking += 1
                context.notes.append(f"the image {src} cannot be brought across; replace it after the import")
            return src

        return resolve

    def _local_image(self, src: str) -> Path | None:
        """The copy of ``src`` in content/images/imported/ when ``--images`` holds a file of that name."""
        if self.options.images is None:
            return None
        name = unquote(urlsplit(unquote(src)).path).rsplit("/", 1)[-1]
        found = self.options.images / name if name else None
        if found is None or not found.is_file():
            return None
        copy = self.options.content / "images" / "imported" / name
        self.image_copies[found] = copy
        return copy

    def _import(self, post: Post, old_links: dict[str, str]) -> list[str]:
        copies_before = dict(self.image_copies)
        context = Context(old_links=old_links)
        context.image = self._image(post.where, context)
        aliases = tuple(self.settings.get("TAKEAWAYS_HEADING_ALIASES") or TAKEAWAYS_ALIASES)
        if post.is_text:
            text, context.notes = clean_pasted_text(post.body)
            converted = house_markdown(text, takeaways_aliases=aliases)
        else:
            converted = html_to_house_markdown(post.body, context, aliases)
        body = converted.markdown
        if post.kind == "podcast" and post.audio:
            body = f"[Listen to the episode]({post.audio})\n\n" + body
        header = self._front_matter(post, context)
        text = header + "\n" + body
        target = self._target(post)
        shown = os.path.relpath(target)
        for note in dict.fromkeys(context.notes + converted.notes):
            self.report.add(post.where, note)
        if post.paid:
            self.report.add(
                post.where,
                "was for paying subscribers only; here it is published for everyone "
                "(add Status: draft to keep it back)",
            )
        if target.exists():
            if target.read_text(encoding="utf-8") == text:
                self.report.unchanged += 1
                self.report.add(post.where, f"unchanged: {shown}")
            elif not self.options.force:
                self.report.skipped += 1
                self.report.add(post.where, f"skipped: {shown} exists with other text (--force overwrites it)")
                self.image_copies = copies_before  # its images are not needed either
                return []
            else:
                self._write(target, text, post, shown, "overwrote")
        else:
            self._write(target, text, post, shown, "wrote")
        if not post.published or post.kind == "page":
            return []
        link = self._filename_link(post)
        # A pasted story had no address of its own on the old platform; an export's had /p/<slug> at least.
        platform = [] if post.is_text else [f"/p/{post.slug}"]
        return [f"{old} {link}" for old in dict.fromkeys([*post.old_paths, *platform])]

    def _write(self, target: Path, text: str, post: Post, shown: str, verb: str) -> None:
        self.report.written += 1
        if self.options.dry_run:
            self.report.add(post.where, f"would write {shown}")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.report.add(post.where, f"{verb} {shown}")

    def _front_matter(self, post: Post, context: Context) -> str:
        fields: list[tuple[str, str]] = [("Title", one_line(post.title))]
        if post.kind != "page":
            fields.append(("Date", f"{self._local_date(post):%Y-%m-%d %H:%M}"))
            section = section_for(post, self.options, self.settings)
            if section:
                fields.append(("Category", section))
            else:
                self.report.blocking += 1
                context.notes.append("no section: give --section, or map one of its tags in IMPORT_TAG_SECTIONS")
            if post.tags:
                fields.append(("Tags", ", ".join(self._tags(post.tags))))
            authors = [self.options.author] if self.options.author else post.authors
            if authors:
                fields.append(("Authors", ", ".join(authors)))
                for name in authors:
                    if self._author_slug(name) not in self.profiled_slugs:
                        self.report.blocking += 1
                        context.notes.append(f'"{name}" has no author profile: add one to the author profiles file')
            else:
                self.report.blocking += 1
                context.notes.append("no author in the export: give --author")
        fields.append(("Slug", post.slug))
        if post.summary:
            fields.append(("Summary", one_line(post.summary)))
        if not post.published:
            fields.append(("Status", "draft"))
        if post.image and post.kind != "page":
            local = self._local_image(post.image)
            if local is not None:
                fields.append(("Image", local.relative_to(self.options.content).as_posix()))
                fields.append(("Image_alt", one_line(post.image_alt or post.title)))
                if post.image_caption:
                    fields.append(("Image_caption", one_line(post.image_caption)))
            elif not is_video(post.image):
                context.notes.append(f"the hero image {post.image} was left out: import again with --images FOLDER")
        return "".join(f"{key}: {value}\n" for key, value in fields)

    def _copy_images(self) -> None:
        for source, copy in sorted(self.image_copies.items()):
            if copy.is_file() and copy.read_bytes() == source.read_bytes():
                continue
            self.report.add(
                source.name, f"{'would copy' if self.options.dry_run else 'copied'} to {os.path.relpath(copy)}"
            )
            if not self.options.dry_run:
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)

    def _append_redirects(self, redirects: list[str]) -> None:
        """Add the new old-path lines to the redirects file; a path already there is left as the editors set it."""
        path = self.options.content / (self.settings.get("REDIRECTS_FILE") or "redirects.txt")
        existing = path.read_text(encoding="utf-8") if path.is_file() else ""
        known = {
            line.split()[0] for line in existing.splitlines() if line.strip() and not line.lstrip().startswith("#")
        }
        new = [line for line in redirects if line.split()[0] not in known]
        if not new:
            return
        self.report.add(
            os.path.relpath(path), f"{'would add' if self.options.dry_run else 'added'} {len(new)} redirect(s)"
        )
        if self.options.dry_run:
            return
        header = "" if existing else "# Old addresses of moved stories: OLD-PATH TARGET (see plugins/redirects).\n"
        separator = "" if not existing or existing.endswith("\n") else "\n"
        path.write_text(existing + separator + header + "\n".join(new) + "\n", encoding="utf-8")
