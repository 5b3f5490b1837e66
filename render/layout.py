"""Where text may go in each aspect, and the boxes our text takes: measured, never guessed.

    area = safe_area(1080, 1920)                       # the title-safe Box of a 9:16 frame
    block = fit_headline("Made for you", 1080, 1920)   # wrapped, shrunk until it fits
    checks = text_box_checks([block, *caption_blocks], 1080, 1920)

Every text box is measured with Pillow on the same Noto Sans CJK face libass draws with, at
the size libass uses: libass fits a font's ascent + descent into the ASS font size, so an
ASS size `s` draws glyphs of `s * units_per_em / (ascent + descent)` pixels per em, and a
line of text advances `s` pixels down.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import ImageFont

from render.fonts import CAPTION_FAMILY, font_path

# A check's statuses, as in the media QC report.
PASS, WARN, FAIL = "PASS", "WARN", "FAIL"
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class Box:
    """A rectangle in frame pixels: left/top inclusive, right/bottom exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def contains(self, other: Box) -> bool:
        return (
            self.left <= other.left
            and self.top <= other.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def overflow(self, other: Box) -> int:
        """How many pixels `other` reaches past this box on its worst side (0 when inside)."""
        return max(
            0,
            self.left - other.left,
            self.top - other.top,
            other.right - self.right,
            other.bottom - self.bottom,
        )


@dataclass(frozen=True)
class AspectLayout:
    """One aspect's text layout, in fractions of the frame so preview matches final."""

    # Title-safe margins: no text outside them.
    safe_top: float
    safe_bottom: float
    safe_left: float
    safe_right: float
    caption_width: float  # the widest a caption line may be, of frame width (within safe)
    caption_font: float  # the classic caption's ASS size, of frame height
    headline_band: float  # the headline's room below the safe top, of frame height
    headline_font: float  # the headline's largest ASS size, of frame height
    middle_at: float  # "middle" captions end here, as a share of the safe height


LAYOUTS: dict[str, AspectLayout] = {
    # Vertical: the platforms' published UI-safe zone for 1080x1920. Meta asks Reels to keep
    # text out of the top 14%, the bottom 35% and 6% at the sides (the caption, sound and
    # call-to-action rows); TikTok's and Shorts' like/comment/share rail covers ~130 px of
    # the right edge, so the right margin is wider and text centres left of the frame's middle.
    "9:16": AspectLayout(
        safe_top=0.14,
        safe_bottom=0.35,
        safe_left=0.06,
        safe_right=0.12,
        caption_width=0.82,
        caption_font=0.05,
        headline_band=0.20,
        headline_font=0.085,
        middle_at=0.72,
    ),
    # Horizontal and square: no app UI over the picture, so broadcast graphics-safe
    # (EBU R 95: 5% in from every edge). A subtitle line past ~70% of a wide frame is hard
    # to read in one glance, so captions stay narrower than the safe area.
    "16:9": AspectLayout(
        safe_top=0.05,
        safe_bottom=0.05,
        safe_left=0.05,
        safe_right=0.05,
        caption_width=0.70,
        caption_font=0.065,
        headline_band=0.30,
        headline_font=0.12,
        middle_at=0.80,
    ),
    "1:1": AspectLayout(
        safe_top=0.05,
        safe_bottom=0.05,
        safe_left=0.05,
        safe_right=0.05,
        caption_width=0.84,
        caption_font=0.058,
        headline_band=0.28,
        headline_font=0.10,
        middle_at=0.78,
    ),
}
# Sizes a headline may shrink to before it is cut with an ellipsis, of its largest size.
HEADLINE_MIN_SHARE = 0.45
HEADLINE_STEP = 0.92
# libass sets a space between Hangul words ~0.28 em wide where the font's advance is 0.227 em
# (measured: "가 나 다 라 마 바 사" draws 560 px at size 100, its advances add up to 539);
# counting every space that wide keeps Korean lines inside their box and costs Latin lines
# a few pixels of slack.
SPACE_SLACK_UNITS = 60


def aspect_of(width: int, height: int) -> str:
    """The layout whose aspect is nearest to width:height."""
    ratio = width / height
    return min(LAYOUTS, key=lambda a: abs(_ratio(a) - ratio))


def layout_for(width: int, height: int) -> AspectLayout:
    return LAYOUTS[aspect_of(width, height)]


def safe_area(width: int, height: int) -> Box:
    """The title-safe area of a frame: every text box must lie inside it."""
    lay = layout_for(width, height)
    return Box(
        round(lay.safe_left * width),
        round(lay.safe_top * height),
        width - round(lay.safe_right * width),
        height - round(lay.safe_bottom * height),
    )


def caption_area(width: int, height: int, position: str = "bottom") -> Box:
    """Where caption lines may go: centred in the safe area, as wide as the aspect allows,
    ending at the safe bottom ("bottom") or lower-middle of the safe area ("middle")."""
    lay = layout_for(width, height)
    safe = safe_area(width, height)
    line_w = min(safe.width, round(lay.caption_width * width))
    left = safe.left + (safe.width - line_w) // 2
    bottom = safe.bottom
    if position == "middle":
        bottom = safe.top + round(lay.middle_at * safe.height)
    top = safe_area_headline_end(width, height)
    return Box(left, top, left + line_w, bottom)


def headline_area(width: int, height: int) -> Box:
    """Where the headline may go: the top band of the safe area."""
    safe = safe_area(width, height)
    return Box(safe.left, safe.top, safe.right, safe_area_headline_end(width, height))


def safe_area_headline_end(width: int, height: int) -> int:
    lay = layout_for(width, height)
    return safe_area(width, height).top + round(lay.headline_band * height)


def caption_font_size(width: int, height: int, scale: float = 1.0) -> int:
    """The ASS font size of captions at this frame size (`scale` is the style's)."""
    return max(8, round(layout_for(width, height).caption_font * scale * height))


@functools.cache
def _face(bold: bool, family: str = CAPTION_FAMILY) -> tuple[ImageFont.FreeTypeFont, float]:
    """The font at 1000 px per em, and the ASS size per em (libass's ascent + descent)."""
    font = ImageFont.truetype(str(font_path(bold=bold, family=family)), 1000)
    ascent, descent = font.getmetrics()
    return font, (ascent + descent) / 1000


def text_width(text: str, size: float, *, bold: bool = True, family: str = CAPTION_FAMILY) -> float:
    """Advance width in pixels of one line of `text` at ASS font size `size`, as libass
    draws it (never narrower)."""
    font, ass_per_em = _face(bold, family)
    units = font.getlength(text) + SPACE_SLACK_UNITS * text.count(" ")
    return units / 1000 * size / ass_per_em


@dataclass(frozen=True)
class TextBlock:
    """Lines of text as drawn: their ASS font size and the box they cover (outline included)."""

    name: str
    lines: tuple[str, ...]
    size: int
    box: Box
    pad: int = 0  # outline and shadow: the glyphs start this far inside the box


def block_box(
    lines: Sequence[str],
    size: int,
    *,
    centre_x: float,
    top: float | None = None,
    bottom: float | None = None,
    bold: bool = True,
    pad: int = 0,
    family: str = CAPTION_FAMILY,
) -> Box:
    """The box of centred lines one `size` apart, from `top` down or up from `bottom`;
    `pad` is the outline (and shadow) drawn around the glyphs."""
    widest = max((text_width(line, size, bold=bold, family=family) for line in lines), default=0.0)
    height = size * len(lines)
    if top is None:
        if bottom is None:
            raise ValueError("block_box needs top or bottom")
        top = bottom - height
    left = centre_x - widest / 2
    return Box(
        int(left) - pad,
        int(top) - pad,
        int(left + widest + 0.999) + pad,
        int(top + height + 0.999) + pad,
    )


def wrap_to_width(text: str, size: float, max_width: float, *, bold: bool = True) -> list[str]:
    """Lines no wider than `max_width` at `size`: by words, and by characters inside a run
    too long for one line (a long Korean word or a URL)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, size, bold=bold) <= max_width:
            lines[-1] = candidate
            continue
        piece = ""
        for ch in word:
            if piece and text_width(piece + ch, size, bold=bold) > max_width:
                lines.append(piece)
                piece = ""
            piece += ch
        lines.append(piece)
    return lines


def fit_headline(
    text: str, width: int, height: int, *, bold: bool = True, pad_share: float = 0.08
) -> TextBlock | None:
    """The headline wrapped and shrunk until it fits the headline area; at the smallest
    size, the lines that still do not fit are cut with an ellipsis. None for blank text.
    `pad_share` is the outline drawn around the glyphs, of the font size."""
    text = " ".join(text.split())
    if not text:
        return None
    area = headline_area(width, height)
    lay = layout_for(width, height)
    largest = max(8, round(lay.headline_font * height))
    smallest = max(8, round(largest * HEADLINE_MIN_SHARE))
    size = largest
    while True:
        pad = max(1, round(size * pad_share))
        room_w, room_h = area.width - 2 * pad, area.height - 2 * pad
        lines = wrap_to_width(text, size, room_w, bold=bold)
        if len(lines) * size <= room_h or size <= smallest:
            break
        size = max(smallest, round(size * HEADLINE_STEP))
    fits = max(1, room_h // size)
    if len(lines) > fits:
        lines = [*lines[: fits - 1], _cut(" ".join(lines[fits - 1 :]), size, room_w, bold)]
    box = block_box(
        lines, size, centre_x=(area.left + area.right) / 2, top=area.top + pad, bold=bold, pad=pad
    )
    return TextBlock(name="headline", lines=tuple(lines), size=size, box=box, pad=pad)


def _cut(text: str, size: int, max_width: float, bold: bool) -> str:
    while text and text_width(text + ELLIPSIS, size, bold=bold) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


# The visible AI label per language (Korea's AI Basic Act asks generative services to label
# their output; the platforms ask for it too), drawn small at the left just under the
# headline band: inside the title-safe area, clear of the headline and of the captions.
AI_LABELS = {"ko": "AI 생성", "en": "AI generated"}
AI_LABEL_FONT = 0.022  # of frame height
AI_LABEL_PAD = 0.25  # of the font size, around the text


def ai_label_text(language: str) -> str:
    """The label in `language` (English for a language without its own)."""
    return AI_LABELS.get(language, AI_LABELS["en"])


def ai_label_block(text: str, width: int, height: int) -> TextBlock:
    """Where the AI label is drawn, as a TextBlock the safe-area check measures."""
    size = max(10, round(height * AI_LABEL_FONT))
    pad = max(2, round(size * AI_LABEL_PAD))
    left = safe_area(width, height).left
    top = safe_area_headline_end(width, height)
    text_w = round(text_width(text, size, bold=False))
    box = Box(left, top, left + text_w + 2 * pad, top + size + 2 * pad)
    return TextBlock("AI label", (text,), size, box, pad)


def text_box_checks(
    blocks: Sequence[TextBlock], width: int, height: int
) -> list[tuple[str, str, float, float, str]]:
    """QC rows (name, status, measured, limit, message): every text box inside the frame's
    title-safe area. `measured` is how far the worst box reaches outside it, in pixels."""
    safe = safe_area(width, height)
    worst = max((safe.overflow(b.box) for b in blocks), default=0)
    outside = [b.name for b in blocks if not safe.contains(b.box)]
    if outside:
        message = (
            f"{', '.join(outside[:5])} reach{'es' if len(outside) == 1 else ''} up to "
            f"{worst} px outside the title-safe area {_fmt(safe)}"
        )
        status = FAIL
    else:
        message = f"{len(blocks)} text box(es) inside the title-safe area {_fmt(safe)}"
        status = PASS
    return [("text_in_safe_area", status, float(worst), 0.0, message)]


def _fmt(box: Box) -> str:
    return f"({box.left},{box.top})-({box.right},{box.bottom})"


def _ratio(aspect: str) -> float:
    w, h = aspect.split(":")
    return int(w) / int(h)
