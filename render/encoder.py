"""Chooses the H.264 encoder (NVENC when it really works, else libx264) and its arguments."""

from __future__ import annotations

import functools
import subprocess

from render.profiles import RenderProfile
from render.runner import RenderError, ffmpeg_binary

ENCODERS = ("h264_nvenc", "libx264")
GOP_S = 2
# Every clip of a story uses this MP4 timescale so the concat demuxer can copy them.
VIDEO_TIMESCALE = 15360
# NVENC's constant-quality scale is not CRF's; +2 lands near the same file size and look.
NVENC_CQ_OFFSET = 2


def probe_encoder(forced: str | None = None) -> str:
    """The encoder to use: `forced` if valid (ValueError otherwise), else the probe's pick.

    The probe result is cached for the life of the process (a worker probes once).
    """
    if forced:
        if forced not in ENCODERS:
            raise ValueError(f"Unknown encoder {forced!r}; expected one of {list(ENCODERS)}")
        return forced
    return _probed_encoder()


@functools.cache
def _probed_encoder() -> str:
    # Listing encoders is not enough: a build can have NVENC without a GPU or driver, so
    # only a real one-frame encode proves it works.
    return "h264_nvenc" if _encodes_one_frame("h264_nvenc") else "libx264"


def _encodes_one_frame(encoder: str) -> bool:
    argv = [
        ffmpeg_binary(),
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "color=c=black:s=256x256:r=30:d=0.1",
        "-frames:v",
        "1",
        "-c:v",
        encoder,
        "-f",
        "null",
        "-",
    ]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def video_encoder_args(*, encoder: str, profile: RenderProfile, threads: int = 0) -> list[str]:
    """FFmpeg output arguments that make every scene clip of a story concat-compatible.

    `threads` = 0 lets x264 decide; the parallel scene renderer passes its share of cores.
    """
    gop = profile.fps * GOP_S
    common = [
        "-pix_fmt",
        "yuv420p",
        "-profile:v",
        "high",
        "-r",
        str(profile.fps),
        "-g",
        str(gop),
        "-video_track_timescale",
        str(VIDEO_TIMESCALE),
    ]
    if encoder == "libx264":
        return [
            "-c:v",
            "libx264",
            "-preset",
            profile.preset,
            "-crf",
            str(profile.crf),
            *(["-x264-params", profile.x264_params] if profile.x264_params else []),
            "-threads",
            str(threads),
            *common,
        ]
    if encoder == "h264_nvenc":
        preset = "p4" if profile.name == "final" else "p2"
        return [
            "-c:v",
            "h264_nvenc",
            "-preset",
            preset,
            "-tune",
            "hq",
            "-rc",
            "vbr",
            "-cq",
            str(profile.crf + NVENC_CQ_OFFSET),
            "-b:v",
            "0",
            "-bf",
            "2",
            "-forced-idr",
            "1",
            *common,
        ]
    raise RenderError("encode", f"Unknown encoder {encoder!r}; expected one of {list(ENCODERS)}")
