"""Share cards: the picture a link preview shows, drawn from the hero image or from the headline.

A card with a hero is the hero rasterised (SVG too) and cropped to the card's
shape around the focal point. A card without one is typographic: the section
kicker, the headline wrapped to at most ``MAX_LINES`` lines at the largest
size that fits, and the site name, in the site's colours. The layout is worked
out before anything is drawn and returned with the ink box of every line, so
that what is drawn is what was measured, and tests can check it against the
margin.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont, ImageOps
from plugin_support.text import is_emoji, one_line

from .config import font_path

OG_SIZE = (1200, 630)
# Google's article guidelines ask for the image in these three shapes; the og card is 1.91:1.
STRUCTURED_SIZES = {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}
MAX_LINES = 4
# Headline sizes tried, largest first: 40 px on a 1200 px card is 20 px on a 600 px preview.
HEADLINE_SIZES = tuple(range(96, 39, -4))
SMALLEST_SIZE = 16
KICKER_SIZE = 30
SITE_SIZE = 38
LINE_HEIGHT = 1.14
GAP = 28
ELLIPSIS = "…"


class CardError(ValueError):
    """The hero image a card is drawn from cannot be read."""


@dataclass(frozen=True)
class Line:
    """One line of text on a card: what, in which font role and size, where its top-left is, and its ink box."""

    text: str
    role: str
    size: int
    colour: str
    origin: tuple[int, int]
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Layout:
    """Everything a typographic card draws, measured."""

    size: tuple[int, int]
    lines: tuple[Line, ...]
    rule: tuple[int, int, int, int]
    accent: tuple[int, int, int, int]
    headline_size: int
    truncated: bool

    def ink_box(self) -> tuple[int, int, int, int]:
        """The box around every glyph and rule drawn."""
        boxes = [line.box for line in self.lines] + [self.rule, self.accent]
        return (
            min(box[0] for box in boxes),
            min(box[1] for box in boxes),
            max(box[2] for box in boxes),
            max(box[3] for box in boxes),
        )


@functools.lru_cache(maxsize=64)
def _font(spec: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(spec)), size)


def _glyph_pixels(spec: str, char: str) -> bytes:
    canvas = Image.new("L", (64, 64))
    ImageDraw.Draw(canvas).text((8, 8), char, font=_font(spec, 40), fill=255)
    return canvas.tobytes()


@functools.lru_cache(maxsize=8)
def _missing_glyph(spec: str) -> bytes:
    # A private-use code point no text font draws: what the font shows for a character it lacks.
    return _glyph_pixels(spec, "\U000f0000")


@functools.lru_cache(maxsize=4096)
def _drawable(spec: str, char: str) -> bool:
    if char.isspace():
        return True
    if is_emoji(char):
        return False
    return _glyph_pixels(spec, char) != _missing_glyph(spec)


def card_text(text: str, font_spec: str) -> str:
    """``text`` as the font can draw it: emoji and characters the font lacks dropped, spacing tidied."""
    return one_line("".join(char if _drawable(font_spec, char) else " " for char in text))


def _wrap(words: list[str], font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy wrap at spaces only: a word is never cut."""
    lines: list[str] = []
    for word in words:
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _shorten(words: list[str], font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """The first ``MAX_LINES`` lines of ``words`` with an ellipsis after the last whole word that fits."""
    for count in range(len(words) - 1, 0, -1):
        lines = _wrap([*words[:count][:-1], words[:count][-1] + ELLIPSIS], font, width)
        if len(lines) <= MAX_LINES:
            return lines
    return [words[0] + ELLIPSIS]


def _fits(lines: list[str], font: ImageFont.FreeTypeFont, width: int, height: int, size: int) -> bool:
    # From the first line's ascender to the last line's descender: the room the ink may take.
    tall = round(size * LINE_HEIGHT) * (len(lines) - 1) + sum(font.getmetrics())
    return len(lines) <= MAX_LINES and tall <= height and all(_ink_width(font, line) <= width for line in lines)


def _ink_width(font: ImageFont.FreeTypeFont, text: str) -> int:
    """How wide ``text`` is, from its pen start or first ink (a "J" may reach left of the pen) to its last ink."""
    left, _, right, _ = font.getbbox(text, anchor="la")
    return max(right, round(font.getlength(text))) - min(left, 0)


def _headline_lines(headline: str, spec: str, width: int, height: int) -> tuple[list[str], int, bool]:
    """The headline's lines, the size they are set in and whether words had to be left off."""
    words = headline.split() or [""]
    for size in HEADLINE_SIZES:
        font = _font(spec, size)
        lines = _wrap(words, font, width)
        if _fits(lines, font, width, height, size):
            return lines, size, False
    # Too long for four lines even at the smallest size: whole words are left off, and an ellipsis says so.
    size = HEADLINE_SIZES[-1]
    while True:
        font = _font(spec, size)
        lines = _shorten(words, font, width)
        if _fits(lines, font, width, height, size) or size <= SMALLEST_SIZE:
            return lines, size, True
        size -= 2  # one word wider than the card: smaller type rather than a cut word


def _line(text: str, role: str, spec: str, size: int, colour: str, origin: tuple[int, int]) -> Line:
    left, top, right, bottom = _font(spec, size).getbbox(text, anchor="la")
    # A glyph that reaches left of the pen (a serif "J") moves the line right, so its ink starts at the margin.
    x, y = origin[0] - min(left, 0), origin[1]
    origin = (x, y)
    return Line(text, role, size, colour, origin, (x + left, y + top, x + right, y + bottom))


def layout_card(kicker: str, headline: str, site_name: str, style: dict[str, Any], size: tuple[int, int]) -> Layout:
    """Where each piece of a typographic card goes, inside the margin ``style["margin"]``."""
    width, height = size
    margin = style["margin"]
    fonts, colours = style["fonts"], style["colours"]
    inner = width - 2 * margin
    lines: list[Line] = []
    accent = (margin, margin, margin + 96, margin + 8)
    top = accent[3] + 24
    kicker_text = card_text(kicker, fonts["kicker"]).upper()
    if kicker_text:
        lines.append(_line(kicker_text, "kicker", fonts["kicker"], KICKER_SIZE, colours["accent"], (margin, top)))
        top = lines[-1].box[3] + GAP
    site_text = card_text(site_name, fonts["site"])
    # Lines are placed by their ascender line; the descenders of the last one end on the margin.
    site_top = height - margin - sum(_font(fonts["site"], SITE_SIZE).getmetrics())
    rule_y = site_top - GAP
    rule = (margin, rule_y, width - margin, rule_y + 2)
    headline_text = card_text(headline, fonts["headline"])
    texts, headline_size, truncated = _headline_lines(headline_text, fonts["headline"], inner, rule_y - GAP - top)
    step = round(headline_size * LINE_HEIGHT)
    for number, text in enumerate(texts):
        origin = (margin, top + number * step)
        lines.append(_line(text, "headline", fonts["headline"], headline_size, colours["ink"], origin))
    lines.append(_line(site_text, "site", fonts["site"], SITE_SIZE, colours["ink"], (margin, site_top)))
    return Layout(size, tuple(lines), rule, accent, headline_size, truncated)


def draw_layout(layout: Layout, style: dict[str, Any]) -> Image.Image:
    """The card ``layout`` describes, drawn."""
    colours = style["colours"]
    image = Image.new("RGB", layout.size, colours["background"])
    draw = ImageDraw.Draw(image)
    # Boxes end before their right and bottom edges; Pillow's rectangles include both.
    for box, colour in ((layout.accent, colours["accent"]), (layout.rule, colours["rule"])):
        draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=colour)
    for line in layout.lines:
        draw.text(
            line.origin, line.text, font=_font(style["fonts"][line.role], line.size), fill=line.colour, anchor="la"
        )
    return image


def open_hero(path: Path, minimum: tuple[int, int], background: str) -> Image.Image:
    """The hero as RGB pixels, rasterised large enough to fill ``minimum`` when it is an SVG."""
    try:
        if path.suffix.lower() == ".svg":
            import cairosvg
            from front_matter.images import image_size

            width, height = image_size(path)
            scale = max(minimum[0] / width, minimum[1] / height, 1.0)
            data = cairosvg.svg2png(
                url=str(path), output_width=round(width * scale), output_height=round(height * scale)
            )
            picture = Image.open(io.BytesIO(data))
        else:
            picture = Image.open(path)
            picture = ImageOps.exif_transpose(picture)
        picture.load()
    except Exception as error:  # cairosvg, Pillow and XML parsers each raise their own kinds
        raise CardError(f"{path.name} cannot be decoded ({type(error).__name__}: {error})") from error
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        picture = picture.convert("RGBA")
        flat = Image.new("RGBA", picture.size, background)
        flat.alpha_composite(picture)
        picture = flat
    return picture.convert("RGB")


def crop_box(size: tuple[int, int], target: tuple[int, int], focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest box of ``target``'s shape inside ``size``, centred on ``focus`` (fractions) as far as it can be."""
    width, height = size
    ratio = target[0] / target[1]
    crop_w, crop_h = (round(height * ratio), height) if width / height > ratio else (width, round(width / ratio))
    left = min(max(round(focus[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focus[1] * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def hero_card(picture: Image.Image, target: tuple[int, int], focus: tuple[float, float]) -> Image.Image:
    """``picture`` cropped to ``target``'s shape around ``focus`` and scaled to ``target``."""
    return picture.crop(crop_box(picture.size, target, focus)).resize(target, Image.Resampling.LANCZOS)


def parse_focus(value: str) -> tuple[float, float]:
    """``"x,y"``, both from 0 to 1 (fractions of the width and height); ``ValueError`` saying how to write it."""
    parts = [part.strip() for part in str(value).split(",")]
    try:
        if len(parts) != 2:
            raise ValueError
        x, y = (float(part.removesuffix("%")) / (100 if part.endswith("%") else 1) for part in parts)
    except ValueError:
        x = y = -1.0
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValueError(
            f'Image_focus: "{value}" is not a point of the image; write x,y as fractions of its width and height '
            "from 0 to 1 (0.5,0.5 is the centre)"
        )
    return x, y
