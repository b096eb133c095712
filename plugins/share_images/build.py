"""What a build does with images: plan every card and copy, make the missing ones on every core, place them.

Everything is planned in the build process from what the articles already
know (hero, body images, headline, section). Each file to make has a key, a
digest of everything it is made from; with ``IMAGES_CACHE_PATH`` set, a file
whose key the cache folder holds is taken from there and nothing is decoded or
drawn. The rest is made by ``plugin_support.workers`` (one process per core),
one task per source image or per story, so a hero is decoded once for all its
crops. An image that cannot be decoded is a content problem on the line of
each file that uses it.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from front_matter.images import image_size
from plugin_support import problems, timing, workers
from plugin_support.contents import every_content
from plugin_support.files import link_or_copy
from plugin_support.text import slugify_heading

from . import cards
from .config import font_path
from .variants import Picture, Variant, file_digest, plan_picture, save_image, write_variant

# Changes whenever the drawing code changes what it draws, so cached cards are not reused across such a change.
CARD_VERSION = "2"


@dataclass(frozen=True)
class ShareCard:
    """A story's (or the site's) card and its crops for structured data, as templates read them."""

    path: str
    width: int
    height: int
    alt: str
    crops: tuple[str, ...] = ()


@dataclass(frozen=True)
class Output:
    """One file to place in the site: its path there, its cache key, and how to make it."""

    site_path: str
    key: str
    format: str
    variant: Variant | None = None
    size: tuple[int, int] | None = None


@dataclass
class Task:
    """Everything made from one source: a raster image's copies, or one story's cards."""

    source: Path | None
    outputs: list[Output] = field(default_factory=list)
    # Typographic cards: kicker, headline, site name. Hero cards: the focus.
    text: tuple[str, str, str] | None = None
    focus: tuple[float, float] = (0.5, 0.5)


@dataclass
class Plan:
    """This build's tasks, by what they are made from, and who uses each source (file, line)."""

    tasks: dict[str, Task] = field(default_factory=dict)
    users: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))


def style_of(settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "margin": settings["SHARE_CARD_MARGIN"],
        "fonts": settings["SHARE_CARD_FONTS"],
        "colours": settings["SHARE_CARD_COLOURS"],
    }


def _style_digest(settings: dict[str, Any]) -> str:
    fonts = [file_digest(font_path(spec)) for spec in settings["SHARE_CARD_FONTS"].values()]
    return repr((CARD_VERSION, sorted(style_of(settings).items()), fonts, settings["SHARE_CARD_QUALITY"]))


def _key(*parts: object) -> str:
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()


def hero_picture(content: Any, settings: dict[str, Any]) -> Picture | None:
    """The hero as the page offers it (the original alone unless the build derives images)."""
    image = getattr(content, "image", None)
    width, height = getattr(content, "image_width", None), getattr(content, "image_height", None)
    if not image or not width or not height:
        return None
    return plan_picture(Path(settings["PATH"], image), str(image), (int(width), int(height)), settings)


def focus_of(content: Any) -> tuple[float, float]:
    """The ``Image_focus`` point (centre when absent); a malformed one is reported on its line."""
    value = content.metadata.get("image_focus")
    if value is None:
        return 0.5, 0.5
    try:
        return cards.parse_focus(value)
    except ValueError as error:
        problems.report_key(content.source_path, "image_focus", str(error))
        return 0.5, 0.5


def _add_variants(plan: Plan, picture: Picture, source: Path, user: tuple[str, int], quality: int) -> None:
    plan.users[str(source)].append(user)
    if not picture.responsive or str(source) in plan.tasks:
        return
    plan.tasks[str(source)] = Task(
        source,
        [
            Output(variant.path, Path(variant.path).name, variant.format, variant=variant)
            for variant in picture.variants()
        ],
    )


def _card_outputs(name: str, base: str, sizes: dict[str, tuple[int, int]], extension: str) -> list[Output]:
    return [
        Output(f"{name}-{label}-{_key(base, size)[:12]}.{extension}", _key(base, size), extension, size=size)
        for label, size in sizes.items()
    ]


def _plan_card(plan: Plan, content: Any, settings: dict[str, Any], style_digest: str, structured: bool) -> ShareCard:
    folder = settings["SHARE_CARD_DIR"].strip("/")
    slug = slugify_heading(str(getattr(content, "slug", "") or "card"))[:60] or "card"
    sizes = {"og": cards.OG_SIZE, **(cards.STRUCTURED_SIZES if structured else {})}
    picture = hero_picture(content, settings)
    if picture is not None:
        source = Path(settings["PATH"], picture.origin)
        focus = focus_of(content)
        base = _key("hero", file_digest(source), focus, style_digest)
        task = Task(source, _card_outputs(f"{folder}/{slug}", base, sizes, "jpeg"), focus=focus)
        plan.users[str(source)].append((content.source_path, problems.key_line(content.source_path, "image")))
        alt = str(getattr(content, "image_alt", "") or content.title)
    else:
        kicker = content.category.name if getattr(content, "category", None) and hasattr(content, "date") else ""
        text = (kicker, str(content.title), settings["SITENAME"])
        base = _key("text", text, style_digest)
        task = Task(None, _card_outputs(f"{folder}/{slug}", base, sizes, "jpeg"), text=text)
        alt = f"{content.title} — {settings['SITENAME']}"
    plan.tasks[f"card:{content.source_path}"] = task
    og, *crops = task.outputs
    return ShareCard(og.site_path, *cards.OG_SIZE, alt=alt, crops=tuple(output.site_path for output in crops))


def _site_card(plan: Plan, settings: dict[str, Any], style_digest: str) -> ShareCard:
    text = ("", settings.get("SITE_TAGLINE") or settings["SITENAME"], settings["SITENAME"])
    base = _key("text", text, style_digest)
    folder = settings["SHARE_CARD_DIR"].strip("/")
    task = Task(None, _card_outputs(f"{folder}/site", base, {"og": cards.OG_SIZE}, "jpeg"), text=text)
    plan.tasks["card:site"] = task
    return ShareCard(task.outputs[0].site_path, *cards.OG_SIZE, alt=f"{settings['SITENAME']}: {text[1]}")


def prepare(generators: list[Any]) -> None:
    """Give every article and page its hero ``Picture``; when the build derives images, plan and make them."""
    if not generators:
        return
    settings = generators[0].settings
    contents = [content for content in every_content(generators) if getattr(content, "save_as", "")]
    derive = settings["IMAGES_DERIVE"] and not problems.check_only(settings)
    for content in contents:
        content.hero_picture = hero_picture(content, settings)
        if content.metadata.get("image_focus") is not None:
            focus_of(content)  # checked in every build, so `invoke check` reports it too
    if not derive:
        return
    with timing.phase("images"):
        plan = Plan()
        style_digest = _style_digest(settings)
        quality = settings["IMAGES_QUALITY"]
        for content in contents:
            is_article = hasattr(content, "date") and getattr(content, "category", None) is not None
            content.share_card = _plan_card(plan, content, settings, style_digest, structured=is_article)
            if content.hero_picture is not None:
                source = Path(settings["PATH"], content.hero_picture.origin)
                line = problems.key_line(content.source_path, "image")
                _add_variants(plan, content.hero_picture, source, (content.source_path, line), quality)
            for path, line in content.metadata.get("body_images", ()):
                source = Path(path)
                site_path = source.relative_to(os.path.abspath(settings["PATH"])).as_posix()
                picture = plan_picture(source, site_path, image_size(source), settings)
                _add_variants(plan, picture, source, (content.source_path, line), quality)
        generators[0].context["site_share_card"] = _site_card(plan, settings, style_digest)
        make_and_place(plan, settings)


def _cached(settings: dict[str, Any], output: Output) -> Path | None:
    folder = settings.get("IMAGES_CACHE_PATH")
    return Path(folder, output.key[:2], f"{output.key}.{output.format}") if folder else None


def make_and_place(plan: Plan, settings: dict[str, Any]) -> None:
    """Make what the cache lacks on every core, report sources that cannot be read, and put every file in the site."""
    out = Path(settings["OUTPUT_PATH"])
    todo: list[tuple[Task, list[tuple[Output, Path]]]] = []
    reused = 0
    for task in plan.tasks.values():
        missing = []
        for output in task.outputs:
            cached = _cached(settings, output)
            if cached is not None and cached.is_file():
                reused += 1
            else:
                missing.append((output, cached or out / output.site_path))
        if missing:
            todo.append((task, missing))
    style = style_of(settings)

    def make(item: tuple[Task, list[tuple[Output, Path]]]) -> str | None:
        return make_files(item[0], item[1], style, settings["IMAGES_QUALITY"], settings["SHARE_CARD_QUALITY"])

    results = workers.run_everywhere(
        make,
        todo,
        jobs=workers.job_count(settings),
        describe=lambda item: str(item[0].source or item[0].outputs[0].site_path),
        timeout=settings["BUILD_WORKER_TIMEOUT"],
    )
    timing.count("images_made", sum(len(missing) for _, missing in todo))
    timing.count("images_reused", reused)
    failed = False
    for (task, _), error in zip(todo, results, strict=True):
        if error is None:
            continue
        failed = True
        shown = os.path.relpath(task.source, settings["PATH"]) if task.source else "a share card"
        for path, line in plan.users.get(str(task.source), [(os.path.join(settings["PATH"], "."), 1)]):
            problems.report(path, line, f'the image "{shown}" cannot be used: {error}; save it again or replace it')
    if failed:
        return
    for task in plan.tasks.values():
        for output in task.outputs:
            cached = _cached(settings, output)
            if cached is not None:
                link_or_copy(cached, out / output.site_path)


def make_files(
    task: Task, missing: list[tuple[Output, Path]], style: dict[str, Any], quality: int, card_quality: int
) -> str | None:
    """Make ``missing`` outputs of ``task`` (in a worker); the reason when its source cannot be read."""
    try:
        if task.text is not None:
            for output, target in missing:
                layout = cards.layout_card(*task.text, style, output.size)
                # JPEG with full colour detail: a tenth of PNG's encoding time, and no fringes on red type.
                save_image(cards.draw_layout(layout, style), target, "jpeg", card_quality, full_colour=True)
        elif missing[0][0].variant is None:
            largest = max((output.size for output, _ in missing), key=lambda size: size[0] * size[1])
            picture = cards.open_hero(task.source, largest, style["colours"]["background"])
            for output, target in missing:
                save_image(cards.hero_card(picture, output.size, task.focus), target, "jpeg", card_quality)
        else:
            for output, target in missing:
                write_variant(task.source, output.variant, target, quality)
    except cards.CardError as error:
        return str(error)
    except (OSError, ValueError, SyntaxError) as error:  # Pillow's errors for a truncated or foreign file
        return f"{task.source.name if task.source else 'image'} cannot be decoded ({type(error).__name__}: {error})"
    return None
