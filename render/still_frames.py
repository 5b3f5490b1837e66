"""The frames of a still's Ken Burns zoom and pan, made here and sent to FFmpeg as raw 4:2:0.

    feed = still_feed(StillRun(image_path, index=2, frames=90, first=0, count=90), profile)
    argv = [..., *motion.still_input(feed.url, profile), ...]  # runner.run_ffmpeg(feeds=[feed])

Showing a view at a fractional zoom and centre needs a resample of every frame. FFmpeg 5.1's
filters that resample at a fractional offset (perspective, rotate) cost ~29 CPU ms per
1080x1920 frame, twice x264 veryfast; zoompan, crop and scale land on whole pixels, which
steps, and cutting each frame from an oversampled canvas with whole-pixel crop and scale sizes
that happen to land between pixels cost ~10 ms, half of it swscale set up again for every
frame's new size. Here each 4:2:0 plane is warped on its own by OpenCV's bilinear
`warpAffine` straight to its exact sub-pixel view: ~2 CPU ms a 1080x1920 frame on one core.

The still is cover-scaled once by FFmpeg (lanczos, and the same RGB to YUV conversion as every
other picture of the reel) to a canvas OVERSAMPLE times the frame's pixels, so every frame is
a slight downscale of it: no frame is sharper than the next as the view slides between pixels.
Chroma is sited like FFmpeg's 4:2:0 (horizontally on the even luma samples, vertically between
two rows), so colour lands where the luma does.
"""

from __future__ import annotations

import math
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import BinaryIO

import numpy as np

from render import runner
from render.feeds import Feed
from render.motion import (
    FINAL_FOR,
    MOTION_FRAMES,
    OVERSAMPLE,
    SPEED,
    StillRun,
    View,
    canvas_size,
    motion_for,
    views,
)
from render.opencv import cv2 as _cv2
from render.profiles import RenderProfile
from render.text_layer import Planes, text_layer


def still_feed(
    run: StillRun, profile: RenderProfile, *, under: StillRun | None = None, text: str = ""
) -> Feed:
    """A Feed that writes `run`'s frames (render.feeds); with `under` (the previous scene's
    still carrying on, render.motion.lead_in_run), dissolved from it; with `text` (an ASS
    script), that text drawn over them (render.text_layer)."""
    return Feed(lambda out: write_frames(run, profile, out, under=under, text=text))


def canvas_for(index: int, profile: RenderProfile) -> tuple[int, int]:
    """The canvas (pixels) of scene `index`'s still: the frame and the pan's travel, with
    OVERSAMPLE canvas pixels per frame pixel."""
    w, h = profile.width, profile.height
    pan = motion_for(index)
    travel = math.ceil(float(SPEED) * w / FINAL_FOR[(w, h)][0] * MOTION_FRAMES)
    return canvas_size(w, travel * abs(pan.dx)), canvas_size(h, travel * abs(pan.dy))


def write_frames(
    run: StillRun,
    profile: RenderProfile,
    out: BinaryIO,
    *,
    under: StillRun | None = None,
    text: str = "",
) -> None:
    """Write `run`'s frames to `out`, raw yuv420p one after another. With `under`, the first
    of them dissolve from its frames: frame k shows k / (under.count - 1) of this picture
    over the rest of that one, as FFmpeg's xfade would (both ends included), with no 4:4:4
    round trip and no second stream. With `text`, the ASS script's text is drawn over every
    frame, as FFmpeg's `ass` filter would draw it on frame `run.first + k`."""
    w, h = profile.width, profile.height
    layer = (
        text_layer(text, width=w, height=h, fps=profile.fps, frames=run.first + run.count)
        if text
        else None
    )
    dissolve = dissolve_from(under, profile)
    for k, frame in enumerate(moving_frames(run, profile)):
        dissolve(frame, k)
        if layer is not None:
            layer.draw(frame_planes(frame, w, h), run.first + k)
        out.write(frame.data)


def dissolve_from(
    under: StillRun | None, profile: RenderProfile
) -> Callable[[np.ndarray, int], None]:
    """What blends frame k of a clip (raw yuv420p, in place) over frame k of `under`, a
    still carrying on: k / (under.count - 1) of the clip's picture while `under` lasts, as
    FFmpeg's xfade would (both ends included); nothing without `under`."""
    if under is None:
        return lambda frame, k: None
    below = moving_frames(under, profile)
    steps = max(1, under.count - 1)

    def blend(frame: np.ndarray, k: int) -> None:
        if k < under.count:
            share = k / steps
            _cv2().addWeighted(next(below), 1 - share, frame, share, 0.0, dst=frame)

    return blend


def frame_planes(frame: np.ndarray, w: int, h: int) -> Planes:
    """The Y, U and V planes of a raw yuv420p frame of `w` x `h`, as views."""
    quarter = w * h // 4
    return (
        frame[: w * h].reshape(h, w),
        frame[w * h : w * h + quarter].reshape(h // 2, w // 2),
        frame[w * h + quarter :].reshape(h // 2, w // 2),
    )


def moving_frames(run: StillRun, profile: RenderProfile) -> Iterator[np.ndarray]:
    """`run`'s frames, raw yuv420p, one reused buffer (take each before asking for the next)."""
    w, h = profile.width, profile.height
    canvas = canvas_for(run.index, profile)
    planes = kept_canvas(run.image_path, canvas, step=f"scene {run.index} canvas")
    frame = np.empty(w * h * 3 // 2, dtype=np.uint8)
    targets = frame_planes(frame, w, h)
    moves = views(
        index=run.index, profile=profile, frames=run.frames, first=run.first, count=run.count
    )
    cv2 = _cv2()
    for view in moves:
        luma, chroma = view_matrices(view, size=(w, h))
        for plane, target, matrix in zip(planes, targets, (luma, chroma, chroma), strict=True):
            cv2.warpAffine(
                plane,
                matrix,
                (target.shape[1], target.shape[0]),
                dst=target,
                flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REPLICATE,
            )
        yield frame


def view_matrices(view: View, *, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The inverse maps (output pixel centre -> canvas pixel centre) of the luma and of the
    chroma planes that show `view` on a frame of `size`.

    Output luma edge u lands on canvas edge left + u * scale; centres sit half a pixel in.
    A chroma edge c sits at luma edge 2c - 1/2 across and 2c down, so the luma mapping becomes
    left / 2 + c * scale on the chroma planes, plus (1 - scale) / 4 across."""
    scale = OVERSAMPLE / view.zoom
    left, top = (
        OVERSAMPLE * (centre - length / (2 * view.zoom))
        for length, centre in zip(size, (view.cx, view.cy), strict=True)
    )
    half = 0.5 * (scale - 1)  # from edges to centres: (e + 0.5) * scale - 0.5
    luma = np.array([[scale, 0.0, left + half], [0.0, scale, top + half]])
    chroma = np.array(
        [[scale, 0.0, left / 2 + (1 - scale) / 4 + half], [0.0, scale, top / 2 + half]]
    )
    return luma, chroma


# A still's canvas serves its own clip and the next clip's dissolve from it (or the end
# card's): kept for the second, ~5 MB each at 1080x1920, so a clip render never makes it twice.
CANVASES_KEPT = 8
_kept: OrderedDict[tuple[str, int, int, tuple[int, int]], Planes] = OrderedDict()
_making: dict[tuple[str, int, int, tuple[int, int]], Future[Planes]] = {}
_kept_lock = threading.Lock()


def kept_canvas(image_path: Path, canvas: tuple[int, int], *, step: str) -> Planes:
    """load_canvas's planes (read only), made once for the CANVASES_KEPT latest stills; a
    clip asking while another clip makes it (two clips start together) waits for that one."""
    stat = Path(image_path).stat()
    key = (str(Path(image_path).resolve()), stat.st_mtime_ns, stat.st_size, canvas)
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
        making = _making.get(key)
        if making is None:
            making = _making[key] = Future()
            mine = True
        else:
            mine = False
    if not mine:
        try:
            return making.result()
        except Exception:  # that clip's failure or cancel is not this one's: make it here
            return load_canvas(image_path, canvas, step=step)
    try:
        planes = load_canvas(image_path, canvas, step=step)
    except BaseException as exc:
        with _kept_lock:
            del _making[key]
        making.set_exception(exc)
        raise
    for plane in planes:
        plane.flags.writeable = False
    with _kept_lock:
        _kept[key] = planes
        del _making[key]
        while len(_kept) > CANVASES_KEPT:
            _kept.popitem(last=False)
    making.set_result(planes)
    return planes


def load_canvas(image_path: Path, canvas: tuple[int, int], *, step: str) -> Planes:
    """The still cover-scaled and centre-cropped to `canvas` pixels, as its Y, U and V planes."""
    cw, ch = canvas
    wider = f"gt(iw/ih,{cw}/{ch})"
    with tempfile.TemporaryDirectory(prefix="canvas-") as tmp:
        raw = Path(tmp) / "canvas.yuv"
        runner.run_ffmpeg(
            [
                *("ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"),
                *("-i", str(image_path)),
                "-vf",
                f"scale=w='if({wider},{ch}*iw/ih,{cw})':h='if({wider},{ch},{cw}*ih/iw)'"
                f":flags=lanczos,crop={cw}:{ch},setsar=1,format=yuv420p",
                *("-frames:v", "1", "-f", "rawvideo", str(raw)),
            ],
            step=step,
            timeout_s=60,
        )
        data = np.fromfile(raw, dtype=np.uint8)
    luma = cw * ch
    if data.size != luma * 3 // 2:
        raise runner.RenderError(step, f"the picture made {data.size} bytes, not {luma * 3 // 2}.")
    quarter = luma // 4
    return (
        data[:luma].reshape(ch, cw),
        data[luma : luma + quarter].reshape(ch // 2, cw // 2),
        data[luma + quarter :].reshape(ch // 2, cw // 2),
    )
