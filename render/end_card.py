"""The end card: the reel's last segment, a still card naming the business and its offer.

    card = EndCard(headline="Cafe Onion", lines=("2-for-1 lattes", "Seongsu, Seoul", "@onion"))
    render_end_card(card, out_path=clip, profile=profile, encoder=encoder, duration_ms=2500)

The card is drawn with Pillow (Noto Sans CJK, so Hangul renders) inside the title-safe area,
then encoded as a video-only clip with the scene clips' codec, size, fps and timebase, so
assembly still joins every clip by stream copy. It dissolves in from the last scene's picture
(as scenes dissolve into each other), the words fading in with it; the words stand still
while the background drifts (a still picture would read as frozen), and its last frame, the
reel's last, is the card as draw_end_card draws it. Errors are RenderError (FontMissing when
the font is absent).
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from render import runner
from render.clip_commands import BASE, frames_for, with_scan
from render.encoder import video_encoder_args
from render.feeds import Feed
from render.fonts import CAPTION_FAMILY, font_path
from render.layout import safe_area
from render.motion import (
    LeadIn,
    StillRun,
    dissolve_graph,
    frame_times,
    lead_in_inputs,
    lead_in_run,
    still_input,
)
from render.profiles import WATERMARK_TEXT, RenderProfile
from render.qc_scan import write_scan
from render.runner import DEFAULT_TIMEOUTS, Timeouts
from render.still_frames import dissolve_from, frame_planes
from render.text_layer import rgb_to_yuv, rgba_band

WORDS_FADE_S = 0.4
BODY_SCALE = 0.62

# Card colours per story style: (background top, background bottom, headline, text, accent).
_Colours = tuple[tuple[int, int, int], ...]
COLOURS: dict[str, _Colours] = {
    "modern": ((24, 28, 38), (52, 60, 84), (255, 255, 255), (222, 228, 240), (255, 196, 72)),
    "vivid": ((86, 18, 110), (220, 40, 90), (255, 255, 255), (255, 236, 246), (255, 226, 64)),
    "calm": ((214, 232, 236), (246, 226, 222), (34, 52, 66), (54, 72, 86), (196, 106, 92)),
    "retro": ((58, 32, 22), (140, 78, 40), (255, 236, 200), (246, 220, 180), (255, 170, 60)),
    "minimal": ((242, 242, 240), (226, 226, 222), (20, 20, 20), (60, 60, 60), (200, 60, 40)),
    "food": ((48, 22, 12), (120, 52, 20), (255, 246, 230), (250, 228, 200), (255, 186, 80)),
}


@dataclass(frozen=True)
class EndCard:
    """What the card says: a headline (the business name, else the title) and up to three
    lines under it (offer, place, contact; else the call to action)."""

    headline: str
    lines: tuple[str, ...] = ()
    style: str = "modern"
    font_family: str = CAPTION_FAMILY  # render.fonts.family_for(language) for other scripts

    def key(self) -> str:
        """A short hash of everything the card shows, for naming cached clips."""
        family = [] if self.font_family == CAPTION_FAMILY else [self.font_family]
        text = "\x1f".join([self.headline, *self.lines, self.style, *family])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def safe_box(width: int, height: int) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the frame's title-safe area (render.layout), so the card's
    text stays clear of the platforms' buttons like every other text layer."""
    area = safe_area(width, height)
    return area.left, area.top, area.right, area.bottom


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Lines no wider than `max_width`: by words, by characters for long Korean runs."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= max_width:
            lines[-1] = candidate
            continue
        piece = ""
        for ch in word:
            if piece and font.getlength(piece + ch) > max_width:
                lines.append(piece)
                piece = ""
            piece += ch
        lines.append(piece)
    return lines


def _layout(card: EndCard, box: tuple[int, int, int, int], path: str):
    """Fonts and wrapped lines that fit `box`, the details at BODY_SCALE of the headline's
    size (at half, the offer and contact read small on a phone's 9:16 screen)."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    size = max(12, min(width // 7, height // 6))
    while True:
        head_font = ImageFont.truetype(path, size)
        body_font = ImageFont.truetype(path, max(10, round(size * BODY_SCALE)))
        rows = [(line, head_font) for line in _wrap(card.headline, head_font, width)]
        for text in card.lines:
            rows += [(line, body_font) for line in _wrap(text, body_font, width)]
        total = sum(round(font.size * 1.3) for _, font in rows) + round(size * 0.5)
        fits = total <= height and all(font.getlength(t) <= width for t, font in rows)
        if fits or size <= 12:
            return rows, total
        size = int(size * 0.9)


def _row_colours(card: EndCard, *, height: int, rows: int) -> np.ndarray:
    """The card's vertical gradient for a `height` frame, one RGB colour per row, `rows` of
    them (the gradient goes on past the frame's bottom so that the clip can drift over it)."""
    top_c, bottom_c = (np.array(c, float) for c in COLOURS.get(card.style, COLOURS["modern"])[:2])
    t = np.arange(rows, dtype=float)[:, None] / max(1, height - 1)
    # Python's round halves to even, as numpy's rint does.
    return np.clip(np.rint(top_c + (bottom_c - top_c) * t), 0, 255).astype(np.uint8)


def _background(card: EndCard, *, width: int, height: int) -> Image.Image:
    """The card's gradient for a frame of `width` x `height`."""
    colours = _row_colours(card, height=height, rows=height)
    return Image.fromarray(
        np.ascontiguousarray(np.broadcast_to(colours[:, None], (height, width, 3)))
    )


def _text_layer(
    card: EndCard, *, width: int, height: int, watermark: bool
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The card's words on a transparent layer, and the box they were drawn in."""
    head_c, text_c, accent = COLOURS.get(card.style, COLOURS["modern"])[2:]
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    box = safe_box(width, height)
    rows, total = _layout(card, box, str(font_path(bold=True, family=card.font_family)))
    y = box[1] + (box[3] - box[1] - total) // 2
    text_left, text_right, text_top = width, 0, y
    for number, (line, font) in enumerate(rows):
        line_width = font.getlength(line)
        x = box[0] + round((box[2] - box[0] - line_width) / 2)
        colour = head_c if font is rows[0][1] else text_c
        draw.text((x, y), line, font=font, fill=colour)
        text_left, text_right = min(text_left, x), max(text_right, x + round(line_width))
        y += round(font.size * 1.3)
        if number + 1 < len(rows) and rows[number + 1][1] is not font:
            # An accent rule between the headline and the details.
            rule_y = y + round(font.size * 0.2)
            half, middle = round(width * 0.08), (box[0] + box[2]) // 2
            draw.rectangle([middle - half, rule_y, middle + half, rule_y + 3], fill=accent)
            y += round(font.size * 0.5)
    if watermark:
        size = round(height * 0.03)
        font = ImageFont.truetype(str(font_path(bold=True)), size)
        draw.text(
            (width - font.getlength(WATERMARK_TEXT) - height * 0.03, height * 0.012),
            WATERMARK_TEXT,
            font=font,
            fill=(200, 200, 200),
        )
    return image, (text_left, text_top, text_right, y)


def draw_end_card(
    card: EndCard, *, width: int, height: int, out_path: Path, watermark: bool = False
) -> tuple[int, int, int, int]:
    """The card as a PNG of `width` x `height` (the clip's last frame); returns the box
    (left, top, right, bottom) its text was drawn in, which lies inside safe_box. Raises
    FontMissing."""
    image = _background(card, width=width, height=height).convert("RGBA")
    layer, box = _text_layer(card, width=width, height=height, watermark=watermark)
    Image.alpha_composite(image, layer).convert("RGB").save(out_path)
    return box


def end_card_cmd(
    *,
    picture_url: str,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    duration_ms: int,
    threads: int = 0,
    lead_in: LeadIn | None = None,
    scan_log: Path | None = None,
) -> list[str]:
    """A video-only clip of the card, its frames arriving raw on `picture_url` (write_frames),
    dissolving in from `lead_in` when that is a video (a still's dissolve is in the frames);
    `scan_log` as render.clip_commands.with_scan's."""
    frames = frames_for(duration_ms, profile.fps)
    picture = dissolve_graph(
        lead_in=lead_in, source="[card]", out="v", profile=profile, frames=frames
    )
    return [
        *BASE,
        *still_input(picture_url, profile),
        *lead_in_inputs(lead_in, profile=profile, frames=frames),
        "-filter_complex",
        with_scan(f"[0:v]{frame_times(profile)},setsar=1[card];{picture}", scan_log, profile),
        "-map",
        "[v]",
        "-frames:v",
        str(frames),
        "-an",
        *video_encoder_args(encoder=encoder, profile=profile, threads=threads),
        "-f",
        "mp4",
        str(out_path),
    ]


def write_frames(
    card: EndCard,
    profile: RenderProfile,
    out: BinaryIO,
    *,
    frames: int,
    under: StillRun | None = None,
    words_fade: bool = True,
) -> None:
    """Write the card's `frames` frames to `out`, raw yuv420p. The words stand still while the
    background drifts up two pixels a frame (a still card would read as a frozen picture),
    ending where draw_end_card draws it. With `under` (the last scene's still carrying on),
    the card dissolves in over it, its words with it; else, with `words_fade`, the words fade
    in over WORDS_FADE_S."""
    w, h = profile.width, profile.height
    rows = h + 2 * frames
    colours = _row_colours(card, height=h, rows=rows).astype(np.float32)
    luma, u, v = rgb_to_yuv(colours[:, 0], colours[:, 1], colours[:, 2])
    # One value a row; 4:2:0 chroma rows are the mean of two rows.
    u, v = (plane.reshape(rows // 2, 2).mean(axis=1) for plane in (u, v))
    luma, u, v = (np.clip(np.rint(p), 0, 255).astype(np.uint8)[:, None] for p in (luma, u, v))
    layer, _ = _text_layer(card, width=w, height=h, watermark=profile.watermark)
    words, (left, top) = _words_layer(layer)
    rgba = np.asarray(words)
    held = rgba_band(rgba, top=top, left=left)
    fade_frames = round(WORDS_FADE_S * profile.fps) if under is None and words_fade else 0
    dissolve = dissolve_from(under, profile)
    frame = np.empty(w * h * 3 // 2, np.uint8)
    planes = frame_planes(frame, w, h)
    for n in range(frames):
        drift = frames - 1 - n
        planes[0][:] = luma[2 * drift : 2 * drift + h]
        planes[1][:] = u[drift : drift + h // 2]
        planes[2][:] = v[drift : drift + h // 2]
        band = (
            held
            if n >= fade_frames
            else rgba_band(rgba, top=top, left=left, opacity=n / fade_frames)
        )
        band.draw(planes)
        dissolve(frame, n)
        out.write(frame.data)


def _words_layer(layer: Image.Image) -> tuple[Image.Image, tuple[int, int]]:
    """The part of the transparent layer that holds anything, on even pixels (4:2:0 chroma):
    (that part, where it goes)."""
    left, top, right, bottom = layer.getchannel("A").getbbox() or (0, 0, 2, 2)
    left, top = left // 2 * 2, top // 2 * 2
    right = min(layer.width, (right + 1) // 2 * 2)
    bottom = min(layer.height, (bottom + 1) // 2 * 2)
    return layer.crop((left, top, right, bottom)), (left, top)


def render_end_card(
    card: EndCard,
    *,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    duration_ms: int,
    threads: int = 0,
    lead_in: LeadIn | None = None,
    cancel: threading.Event | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    scan_path: Path | None = None,
) -> Path:
    """The end card clip in `out_path` (atomic), joinable with the story's scene clips,
    dissolving in from `lead_in` (the last scene) when given; with `scan_path`, its black
    and frozen spans as render.qc_scan.ClipScan JSON there."""
    frames = frames_for(duration_ms, profile.fps)
    lead_run = lead_in_run(lead_in, profile=profile, frames=frames)
    video_lead = lead_in if lead_in is not None and lead_run is None else None
    with tempfile.TemporaryDirectory(prefix="end-card-") as tmp:
        scan_log = Path(tmp) / "scan.log" if scan_path is not None else None
        picture = Feed(
            lambda out: write_frames(
                card, profile, out, frames=frames, under=lead_run, words_fade=video_lead is None
            )
        )
        runner.run_to_file(
            lambda tmp_out: end_card_cmd(
                picture_url=picture.url,
                out_path=tmp_out,
                profile=profile,
                encoder=encoder,
                duration_ms=duration_ms,
                threads=threads,
                lead_in=video_lead,
                scan_log=scan_log,
            ),
            Path(out_path),
            step="end card",
            cancel=cancel,
            media_s=duration_ms / 1000,
            timeouts=timeouts,
            feeds=[picture],
        )
        if scan_path is not None and scan_log is not None:
            write_scan(scan_log, scan_path, frames=frames, fps=profile.fps)
        return Path(out_path)
