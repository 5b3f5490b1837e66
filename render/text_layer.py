"""A still scene's text layer (headline and captions), drawn into its frames in Python.

    layer = text_layer(ass_text, width=1080, height=1920, fps=30, frames=150)
    layer.draw((y, u, v), n)      # the planes of frame n, drawn over in place

FFmpeg's `ass` filter asks libass for every frame and blends each of its bitmaps onto the
whole picture in plain C: ~3.5 CPU ms a 1080x1920 frame, most of a clip's cost beside the
encoder. Yet the text only changes when a word is spoken. Here libass (render.libass) draws
each state of the text once; the bitmaps are composited into bands (the headline's lines,
the caption), held as a premultiplied colour and a coverage per 4:2:0 plane, and each frame
takes two OpenCV operations per plane and band, ~0.3 ms a frame in all.

The result is the filter's to within one or two levels: the colours go to YUV as FFmpeg's
drawing code converts them (BT.601, limited range), chroma takes the mean coverage of each
2x2 block as its blend does, and each frame asks libass for the same time the filter would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from render.libass import AssImage, renderer
from render.opencv import cv2

# Bitmaps closer than this (rows) share a band: a headline's lines, a caption's two lines.
BAND_GAP = 16
_DIALOGUE = re.compile(r"^Dialogue:\s*\d+,(\d+):(\d\d):(\d\d)\.(\d\d),(\d+):(\d\d):(\d\d)\.(\d\d),")

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]
Value = TypeVar("Value", float, np.ndarray)


@dataclass(frozen=True)
class Band:
    """Composited text over rows and columns of the frame (even, for 4:2:0), per plane: the
    premultiplied colour to add and how much of the picture to keep (0..255)."""

    top: int
    left: int
    luma: np.ndarray
    luma_keep: np.ndarray
    u: np.ndarray
    v: np.ndarray
    chroma_keep: np.ndarray

    def draw(self, planes: Planes) -> None:
        lib = cv2()
        h, w = self.luma.shape
        top, left = self.top, self.left
        areas = (
            (planes[0][top : top + h, left : left + w], self.luma, self.luma_keep),
            (planes[1][top // 2 : (top + h) // 2, left // 2 : (left + w) // 2], self.u, None),
            (planes[2][top // 2 : (top + h) // 2, left // 2 : (left + w) // 2], self.v, None),
        )
        for area, colour, keep in areas:
            lib.multiply(area, self.chroma_keep if keep is None else keep, dst=area, scale=1 / 255)
            lib.add(area, colour, dst=area)


@dataclass(frozen=True)
class TextLayer:
    """The text of each frame: `states[state_of[n]]` are the bands drawn on frame n."""

    states: tuple[tuple[Band, ...], ...]
    state_of: tuple[int, ...]

    def draw(self, planes: Planes, n: int) -> None:
        for band in self.states[self.state_of[n]]:
            band.draw(planes)


def event_times(ass_text: str) -> list[tuple[int, int]]:
    """(start, end) in ms of each Dialogue event of an ASS script, as libass reads them."""
    times = []
    for line in ass_text.splitlines():
        match = _DIALOGUE.match(line)
        if match:
            h, m, s, cs, h2, m2, s2, cs2 = (int(part) for part in match.groups())
            start = ((h * 60 + m) * 60 + s) * 1000 + cs * 10
            times.append((start, ((h2 * 60 + m2) * 60 + s2) * 1000 + cs2 * 10))
    return times


def frame_ms(n: int, fps: int) -> int:
    """The time FFmpeg's filter gives libass for frame n (pts n on a 1/fps timebase),
    with its double arithmetic and truncation: frame 3 at 30 fps is 99 ms, not 100."""
    return int(n * (1.0 / fps) * 1000)


def text_layer(ass_text: str, *, width: int, height: int, fps: int, frames: int) -> TextLayer:
    """The layer of a clip of `frames` frames: libass draws each state of the text once."""
    events = event_times(ass_text)
    keys = [
        frozenset(i for i, (start, end) in enumerate(events) if start <= frame_ms(n, fps) < end)
        for n in range(frames)
    ]
    states: list[tuple[Band, ...]] = []
    state_of: list[int] = []
    bands: dict[tuple, Band] = {}  # the headline's band is the same in every state
    with renderer(width, height) as draw, draw.track(ass_text) as track:
        for n, key in enumerate(keys):
            if n == 0 or key != keys[n - 1]:
                images = draw.images(track, now_ms=frame_ms(n, fps))
                states.append(tuple(_band(group, bands) for group in _groups(images)))
            state_of.append(len(states) - 1)
    return TextLayer(states=tuple(states), state_of=tuple(state_of))


def _groups(images: Sequence[AssImage]) -> list[list[AssImage]]:
    """The images in bands of rows no closer than BAND_GAP, each band in drawing order."""
    spans: list[list[int]] = []
    for top, bottom in sorted((i.y, i.y + i.mask.shape[0]) for i in images):
        if spans and top <= spans[-1][1] + BAND_GAP:
            spans[-1][1] = max(spans[-1][1], bottom)
        else:
            spans.append([top, bottom])
    return [[i for i in images if top <= i.y < bottom] for top, bottom in spans]


def _band(images: Sequence[AssImage], cache: dict[tuple, Band]) -> Band:
    key = tuple((i.x, i.y, i.rgb, i.opacity, i.mask.shape, i.mask.tobytes()) for i in images)
    if key not in cache:
        cache[key] = _composite(images)
    return cache[key]


def _composite(images: Sequence[AssImage]) -> Band:
    """The images blended in order over nothing, as FFmpeg blends them over a picture: each
    takes mask x opacity of its colour, and keeps the rest of what is under it."""
    top = min(i.y for i in images) // 2 * 2
    left = min(i.x for i in images) // 2 * 2
    bottom = -(-max(i.y + i.mask.shape[0] for i in images) // 2) * 2
    right = -(-max(i.x + i.mask.shape[1] for i in images) // 2) * 2
    luma = np.zeros((bottom - top, right - left), np.float32)
    keep = np.ones_like(luma)
    chroma = np.zeros((2, *luma[::2, ::2].shape), np.float32)
    chroma_keep = np.ones_like(chroma[0])
    for image in images:
        h, w = image.mask.shape
        y, x = image.y - top, image.x - left
        alpha = image.mask.astype(np.float32) * (image.opacity / 255)
        colour_y, colour_u, colour_v = _yuv(image.rgb)
        area = (slice(y, y + h), slice(x, x + w))
        luma[area] = luma[area] * (1 - alpha) + colour_y * alpha
        keep[area] *= 1 - alpha
        # Chroma: the mean coverage of each 2x2 block, the image's edges padded with none.
        y0, x0 = y // 2 * 2, x // 2 * 2
        padded = np.zeros((-(-(y + h - y0) // 2) * 2, -(-(x + w - x0) // 2) * 2), np.float32)
        padded[y - y0 : y - y0 + h, x - x0 : x - x0 + w] = alpha
        block = _halved(padded)
        rows, cols = block.shape
        small = (slice(y0 // 2, y0 // 2 + rows), slice(x0 // 2, x0 // 2 + cols))
        for plane, colour in zip(chroma, (colour_u, colour_v), strict=True):
            plane[small] = plane[small] * (1 - block) + colour * block
        chroma_keep[small] *= 1 - block
    return Band(
        top=top,
        left=left,
        luma=_u8(luma),
        luma_keep=_u8(keep * 255),
        u=_u8(chroma[0]),
        v=_u8(chroma[1]),
        chroma_keep=_u8(chroma_keep * 255),
    )


def rgba_band(rgba: np.ndarray, *, top: int, left: int, opacity: float = 1.0) -> Band:
    """A Band of a picture with straight alpha (h x w x 4, placed at even `top`, `left`), as
    FFmpeg's overlay draws it at `opacity`: chroma blended with each 2x2 block's mean alpha."""
    alpha = rgba[..., 3].astype(np.float32) * (opacity / 255)
    y, u, v = rgb_to_yuv(*(rgba[..., c].astype(np.float32) for c in range(3)))
    block_alpha = _halved(alpha)
    return Band(
        top=top,
        left=left,
        luma=_u8(y * alpha),
        luma_keep=_u8((1 - alpha) * 255),
        u=_u8(_halved(u) * block_alpha),
        v=_u8(_halved(v) * block_alpha),
        chroma_keep=_u8((1 - block_alpha) * 255),
    )


def _yuv(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    return rgb_to_yuv(*(float(c) for c in rgb))


def rgb_to_yuv(r: Value, g: Value, b: Value) -> tuple[Value, Value, Value]:
    """RGB (numbers or arrays, 0..255) in limited-range BT.601 YUV, as FFmpeg converts it."""
    return (
        16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255,
        128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255,
        128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255,
    )


def _halved(values: np.ndarray) -> np.ndarray:
    """The mean of each 2x2 block (even sizes): OpenCV's area resize at half size."""
    h, w = values.shape
    return cv2().resize(values, (w // 2, h // 2), interpolation=cv2().INTER_AREA)


def _u8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)
