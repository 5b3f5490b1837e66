"""Reads an output file with ffprobe and refuses files that are not what we asked for."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from render.runner import RenderError, ffmpeg_binary

AV_LENGTH_TOLERANCE_S = 0.05


@dataclass(frozen=True)
class MediaInfo:
    """The facts about an MP4 that the renderer promises."""

    duration_s: float
    video_codec: str
    width: int
    height: int
    fps: Fraction
    pix_fmt: str
    video_profile: str
    video_duration_s: float
    audio_codec: str | None
    sample_rate: int | None
    channels: int | None
    audio_duration_s: float | None


def probe(path: Path) -> MediaInfo:
    """ffprobe `path`. Raises RenderError when it is missing or not a video."""
    argv = [
        ffmpeg_binary("ffprobe"),
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        str(path),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RenderError("probe", f"ffprobe could not read {path}: {done.stderr.strip()}")
    data = json.loads(done.stdout)
    video = next((s for s in data["streams"] if s["codec_type"] == "video"), None)
    audio = next((s for s in data["streams"] if s["codec_type"] == "audio"), None)
    if video is None:
        raise RenderError("probe", f"{path} has no video stream; render it again.")
    duration_s = float(data["format"].get("duration", 0))
    return MediaInfo(
        duration_s=duration_s,
        video_codec=video["codec_name"],
        width=int(video["width"]),
        height=int(video["height"]),
        fps=Fraction(video.get("avg_frame_rate", "0/1"))
        if video.get("avg_frame_rate") != "0/0"
        else Fraction(0),
        pix_fmt=video.get("pix_fmt", ""),
        video_profile=video.get("profile", ""),
        video_duration_s=float(video.get("duration", duration_s)),
        audio_codec=audio["codec_name"] if audio else None,
        sample_rate=int(audio["sample_rate"]) if audio else None,
        channels=int(audio["channels"]) if audio else None,
        audio_duration_s=float(audio.get("duration", duration_s)) if audio else None,
    )


def check_output(
    path: Path,
    *,
    expected_duration_s: float,
    width: int,
    height: int,
    fps: int = 30,
    tolerance: float = 0.1,
    needs_audio: bool = True,
) -> MediaInfo:
    """Probe `path` and raise RenderError naming every promise it breaks."""
    info = probe(path)
    problems = []
    if abs(info.duration_s - expected_duration_s) > tolerance:
        problems.append(f"duration {info.duration_s:.3f} s, expected {expected_duration_s:.3f} s")
    if info.video_codec != "h264":
        problems.append(f"video codec {info.video_codec}, expected h264")
    if (info.width, info.height) != (width, height):
        problems.append(f"size {info.width}x{info.height}, expected {width}x{height}")
    if abs(float(info.fps) - fps) > 0.05:
        problems.append(f"frame rate {float(info.fps):.3f}, expected {fps}")
    if needs_audio:
        if info.audio_codec != "aac":
            problems.append(f"audio codec {info.audio_codec}, expected aac")
        elif abs((info.audio_duration_s or 0) - info.video_duration_s) > AV_LENGTH_TOLERANCE_S:
            problems.append(
                f"audio {info.audio_duration_s:.3f} s vs video {info.video_duration_s:.3f} s"
            )
    if problems:
        raise RenderError("check", f"{path.name} is not as rendered: " + "; ".join(problems))
    return info
