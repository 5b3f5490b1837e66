"""Captions: word-highlighted ASS files per scene, and SRT/VTT files for a whole story.

Words are never split: lines wrap on spaces (for Korean, between 어절) by their width as
drawn (measured by render.layout on the font libass uses; plain display columns, wide East
Asian characters counting two, where no frame is given). A page shows at most two lines; the
word being spoken is drawn in the highlight colour, in time with the voice. The scene's
headline is in the same ASS file: text is one layer over the moving picture, laid out inside
the frame's title-safe area.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from render import layout
from render.caption_styles import CaptionStyle
from render.types import WordTiming

__all__ = ["CaptionStyle", "build_ass", "caption_blocks", "caption_pages", "story_cues"]

MAX_LINES = 2
# A pause this long between words starts a new page, so a caption never outlives its sentence.
PAGE_BREAK_PAUSE_MS = 900
WORD_JOINER = "\u2060"
# Sentence ends, and the closing quotes or brackets that may follow one (CJK forms included).
SENTENCE_ENDS = (".", "!", "?", "\u2026", "\u3002", "\uff01", "\uff1f")
CLOSERS = "\"')\u2019\u201d\u300d\u300f"
# The ASS "box" border style: a box behind each line, in the outline colour. Opaque, since
# libass draws one box per colour run and translucent boxes would show their overlaps.
ASS_BOX_ALPHA = "00"

WidthOf = Callable[[str], float]


@dataclass(frozen=True)
class CaptionFit:
    """How captions fit one frame size: ASS font size, the area lines go in, and the measure
    lines are wrapped by (pixels at that size, on the font libass draws with)."""

    size: int
    area: layout.Box
    style: CaptionStyle

    @property
    def max_width(self) -> float:
        return self.area.width - 2 * self.style.pad_px(self.size)

    def width_of(self, text: str) -> float:
        return layout.text_width(
            text, self.size, bold=self.style.bold, family=self.style.font_family
        )


def caption_fit(width: int, height: int, style: CaptionStyle | None = None) -> CaptionFit:
    """The caption size and area of a frame in this style (render.layout decides both)."""
    style = style or CaptionStyle()
    return CaptionFit(
        size=layout.caption_font_size(width, height, style.size_scale),
        area=layout.caption_area(width, height, style.position),
        style=style,
    )


@dataclass(frozen=True)
class CaptionPage:
    """One caption screen: up to two lines of words, shown from start_ms to end_ms."""

    lines: tuple[tuple[WordTiming, ...], ...]
    start_ms: int
    end_ms: int

    @property
    def words(self) -> tuple[WordTiming, ...]:
        return tuple(word for line in self.lines for word in line)

    @property
    def text(self) -> str:
        return "\n".join(" ".join(word.text for word in line) for line in self.lines)


@dataclass(frozen=True)
class Cue:
    """One subtitle cue in story time; `text` lines are separated by newlines."""

    start_ms: int
    end_ms: int
    text: str


def display_width(text: str) -> int:
    """Columns the text takes: wide and fullwidth East Asian characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_words(
    words: Sequence[str],
    *,
    max_units: float,
    width_of: WidthOf = display_width,
    joiner: str = " ",
) -> list[list[str]]:
    """Greedy wrap on word boundaries; a word wider than a line gets a line of its own.
    Widths are `width_of` a line's text (display columns, or pixels from render.layout)."""
    lines: list[list[str]] = []
    for word in words:
        if lines and width_of(joiner.join([*lines[-1], word])) <= max_units:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def caption_pages(
    words: Sequence[WordTiming],
    *,
    max_units: float,
    end_ms: int | None = None,
    hold_ms: int = 600,
    width_of: WidthOf = display_width,
    joiner: str = " ",
) -> list[CaptionPage]:
    """Split timed words into pages of at most two wrapped lines, timed to the voice."""
    words = [_clean(word) for word in words if word.text.strip()]
    groups: list[list[WordTiming]] = []
    for word in words:
        # A page never runs on past a sentence's end: the next sentence starts a fresh page.
        if (
            groups
            and word.start_ms - groups[-1][-1].end_ms < PAGE_BREAK_PAUSE_MS
            and not groups[-1][-1].text.rstrip(CLOSERS).endswith(SENTENCE_ENDS)
        ):
            candidate = [*groups[-1], word]
            texts = [w.text for w in candidate]
            wrapped = wrap_words(texts, max_units=max_units, width_of=width_of, joiner=joiner)
            if len(wrapped) <= MAX_LINES:
                groups[-1] = candidate
                continue
        groups.append([word])
    pages = []
    for number, group in enumerate(groups):
        start = group[0].start_ms
        stop = group[-1].end_ms + hold_ms
        if number + 1 < len(groups):
            stop = min(stop, groups[number + 1][0].start_ms)
        if end_ms is not None:
            stop = min(stop, end_ms)
        stop = max(stop, group[-1].end_ms if end_ms is None else min(group[-1].end_ms, end_ms))
        lines, rest = [], list(group)
        texts = [w.text for w in group]
        for line in wrap_words(texts, max_units=max_units, width_of=width_of, joiner=joiner):
            lines.append(tuple(rest[: len(line)]))
            rest = rest[len(line) :]
        if stop > start:
            pages.append(CaptionPage(lines=tuple(lines), start_ms=start, end_ms=stop))
    return pages


def escape_ass(text: str) -> str:
    """Make user text literal in ASS: braces open override blocks, backslash starts \\N."""
    # A word joiner after a backslash keeps "\N", "\h", "\{" from forming, and draws nothing.
    return (
        text.replace("\\", "\\" + WORD_JOINER)
        .replace("{", "\\{")
        .replace("}", "\\}")
        .replace("\n", " ")
    )


def build_ass(
    *,
    words: Sequence[WordTiming],
    width: int,
    height: int,
    duration_ms: int,
    style: CaptionStyle | None = None,
    headline: str = "",
) -> str:
    """An ASS script for one scene: the headline for the whole scene, and captions with each
    word highlighted while it is spoken, all laid out inside the title-safe area
    (render.layout). The text is a layer of its own, drawn over the moving picture."""
    fit = caption_fit(width, height, style)
    style = fit.style
    size = fit.size
    outline, shadow = style.outline_px(size), style.shadow_px(size)
    colours = f"{_ass_colour(style.text_rgb)},{_ass_colour(style.highlight_rgb)}"
    # BorderStyle 3 draws an opaque box in the outline colour (alpha from the colour).
    border = 3 if style.boxed else 1
    box_colour = _ass_colour(style.outline_rgb, alpha=ASS_BOX_ALPHA if style.boxed else "00")
    head = headline_block(headline, width, height, style)
    head_outline = max(1, round((head.size if head else size) * HEADLINE_OUTLINE))
    pad = style.pad_px(size)
    header = "\n".join(
        [
            "[Script Info]",
            "ScriptType: v4.00+",
            f"PlayResX: {width}",
            f"PlayResY: {height}",
            # 2 = never wrap by itself: we break lines with \N so the two-line limit holds.
            "WrapStyle: 2",
            "ScaledBorderAndShadow: yes",
            "YCbCr Matrix: TV.709",
            "",
            "[V4+ Styles]",
            "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
            "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
            "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
            # Alignment 2 = bottom centre between MarginL and MarginR, so MarginV is the
            # distance of the last line (outline included) from the bottom edge; two lines
            # grow upwards inside the caption area.
            f"Style: Caption,{style.font_family},{size},{colours},{box_colour},&H80000000,"
            f"{-1 if style.bold else 0},0,0,0,100,100,0,0,{border},{outline},{shadow},2,"
            f"{fit.area.left},{width - fit.area.right},{height - fit.area.bottom + pad},1",
            # The headline is placed by \pos (top centre, \an8) at the size that fits.
            f"Style: Headline,{style.font_family},{head.size if head else size},{colours},"
            f"{_ass_colour(style.outline_rgb)},&H80000000,{-1 if style.bold else 0},0,0,0,"
            f"100,100,0,0,1,{head_outline},0,8,0,0,0,1",
            "",
            "[Events]",
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        ]
    )
    events = []
    if head is not None:
        x, y = (head.box.left + head.box.right) / 2, head.box.top + head.pad
        text = "\\N".join(escape_ass(line) for line in head.lines)
        events.append(
            f"Dialogue: 1,{_ass_time(0)},{_ass_time(duration_ms)},Headline,,0,0,0,,"
            f"{{\\an8\\pos({x:g},{y})}}{text}"
        )
    highlight = _ass_colour(style.highlight_rgb)
    for page, block in _laid_out_pages(words, fit, duration_ms):
        reset = "{\\r}" if block.size == size else f"{{\\r\\fs{block.size}}}"
        lead = "" if block.size == size else f"{{\\fs{block.size}}}"
        page_words = page.words
        for i, word in enumerate(page_words):
            start = page.start_ms if i == 0 else word.start_ms
            end = page_words[i + 1].start_ms if i + 1 < len(page_words) else page.end_ms
            if end <= start:
                continue
            spoken = range(i + 1) if style.keep_spoken else range(i, i + 1)
            text = _page_text(
                page, highlighted=spoken, colour=highlight, reset=reset, joiner=style.joiner
            )
            events.append(
                f"Dialogue: 0,{_ass_time(start)},{_ass_time(end)},Caption,,0,0,0,,{lead}{text}"
            )
    return header + "\n" + "\n".join(events) + "\n"


# The headline's outline, of its size: thick enough to read over any picture.
HEADLINE_OUTLINE = 0.06


def headline_block(
    headline: str, width: int, height: int, style: CaptionStyle | None = None
) -> layout.TextBlock | None:
    """The scene's headline as drawn: wrapped and sized by render.layout (None when blank)."""
    style = style or CaptionStyle()
    # The outline is rounded up per size; a little more room keeps it inside the box.
    return layout.fit_headline(
        headline, width, height, bold=style.bold, pad_share=HEADLINE_OUTLINE + 0.01
    )


def caption_blocks(
    *,
    words: Sequence[WordTiming],
    width: int,
    height: int,
    duration_ms: int,
    style: CaptionStyle | None = None,
) -> list[layout.TextBlock]:
    """The box of every caption page build_ass draws, for QC (render.layout.text_box_checks)."""
    fit = caption_fit(width, height, style)
    return [block for _, block in _laid_out_pages(words, fit, duration_ms)]


def _laid_out_pages(
    words: Sequence[WordTiming], fit: CaptionFit, duration_ms: int
) -> list[tuple[CaptionPage, layout.TextBlock]]:
    """Pages wrapped by measured width; a page whose one word is wider than the caption area
    is drawn smaller rather than past the area's edges."""
    out = []
    pages = caption_pages(
        words,
        max_units=fit.max_width,
        end_ms=duration_ms,
        hold_ms=fit.style.hold_ms,
        width_of=fit.width_of,
        joiner=fit.style.joiner,
    )
    for n, page in enumerate(pages, start=1):
        lines = [fit.style.joiner.join(w.text for w in line) for line in page.lines]
        widest = max(fit.width_of(line) for line in lines)
        size = fit.size
        if widest > fit.max_width:
            size = max(8, int(fit.size * fit.max_width / widest))
        # Two lines always fit the area's height at our sizes; a taller preset would shrink.
        room = fit.area.height - 2 * fit.style.pad_px(fit.size)
        size = max(8, min(size, room // len(lines)))
        pad = fit.style.pad_px(size)
        box = layout.block_box(
            lines,
            size,
            centre_x=(fit.area.left + fit.area.right) / 2,
            bottom=fit.area.bottom - fit.style.pad_px(fit.size),
            bold=fit.style.bold,
            pad=pad,
            family=fit.style.font_family,
        )
        out.append((page, layout.TextBlock(f"caption {n}", tuple(lines), size, box)))
    return out


def story_cues(
    *,
    scene_words: Sequence[Sequence[WordTiming]],
    scene_offsets_ms: Sequence[int],
    scene_durations_ms: Sequence[int] | None = None,
    max_units: float = 32,
    hold_ms: int = 600,
    width_of: WidthOf = display_width,
) -> list[Cue]:
    """Subtitle cues for a whole story: each scene's caption pages shifted to story time.
    Pass a CaptionFit's `max_width` and `width_of` for the same pages as the burned captions."""
    cues = []
    for i, (words, offset) in enumerate(zip(scene_words, scene_offsets_ms, strict=True)):
        end_ms = scene_durations_ms[i] if scene_durations_ms is not None else None
        for page in caption_pages(
            words, max_units=max_units, end_ms=end_ms, hold_ms=hold_ms, width_of=width_of
        ):
            cues.append(Cue(offset + page.start_ms, offset + page.end_ms, page.text))
    return cues


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip text for the cues (numbered, comma milliseconds)."""
    blocks = [
        f"{n}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n{c.text}\n"
        for n, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT text for the cues."""
    blocks = [
        f"{_clock(c.start_ms, '.')} --> {_clock(c.end_ms, '.')}\n{_vtt_escape(c.text)}\n"
        for c in cues
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _page_text(
    page: CaptionPage, *, highlighted: range, colour: str, reset: str, joiner: str = " "
) -> str:
    lines, n = [], 0
    for line in page.lines:
        parts = []
        for word in line:
            text = escape_ass(word.text)
            parts.append(f"{{\\c{colour}}}{text}{reset}" if n in highlighted else text)
            n += 1
        lines.append(joiner.join(parts))
    return "\\N".join(lines)


def _clean(word: WordTiming) -> WordTiming:
    text = " ".join(word.text.split())
    return word if text == word.text else WordTiming(text, word.start_ms, word.end_ms)


def _ass_colour(rgb: str, alpha: str = "00") -> str:
    rr, gg, bb = rgb[0:2], rgb[2:4], rgb[4:6]
    return f"&H{alpha}{bb}{gg}{rr}".upper()


def _ass_time(ms: int) -> str:
    cs = max(0, round(ms / 10))
    return f"{cs // 360000}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"


def _clock(ms: int, sep: str) -> str:
    ms = max(0, ms)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
