"""Pure FFmpeg command builders for scene clips: each returns an argv list, touches no file.

A scene clip is video only: scaled or cropped to the frame, a whole-pixel Ken Burns pan (or a
trimmed clip), captions burned from an ASS file, short fades. Every clip of a story shares
codec, size, fps and timebase, so assembly (render.assembly_commands) copies them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from render.encoder import video_encoder_args
from render.profiles import FINAL_SIZES, RenderProfile

FADE_S = 0.25
FINAL_FOR = {
    size: final
    for final in FINAL_SIZES.values()
    for size in (final, (final[0] // 2, final[1] // 2))
}
BASE = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"]


@dataclass(frozen=True)
class Pan:
    """A Ken Burns move: the view slides by (dx, dy) final-frame pixels every frame."""

    dx: int
    dy: int


# Varied by scene index so consecutive scenes never repeat the same move.
MOTIONS = (Pan(1, 0), Pan(0, -1), Pan(-1, 0), Pan(0, 1), Pan(1, 1), Pan(-1, -1))
# A pan longer than this share of a short side would crop too much of the picture; such
# scenes pan along the long side instead.
MAX_PAN_SHARE = 0.2


def frames_for(duration_ms: int, fps: int) -> int:
    """Whole frames in a scene; audio is cut to the same length so A/V stay equal."""
    return max(2, round(duration_ms * fps / 1000))


def image_scene_cmd(
    *,
    image_path: Path,
    ass_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    index: int,
    duration_ms: int,
    fonts_dir: Path,
    font_file: Path,
    threads: int = 0,
) -> list[str]:
    """A video-only clip from a still: scale once, whole-pixel Ken Burns pan, captions, fades."""
    frames = frames_for(duration_ms, profile.fps)
    pan = _pan_graph(MOTIONS[index % len(MOTIONS)], profile, frames)
    finish = ",".join(_finish(ass_path, profile, frames, fonts_dir, font_file))
    return [
        *BASE,
        "-i",
        str(image_path),
        "-filter_complex",
        f"[0:v]{pan}[pan];[pan]{finish}[v]",
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


def video_scene_cmd(
    *,
    video_path: Path,
    ass_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    duration_ms: int,
    fonts_dir: Path,
    font_file: Path,
    threads: int = 0,
) -> list[str]:
    """A video-only clip from a video: loop/trim to length, cover-crop, captions, fades."""
    frames = frames_for(duration_ms, profile.fps)
    w, h = profile.width, profile.height
    chain = [
        f"fps={profile.fps}",
        # Trim before scaling so frames past the end are never scaled.
        f"trim=end_frame={frames}",
        f"scale={w}:{h}:force_original_aspect_ratio=increase",
        f"crop={w}:{h}",
        "setsar=1",
        "format=yuv420p",
        f"setpts=N/({profile.fps}*TB)",
        *_finish(ass_path, profile, frames, fonts_dir, font_file),
    ]
    return [
        *BASE,
        "-stream_loop",
        "-1",
        "-i",
        str(video_path),
        "-filter_complex",
        f"[0:v]{','.join(chain)}[v]",
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


def thumbnail_cmd(*, clip_path: Path, out_path: Path, at_s: float = 1.0) -> list[str]:
    """One JPEG frame from a clip, `at_s` seconds in."""
    return [
        *BASE,
        "-ss",
        f"{at_s:.3f}",
        "-i",
        str(clip_path),
        "-frames:v",
        "1",
        "-q:v",
        "3",
        "-update",
        "1",
        "-f",
        "image2",
        str(out_path),
    ]


def _finish(
    ass_path: Path | None, profile: RenderProfile, frames: int, fonts_dir: Path, font_file: Path
) -> list[str]:
    duration_s = frames / profile.fps
    steps = text_layer_filters(ass_path, fonts_dir)
    if profile.watermark:
        size = round(profile.height * 0.03)
        # In the top corner, above the title-safe area, so it never covers the headline.
        steps.append(
            f"drawtext=fontfile={_arg(font_file)}:text={profile.watermark_text}:fontsize={size}"
            ":fontcolor=white@0.55:borderw=2:bordercolor=black@0.4:x=w-tw-h*0.03:y=h*0.012"
        )
    # Short fades only: a dip to black longer than 0.5 s would read as a black-frame hole.
    steps.append(f"fade=t=in:st=0:d={FADE_S}")
    steps.append(f"fade=t=out:st={duration_s - FADE_S:.3f}:d={FADE_S}")
    return steps


def text_layer_filters(ass_path: Path | None, fonts_dir: Path) -> list[str]:
    """The text layer over the moving picture: the scene's ASS (headline and captions, laid
    out by render.layout inside the title-safe area), after any pan or zoom, so no motion
    ever carries text out of the frame."""
    if ass_path is None:
        return []
    return [f"ass=filename={_arg(ass_path)}:fontsdir={_arg(fonts_dir)}"]


def _pan_graph(pan: Pan, profile: RenderProfile, frames: int) -> str:
    """The still, scaled once and moved by whole pixels: a filtergraph from [0:v] to a label.

    The view is cut in 4:2:0 without converting a frame per output frame: the canvas is
    converted once as it is (for views at even offsets) and once shifted by one pixel along
    the moving axes (for odd offsets), so every cut falls on a chroma sample and colour moves
    in step with luma. Each output frame is a pointer crop of one of the two, taken in turn.
    """
    w, h = profile.width, profile.height
    final_w, final_h = FINAL_FOR[(w, h)]
    if pan.dx and frames - 1 > MAX_PAN_SHARE * final_w and final_h > final_w:
        pan = Pan(0, pan.dy or -pan.dx)
    if pan.dy and frames - 1 > MAX_PAN_SHARE * final_h and final_w > final_h:
        pan = Pan(pan.dx or pan.dy, 0)
    # Speeds are in final-frame pixels: a half-size preview moves half as fast, so it frames
    # the picture exactly like the final (stepping one pixel every other frame).
    scale = w / final_w
    travel = math.ceil((frames - 1) * scale)
    canvas_w, canvas_h = w + travel * abs(pan.dx), h + travel * abs(pan.dy)

    def offset(speed: int) -> str:
        moved = f"floor(n*{scale * abs(speed):g})"
        return "0" if speed == 0 else moved if speed > 0 else f"{travel}-{moved}"

    x, y = offset(pan.dx), offset(pan.dy)
    # The still is scaled once to a canvas just big enough for the whole move, then
    # repeated; only a crop runs per frame.
    head = (
        f"scale={canvas_w}:{canvas_h}:force_original_aspect_ratio=increase:flags=lanczos,"
        f"crop={canvas_w}:{canvas_h},setsar=1,format=yuv444p"
    )
    # A timebase of one frame gives every frame its own whole-number timestamp (the image's
    # 1/25 would round some together), which the interleave below orders frames by.
    repeat = (
        f"loop=loop={frames - 1}:size=1:start=0,settb=1/{profile.fps},setpts=N/({profile.fps}*TB)"
    )
    # Whole pixels at a constant speed: exact motion, no zoompan rounding jitter.
    view = f"crop=w={w}:h={h}:x='{x}':y='{y}':exact=1"
    if pan.dx and pan.dy and x != y:
        # The two offsets would not share their parity: cut in 4:4:4, convert every frame.
        return f"{head},{repeat},{view},format=yuv420p"
    parity = f"mod({x if pan.dx else y},2)"
    sx, sy = int(pan.dx != 0), int(pan.dy != 0)
    shifted = f"crop={canvas_w - sx}:{canvas_h - sy}:{sx}:{sy},format=yuv420p"
    odd_view = (
        f"crop=w={w}:h={h}:x='{x}-{sx}':y='{y}-{sy}':exact=1"
        if sx and sy
        else f"crop=w={w}:h={h}:x='{x}-1':y='{y}':exact=1"
        if sx
        else f"crop=w={w}:h={h}:x='{x}':y='{y}-1':exact=1"
    )
    return (
        f"{head},split=2[even][odd];"
        f"[even]format=yuv420p,{repeat},{view},select='eq({parity},0)'[pe];"
        f"[odd]{shifted},{repeat},{odd_view},select='eq({parity},1)'[po];"
        "[pe][po]interleave=nb_inputs=2"
    )


def _arg(path: Path) -> str:
    # Two levels of escaping: the option value, then the filtergraph around it.
    value = str(path).replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")
    for ch in "\\'[],;":
        value = value.replace(ch, "\\" + ch)
    return value
