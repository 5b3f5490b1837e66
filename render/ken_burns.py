"""Where a scene's Ken Burns view is on each frame, and the whole-pixel cuts that show it.

    plan = view_cuts(size=(1080, 1920), canvas=(1638, 2445), views=[View(...), ...])

A view is a zoom and a centre, in "base" pixels: the frame's own pixels at zoom 1. Showing a
view at a fractional zoom and centre needs a resample of every frame. FFmpeg 5.1's filters
that resample at a fractional offset (perspective, rotate) cost ~29 CPU ms per 1080x1920
frame, twice x264 veryfast; zoompan, crop and scale land on whole pixels, which steps. But
swscale itself maps a W-pixel window onto w pixels with centres aligned, i.e. at the exact
ratio W/w: so the view is cut from an oversampled canvas in three whole-pixel steps

    crop (x, w) of the canvas -> scale to `scaled` pixels -> crop `size` at `offset`

and the canvas pixel under output pixel edge u is x + (u + offset) * w / scaled. Over a few
dozen (scaled, w, offset) candidates, one lands within a few hundredths of a pixel of the
asked position at both edges of the frame (see `cut`; the centre lands closer still). The
ratios w / scaled on offer are spaced ~1e-4 apart, so a frame's edges can land up to ~0.07
px off, and as the zoom grows the edges' step from frame to frame varies by about that much
(0.2-0.35 px a frame at the final's edges); the centre's pan does not. render.motion cuts
each 4:2:0 plane on its own (chroma_cuts for the half-size chroma planes): ~10 CPU ms a
1080x1920 frame against ~15 for one cut in 4:4:4 and the conversion back, about half of it
setting swscale up again for each frame's new sizes (~2 ms a plane). The
canvas is OVERSAMPLE times the base size, so the cut is always a downscale (the ratio
w / scaled moves with the offset, which is what lets the position land between pixels), and
it keeps MARGIN base pixels round the widest view for the candidates' spare width.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

OVERSAMPLE = 1.25
# Spare output pixels a cut may scale to and crop off again: more candidates, finer landing.
SEARCH = 16
# Base pixels of canvas beyond the widest view on each side: room for SEARCH at any zoom.
MARGIN = SEARCH + 2


@dataclass(frozen=True)
class View:
    """A zoom (1 = the frame's own pixels) centred at (cx, cy) base pixels of the canvas."""

    zoom: float
    cx: float
    cy: float


@dataclass(frozen=True)
class Cut:
    """One axis of a view as whole pixels: crop `length` canvas pixels from `start`, scale
    them to `scaled`, keep the frame's pixels from `offset`. `near` and `far` are how far
    (output pixels) the frame's two edges land from where the view puts them."""

    start: int
    length: int
    scaled: int
    offset: int
    near: float
    far: float

    @property
    def error(self) -> float:
        return max(abs(self.near), abs(self.far))


def canvas_size(size: int, travel: int) -> int:
    """Canvas pixels along an axis of `size` output pixels with `travel` base pixels of pan;
    even, so its 4:2:0 chroma planes are exactly half of it."""
    return 2 * math.ceil(OVERSAMPLE * (size + travel + 2 * MARGIN) / 2)


@functools.lru_cache(maxsize=4096)
def cut(*, size: int, canvas: int, left: float, scale: float) -> Cut:
    """The whole-pixel cut whose output edge u lands nearest canvas position left + u * scale
    (u = 0..size), staying inside `canvas`. Cached: a long scene holds the same view for
    its first frames, and the dissolve into the next scene repeats this one's end."""
    best: Cut | None = None
    for scaled in range(size, size + SEARCH + 1):
        for length in {math.floor(scaled * scale), math.ceil(scaled * scale)}:
            ratio = length / scaled
            slope = size * (ratio - scale)  # how far the right edge drifts from the left's
            for offset in range(scaled - size + 1):
                start = round(left - offset * ratio - slope / 2)
                if start < 0 or start + length > canvas:
                    continue
                near = (start + offset * ratio - left) / scale
                found = Cut(start, length, scaled, offset, near, near + slope / scale)
                if best is None or found.error < best.error:
                    best = found
    if best is None:
        raise ValueError(f"no cut of a {canvas} px canvas shows {size} px at {left:.2f}")
    return best


def view_cuts(*, size: tuple[int, int], canvas: tuple[int, int], view: View) -> tuple[Cut, Cut]:
    """The (horizontal, vertical) cuts that show `view` on a frame of `size` from a canvas of
    `canvas` pixels (OVERSAMPLE canvas pixels per base pixel)."""
    scale = OVERSAMPLE / view.zoom
    return tuple(  # type: ignore[return-value]
        cut(
            size=length,
            canvas=room,
            left=OVERSAMPLE * (centre - length / (2 * view.zoom)),
            scale=scale,
        )
        for length, room, centre in zip(size, canvas, (view.cx, view.cy), strict=True)
    )


def chroma_cuts(*, size: tuple[int, int], canvas: tuple[int, int], view: View) -> tuple[Cut, Cut]:
    """As view_cuts for the 4:2:0 chroma planes (half the frame and canvas along each axis),
    cut on their own so that colour lands where the luma does. Canvas and frame site their
    chroma alike (horizontally on the even luma samples, vertically between two rows): a
    chroma edge c sits at luma edge 2c - 1/2 across and 2c down, so the view's luma mapping
    x = left + u * scale becomes chroma left / 2 + c * scale, plus (1 - scale) / 4 across.
    A chroma cut lands within ~0.05 of its own pixel (~0.1 luma pixel; luma's: ~0.05): more
    spare pixels to search would land it closer for ~4x the planning time."""
    scale = OVERSAMPLE / view.zoom
    lefts = [
        OVERSAMPLE * (centre - length / (2 * view.zoom))
        for length, centre in zip(size, (view.cx, view.cy), strict=True)
    ]
    return (
        cut(
            size=size[0] // 2,
            canvas=canvas[0] // 2,
            left=lefts[0] / 2 + (1 - scale) / 4,
            scale=scale,
        ),
        cut(size=size[1] // 2, canvas=canvas[1] // 2, left=lefts[1] / 2, scale=scale),
    )
