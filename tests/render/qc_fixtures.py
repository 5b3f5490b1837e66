"""Small reels for the media QC tests, made with FFmpeg's lavfi sources: good unless told."""

from __future__ import annotations

import subprocess
from pathlib import Path

# lavfi's sine is at 1/8 full scale; +7.8 dB puts a 440 Hz stereo tone at about -14 LUFS.
GOOD_TONE = "sine=f=440:d={d}:sample_rate=48000,volume=7.8dB"
# ultrafast alone is Constrained Baseline; CABAC and 8x8 transforms make it High (as preview).
FAST_HIGH = ("-c:v", "libx264", "-preset", "ultrafast", "-x264-params", "cabac=1:8x8dct=1")


def make(
    path: Path,
    *,
    seconds: float = 3,
    size: str = "540x960",
    rate: str = "30",
    video_filter: str = "",
    audio: str = GOOD_TONE,
    audio_filter: str = "",
    video_args: tuple[str, ...] = FAST_HIGH,
    audio_args: tuple[str, ...] = ("-c:a", "aac", "-ar", "48000", "-ac", "2"),
    faststart: bool = True,
    gop: int = 30,
) -> Path:
    """A small reel: moving test pattern and a steady tone, good unless told otherwise."""
    video = f"testsrc2=s={size}:r={rate}:d={seconds}"
    argv = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", video]
    argv += ["-f", "lavfi", "-i", audio.format(d=seconds)]
    argv += ["-vf", video_filter or "null", "-af", audio_filter or "anull"]
    argv += [*video_args, "-pix_fmt", "yuv420p", "-g", str(gop), *audio_args]
    argv += ["-movflags", "+faststart"] if faststart else []
    subprocess.run([*argv, str(path)], check=True)
    return path
