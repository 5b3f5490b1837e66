"""Chooses the H.264 encoder (NVENC when it really works, else libx264) and its arguments."""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

from render.profiles import RenderProfile
from render.runner import RenderError, ffmpeg_binary

ENCODERS = ("h264_nvenc", "libx264")
GOP_S = 2
# Every clip of a story uses this MP4 timescale so the concat demuxer can copy them.
VIDEO_TIMESCALE = 15360
# NVENC's constant-quality scale is not CRF's; +2 lands near the same file size and look.
NVENC_CQ_OFFSET = 2


# Present on a machine with the NVIDIA driver loaded: NVENC is then expected to work.
NVIDIA_DRIVER_PATHS = (Path("/proc/driver/nvidia/version"), Path("/dev/nvidiactl"))


@dataclass(frozen=True)
class EncoderChoice:
    """The encoder to use and, when NVENC was expected but libx264 stands in, why."""

    encoder: str
    fallback: str = ""


def probe_encoder(forced: str | None = None) -> str:
    """The encoder to use: `forced` if valid (ValueError otherwise), else the probe's pick.

    The probe result is cached for the life of the process (a worker probes once).
    """
    return choose_encoder(forced).encoder


def choose_encoder(forced: str | None = None) -> EncoderChoice:
    """As probe_encoder, saying when libx264 stands in for an NVENC that should have worked
    (an NVIDIA driver is loaded but a one-frame NVENC encode failed). A CPU machine's
    libx264 is no fallback, nor is a forced encoder."""
    if forced:
        if forced not in ENCODERS:
            raise ValueError(f"Unknown encoder {forced!r}; expected one of {list(ENCODERS)}")
        return EncoderChoice(forced)
    return _probed_choice()


def has_nvidia_driver() -> bool:
    return any(path.exists() for path in NVIDIA_DRIVER_PATHS)


@functools.cache
def _probed_choice() -> EncoderChoice:
    # Listing encoders is not enough: a build can have NVENC without a GPU or driver, so
    # only a real one-frame encode proves it works.
    if _encodes_one_frame("h264_nvenc"):
        return EncoderChoice("h264_nvenc")
    if has_nvidia_driver():
        return EncoderChoice(
            "libx264",
            "an NVIDIA GPU is present but NVENC failed a one-frame test encode; "
            "rendered with libx264 on the CPU",
        )
    return EncoderChoice("libx264")


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
