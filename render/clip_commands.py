"""Pure FFmpeg command builders for scene clips: each returns an argv list, touches no file.

A scene clip is video only: scaled or cropped to the frame, a sub-pixel Ken Burns zoom and pan (or a
trimmed clip), the dissolve from the previous scene, captions burned from an ASS file (the
picture's motion and transitions are render.motion). Every clip of a story shares
codec, size, fps and timebase, so assembly (render.assembly_commands) copies them.
"""

from __future__ import annotations

from pathlib import Path

from render.encoder import video_encoder_args
from render.layout import ai_label_block
from render.motion import (
    MOTIONS,
    LeadIn,
    dissolve_graph,
    frame_times,
    frames_for,
    lead_in_inputs,
    still_input,
    video_chain,
)
from render.profiles import RenderProfile
from render.qc_scan import scan_branch

__all__ = ["MOTIONS", "frames_for", "image_scene_cmd", "thumbnail_cmd", "video_scene_cmd"]
BASE = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"]


def image_scene_cmd(
    *,
    picture_url: str,
    ass_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    duration_ms: int,
    fonts_dir: Path,
    font_file: Path,
    threads: int = 0,
    lead_in: LeadIn | None = None,
    lead_url: str = "",
    scan_log: Path | None = None,
) -> list[str]:
    """A video-only clip from a still's moving picture, raw frames arriving on `picture_url`
    (render.still_frames: the sub-pixel zoom and pan, and the dissolve from a still before
    it), the dissolve from `lead_in` when that is a video (a still's frames would arrive on
    `lead_url`), captions; with `scan_log`, the finished frames' black and frozen spans are
    written there too (render.qc_scan)."""
    frames = frames_for(duration_ms, profile.fps)
    pan = f"[0:v]{frame_times(profile)},setsar=1[pan]"
    picture = dissolve_graph(
        lead_in=lead_in, source="[pan]", out="picture", profile=profile, frames=frames
    )
    finish = ",".join(_finish(ass_path, profile, fonts_dir, font_file))
    return [
        *BASE,
        *still_input(picture_url, profile),
        *lead_in_inputs(lead_in, profile=profile, frames=frames, still_url=lead_url),
        "-filter_complex",
        with_scan(f"{pan};{picture};[picture]{finish}[v]", scan_log, profile),
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
    lead_in: LeadIn | None = None,
    lead_url: str = "",
    scan_log: Path | None = None,
) -> list[str]:
    """A video-only clip from a video: loop/trim to length, cover-crop, the dissolve from
    `lead_in` (the previous scene); `lead_url` and `scan_log` as image_scene_cmd's."""
    frames = frames_for(duration_ms, profile.fps)
    picture = dissolve_graph(
        lead_in=lead_in, source="[own]", out="picture", profile=profile, frames=frames
    )
    finish = ",".join(_finish(ass_path, profile, fonts_dir, font_file))
    return [
        *BASE,
        "-stream_loop",
        "-1",
        "-i",
        str(video_path),
        *lead_in_inputs(lead_in, profile=profile, frames=frames, still_url=lead_url),
        "-filter_complex",
        with_scan(
            f"[0:v]{video_chain(profile, first=0, count=frames)}[own];{picture};"
            f"[picture]{finish}[v]",
            scan_log,
            profile,
        ),
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


def with_scan(graph: str, scan_log: Path | None, profile: RenderProfile) -> str:
    """`graph` (ending in the output label "[v]") with the QC detectors on its finished
    frames when `scan_log` is given (render.qc_scan)."""
    if scan_log is None:
        return graph
    head = graph.removesuffix("[v]")
    return f"{head}[done];" + scan_branch(
        source="[done]", out="[v]", log_path=scan_log, fps=profile.fps
    )


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
    ass_path: Path | None, profile: RenderProfile, fonts_dir: Path, font_file: Path
) -> list[str]:
    """The text layer over the picture (headline and captions) and the preview watermark."""
    steps = text_layer_filters(ass_path, fonts_dir)
    if profile.watermark:
        size = round(profile.height * 0.03)
        # In the top corner, above the title-safe area, so it never covers the headline.
        steps.append(
            f"drawtext=fontfile={_arg(font_file)}:text={profile.watermark_text}:fontsize={size}"
            ":fontcolor=white@0.55:borderw=2:bordercolor=black@0.4:x=w-tw-h*0.03:y=h*0.012"
        )
    if profile.ai_label:
        label = ai_label_block(profile.ai_label, profile.width, profile.height)
        x, y = label.box.left + label.pad, label.box.top + label.pad
        # A box behind the text so it reads on any picture; inside the title-safe area.
        steps.append(
            f"drawtext=fontfile={_arg(font_file)}:text={_arg(profile.ai_label)}"
            f":fontsize={label.size}:fontcolor=white:box=1:boxcolor=black@0.55"
            f":boxborderw={label.pad}:x={x}:y={y}"
        )
    # No fades: scenes dissolve into each other (render.motion), never through black.
    return steps or ["null"]


def text_layer_filters(ass_path: Path | None, fonts_dir: Path) -> list[str]:
    """The text layer over the moving picture: the scene's ASS (headline and captions, laid
    out by render.layout inside the title-safe area), after any pan or zoom, so no motion
    ever carries text out of the frame."""
    if ass_path is None:
        return []
    return [f"ass=filename={_arg(ass_path)}:fontsdir={_arg(fonts_dir)}"]


def _arg(path: Path | str) -> str:
    # Two levels of escaping: the option value, then the filtergraph around it.
    value = str(path).replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")
    for ch in "\\'[],;":
        value = value.replace(ch, "\\" + ch)
    return value
