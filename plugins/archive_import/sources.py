"""Reading each platform's export into ``Post`` records: plain data, the same for every source."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

SOURCES = ("beehiiv", "substack", "ghost", "text")


class ExportError(ValueError):
    """The export itself cannot be read: the whole import stops with this message."""


@dataclass
class Post:
    """One story (or page, or podcast) of an export, before conversion."""

    where: str  # "posts.csv:row 3": how the report names it
    title: str
    date: datetime  # aware
    slug: str
    body: str  # HTML, or plain text when ``is_text``
    is_text: bool = False
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    kind: str = "post"  # "post", "page" or "podcast"
    published: bool = True
    paid: bool = False
    old_paths: list[str] = field(default_factory=list)
    image: str = ""
    image_alt: str = ""
    image_caption: str = ""
    audio: str = ""


BYLINE_NAME = re.compile(r'class="author-name"[^>]*>([^<]+)<')


def parse_time(text: str, where: str) -> datetime:
    """An export's timestamp as an aware datetime; a time without a zone is UTC, as the platforms write them."""
    cleaned = text.strip().replace(" UTC", "").replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(cleaned)
    except ValueError as error:
        raise ExportError(f'{where}: the date "{text}" cannot be read') from error
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def slug_from_url(url: str) -> str:
    parts = [part for part in PurePosixPath(urlsplit(url).path).parts if part != "/"]
    return parts[-1] if parts else ""


def path_of(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return path if path.startswith("/") and len(path) > 1 else ""


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    csv.field_size_limit(sys.maxsize)  # bodies of whole emails live in one field
    reader = csv.DictReader(io.StringIO(text))
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        yield number, {key.strip(): (value or "") for key, value in row.items() if key}


def read_beehiiv(path: Path) -> list[Post]:
    """beehiiv's posts export: one CSV row a post, the email HTML in ``content_html``."""
    posts = []
    for number, row in _csv_rows(path.read_text(encoding="utf-8-sig")):
        where = f"{path.name}:row {number}"
        for column in ("web_title", "content_html", "created_at"):
            if column not in row:
                raise ExportError(f"{path.name}: no {column} column; is this beehiiv's posts export?")
        url = row.get("url", "")
        status = row.get("status", "").strip().lower()
        posts.append(
            Post(
                where=where,
                title=row["web_title"].strip() or row.get("email_subject_line", "").strip(),
                date=parse_time(row["created_at"], where),
                slug=slug_from_url(url),
                body=row["content_html"],
                summary=(row.get("web_subtitle") or row.get("email_preview_text") or "").strip(),
                tags=[tag.strip() for tag in row.get("content_tags", "").split(",") if tag.strip()],
                # The CSV has no author column; the email's byline names them.
                authors=[html.unescape(name).strip() for name in BYLINE_NAME.findall(row["content_html"])],
                published=status in {"confirmed", "published"},
                paid=row.get("audience", "").strip().lower() not in {"", "free", "all", "everyone"},
                old_paths=[path for path in [path_of(url)] if path],
                image=row.get("thumbnail_url", "").strip(),
            )
        )
    return posts


def _substack_files(path: Path) -> tuple[str, dict[str, str]]:
    """``posts.csv`` and ``posts/<id>.html`` of a Substack export, from its folder or its zip."""
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = {PurePosixPath(name): name for name in archive.namelist()}
            csv_name = next((name for posix, name in names.items() if posix.name == "posts.csv"), None)
            if csv_name is None:
                raise ExportError(f"{path.name}: no posts.csv in the zip; is this Substack's export?")
            bodies = {
                posix.stem: archive.read(name).decode("utf-8")
                for posix, name in names.items()
                if posix.suffix == ".html" and posix.parent.name == "posts"
            }
            return archive.read(csv_name).decode("utf-8-sig"), bodies
    if not (path / "posts.csv").is_file():
        raise ExportError(f"{path}: no posts.csv; give Substack's export folder or zip")
    bodies = {file.stem: file.read_text(encoding="utf-8") for file in (path / "posts").glob("*.html")}
    return (path / "posts.csv").read_text(encoding="utf-8-sig"), bodies


def read_substack(path: Path) -> list[Post]:
    """Substack's export: ``posts.csv`` and each post's body in ``posts/<post_id>.html``."""
    table, bodies = _substack_files(path)
    posts = []
    for number, row in _csv_rows(table):
        where = f"posts.csv:row {number}"
        post_id = row.get("post_id", "").strip()
        if not post_id:
            raise ExportError(f"{where}: no post_id; is this Substack's posts.csv?")
        slug = post_id.split(".", 1)[1] if "." in post_id else post_id
        kind = {"newsletter": "post", "page": "page", "podcast": "podcast"}.get(row.get("type", "").strip(), "post")
        posts.append(
            Post(
                where=where,
                title=row.get("title", "").strip(),
                date=parse_time(row.get("post_date", ""), where),
                slug=slug,
                body=bodies.get(post_id, ""),
                summary=row.get("subtitle", "").strip(),
                kind=kind,
                published=row.get("is_published", "").strip().lower() == "true",
                paid=row.get("audience", "").strip() not in {"", "everyone"},
                old_paths=[f"/p/{slug}"],
                audio=row.get("podcast_url", "").strip(),
            )
        )
    return posts


def read_ghost(path: Path) -> list[Post]:
    """Ghost's JSON export: posts, tags and users, joined through ``posts_tags`` and ``posts_authors``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["db"][0]["data"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ExportError(f"{path.name}: not a Ghost export (expected db[0].data.posts): {error}") from error
    tags = {tag["id"]: tag for tag in data.get("tags", [])}
    users = {user["id"]: user for user in data.get("users", [])}

    def joined(table: str, key: str, post_id: str) -> list[dict]:
        rows = sorted(
            (row for row in data.get(table, []) if row["post_id"] == post_id), key=lambda r: r.get("sort_order", 0)
        )
        return [row[key] for row in rows]

    posts = []
    for post in data.get("posts", []):
        where = f"{path.name}:post {post.get('slug') or post.get('id')}"
        names = [tags[tag_id]["name"] for tag_id in joined("posts_tags", "tag_id", post["id"]) if tag_id in tags]
        authors = [
            users[user_id]["name"] for user_id in joined("posts_authors", "author_id", post["id"]) if user_id in users
        ]
        when = post.get("published_at") or post.get("created_at") or ""
        posts.append(
            Post(
                where=where,
                title=(post.get("title") or "").strip(),
                date=parse_time(when, where),
                slug=post.get("slug", ""),
                body=post.get("html") or "",
                summary=(post.get("custom_excerpt") or "").strip(),
                # Ghost's internal tags (#name) organise the admin, not the reader's topics.
                tags=[name for name in names if not name.startswith("#")],
                authors=authors,
                kind="page" if post.get("type") == "page" else "post",
                published=post.get("status") == "published",
                paid=post.get("visibility", "public") != "public",
                old_paths=[f"/{post['slug']}"] if post.get("slug") else [],
                image=post.get("feature_image") or "",
                image_alt=post.get("feature_image_alt") or "",
                image_caption=re.sub(r"<[^>]+>", "", post.get("feature_image_caption") or ""),
            )
        )
    return posts


def read_text(path: Path, title: str, date: str, summary: str, slug: str) -> list[Post]:
    """One story pasted as plain text; its title, date and summary come from the command line."""
    if not (title and date and summary):
        raise ExportError("text: --title, --date and --summary are all required for a pasted story")
    try:
        when = datetime.strptime(date.strip(), "%Y-%m-%d %H:%M")
    except ValueError as error:
        raise ExportError(f'text: --date "{date}" must be written YYYY-MM-DD HH:MM (site time)') from error
    return [
        Post(
            where=path.name,
            title=title.strip(),
            date=when,  # naive: already in the site's time zone
            slug=slug,
            body=path.read_text(encoding="utf-8-sig"),
            is_text=True,
            summary=summary.strip(),
        )
    ]
