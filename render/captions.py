"""Captions: word-highlighted ASS files per scene, and SRT/VTT files for a whole story.

Words are never split: lines wrap on spaces (for Korean, between 어절) by display width,
where East Asian wide characters count two units. A page shows at most two lines; the word
being spoken is drawn in the highlight colour, in time with the voice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from render.fonts import CAPTION_FAMILY
from render.types import WordTiming

MAX_LINES = 2
# Platform UI covers the top 15% and bottom 25% of a 9:16 frame; keep text out of both.
SAFE_TOP = 0.15
SAFE_BOTTOM = 0.25
# A pause this long between words starts a new page, so a caption never outlives its sentence.
PAGE_BREAK_PAUSE_MS = 900
# One display unit (half a CJK em) in font sizes; Latin letters of the bold face average
# ~0.55 em, so this keeps a line of either script inside the margins.
UNIT_EM = 0.55
WORD_JOINER = "\u2060"
# Sentence ends, and the closing quotes or brackets that may follow one (CJK forms included).
SENTENCE_ENDS = (".", "!", "?", "\u2026", "\u3002", "\uff01", "\uff1f")
CLOSERS = "\"')\u2019\u201d\u300d\u300f"


@dataclass(frozen=True)
class CaptionStyle:
    """How captions look; sizes are fractions of the frame so preview matches final."""

    font_size: float = 0.05  # of frame height: short-form captions are read at a glance
    side_margin: float = 0.08  # of frame width, each side
    bottom_margin: float = SAFE_BOTTOM + 0.02  # of frame height, from the bottom edge
    text_rgb: str = "FFFFFF"
    highlight_rgb: str = "FFD400"
    outline_rgb: str = "000000"
    hold_ms: int = 600  # how long the last page stays after its last word

    def font_px(self, height: int) -> int:
        return max(8, round(self.font_size * height))

    def max_line_units(self, width: int, height: int) -> int:
        usable_px = width - 2 * round(self.side_margin * width)
        return max(4, int(usable_px / (UNIT_EM * self.font_px(height))))


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


def wrap_words(words: Sequence[str], *, max_units: int) -> list[list[str]]:
    """Greedy wrap on word boundaries; a word wider than a line gets a line of its own."""
    lines: list[list[str]] = []
    width = 0
    for word in words:
        word_units = display_width(word)
        if lines and width + 1 + word_units <= max_units:
            lines[-1].append(word)
            width += 1 + word_units
        else:
            lines.append([word])
            width = word_units
    return lines


def caption_pages(
    words: Sequence[WordTiming], *, max_units: int, end_ms: int | None = None, hold_ms: int = 600
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
            if len(wrap_words([w.text for w in candidate], max_units=max_units)) <= MAX_LINES:
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
        for line in wrap_words([w.text for w in group], max_units=max_units):
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
) -> str:
    """An ASS script for one scene: each word highlighted while it is spoken, in the safe zone."""
    style = style or CaptionStyle()
    font_px = style.font_px(height)
    side_px = round(style.side_margin * width)
    bottom_px = round(style.bottom_margin * height)
    outline_px = max(1, round(font_px * 0.08))
    shadow_px = max(1, round(font_px * 0.03))
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
            # Alignment 2 = bottom centre, so MarginV is the distance of the last line from the
            # bottom edge; two lines grow upwards and stay below the top 15%.
            f"Style: Caption,{CAPTION_FAMILY},{font_px},{_ass_colour(style.text_rgb)},"
            f"{_ass_colour(style.highlight_rgb)},{_ass_colour(style.outline_rgb)},&H80000000,"
            f"-1,0,0,0,100,100,0,0,1,{outline_px},{shadow_px},2,{side_px},{side_px},{bottom_px},1",
            "",
            "[Events]",
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        ]
    )
    events = []
    max_units = style.max_line_units(width, height)
    highlight = _ass_colour(style.highlight_rgb)
    for page in caption_pages(
        words, max_units=max_units, end_ms=duration_ms, hold_ms=style.hold_ms
    ):
        page_words = page.words
        for i, word in enumerate(page_words):
            start = page.start_ms if i == 0 else word.start_ms
            end = page_words[i + 1].start_ms if i + 1 < len(page_words) else page.end_ms
            if end <= start:
                continue
            text = _page_text(page, highlighted=i, colour=highlight)
            events.append(f"Dialogue: 0,{_ass_time(start)},{_ass_time(end)},Caption,,0,0,0,,{text}")
    return header + "\n" + "\n".join(events) + "\n"


def story_cues(
    *,
    scene_words: Sequence[Sequence[WordTiming]],
    scene_offsets_ms: Sequence[int],
    scene_durations_ms: Sequence[int] | None = None,
    max_units: int = 32,
    hold_ms: int = 600,
) -> list[Cue]:
    """Subtitle cues for a whole story: each scene's caption pages shifted to story time."""
    cues = []
    for i, (words, offset) in enumerate(zip(scene_words, scene_offsets_ms, strict=True)):
        end_ms = scene_durations_ms[i] if scene_durations_ms is not None else None
        for page in caption_pages(words, max_units=max_units, end_ms=end_ms, hold_ms=hold_ms):
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


def _page_text(page: CaptionPage, *, highlighted: int, colour: str) -> str:
    lines, n = [], 0
    for line in page.lines:
        parts = []
        for word in line:
            text = escape_ass(word.text)
            parts.append(f"{{\\c{colour}}}{text}{{\\r}}" if n == highlighted else text)
            n += 1
        lines.append(" ".join(parts))
    return "\\N".join(lines)


def _clean(word: WordTiming) -> WordTiming:
    text = " ".join(word.text.split())
    return word if text == word.text else WordTiming(text, word.start_ms, word.end_ms)


def _ass_colour(rgb: str) -> str:
    rr, gg, bb = rgb[0:2], rgb[2:4], rgb[4:6]
    return f"&H00{bb}{gg}{rr}".upper()


def _ass_time(ms: int) -> str:
    cs = max(0, round(ms / 10))
    return f"{cs // 360000}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"


def _clock(ms: int, sep: str) -> str:
    ms = max(0, ms)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
