"""Any recording FFmpeg can read, as mono float samples at the analysis rate."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from render.inspection import UNTRUSTED_INPUT
from render.runner import RenderError, ffmpeg_binary

SAMPLE_RATE = 16_000
# A recording is at most a minute; anything past this is cut off rather than decoded.
MAX_DECODE_S = 120.0
DECODE_TIMEOUT_S = 60.0


class UnreadableAudio(ValueError):
    """FFmpeg could not decode the file as audio; the message says what it printed."""


def decode(path: Path, *, max_s: float = MAX_DECODE_S) -> np.ndarray:
    """The first `max_s` seconds of `path` as mono float32 at SAMPLE_RATE.

    Raises UnreadableAudio when FFmpeg cannot decode it (or it has no audio stream).
    """
    argv = [
        ffmpeg_binary(),
        "-nostdin",
        "-v",
        "error",
        # a user's file: local file protocol and audio/video demuxers only
        *UNTRUSTED_INPUT,
        "-i",
        str(path),
        "-t",
        f"{max_s:.3f}",
        "-map",
        "0:a:0",
        "-ac",
        "1",
        "-ar",
        str(SAMPLE_RATE),
        "-f",
        "f32le",
        "pipe:1",
    ]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=DECODE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise UnreadableAudio(f"decoding {path.name} took over {DECODE_TIMEOUT_S:.0f} s") from exc
    except RenderError as exc:  # pragma: no cover - ffmpeg missing is a set-up error
        raise UnreadableAudio(str(exc)) from exc
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise UnreadableAudio(f"{path.name} is not audio FFmpeg can read: {' '.join(message)}")
    return np.frombuffer(done.stdout, dtype="<f4").astype(np.float32)
