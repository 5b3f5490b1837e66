"""The video-provider interface and what every provider shares: polling with backoff and a
deadline, and the finished clip checked with ffprobe and trimmed to the scene.

Generation is asynchronous everywhere (Veo operations, Runway tasks, Sora video jobs): the
provider creates the job, `poll` waits for it with growing pauses, the file is downloaded,
checked by content and cut to the scene's length so the renderer never sees a bad clip.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from django.conf import settings

from providers.base import PermanentProviderError, TransientProviderError, Usage
from providers.http import checked_media
from providers.visual.base import VisualResult

T = TypeVar("T")
TRIM_TIMEOUT_S = 120


class VideoProvider(Protocol):
    name: str

    def make_clip(
        self,
        *,
        prompt: str,
        width: int,
        height: int,
        duration_ms: int,
        index: int,
        out_path: Path,
    ) -> VisualResult:
        """Write a clip of about `duration_ms` for the prompt to `out_path` (.mp4)."""
        ...


@dataclass(frozen=True)
class FinishedClip:
    path: Path
    width: int
    height: int
    duration_ms: int


class PollTimeout(TransientProviderError):
    """The job did not finish before the deadline; a retry starts a new one."""


def poll(
    check: Callable[[], T | None],
    *,
    provider: str,
    deadline_s: float | None = None,
    first_wait_s: float | None = None,
    max_wait_s: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call `check` until it returns a value; waits grow x1.5 up to `max_wait_s`.

    `check` raises to stop early (a failed or canceled job). Raises PollTimeout at the deadline.
    """
    deadline = time.monotonic() + (deadline_s or settings.VIDEO_POLL_DEADLINE_S)
    wait = first_wait_s if first_wait_s is not None else settings.VIDEO_POLL_FIRST_S
    ceiling = max_wait_s if max_wait_s is not None else settings.VIDEO_POLL_MAX_S
    while True:
        result = check()
        if result is not None:
            return result
        left = deadline - time.monotonic()
        if left <= 0:
            raise PollTimeout("the video job did not finish in time", provider=provider)
        sleep(min(wait, left))
        wait = min(wait * 1.5, ceiling)


def finish_clip(raw: Path, *, out_path: Path, duration_ms: int, provider: str) -> FinishedClip:
    """Check `raw` is a playable video, then cut it to `duration_ms` (no audio) at `out_path`."""
    info = checked_media(raw, provider=provider, kind="video")
    ffmpeg = shutil.which(settings.FFMPEG_BIN) or settings.FFMPEG_BIN
    target_ms = min(info.duration_ms, duration_ms) if duration_ms > 0 else info.duration_ms
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Stream copy: the renderer re-encodes every scene anyway; this only drops the excess
    # and the provider's audio track (the scene's sound is the narration and the music).
    command = [
        ffmpeg,
        "-v",
        "error",
        "-y",
        "-i",
        str(raw),
        "-t",
        f"{target_ms / 1000:.3f}",
        "-map",
        "0:v:0",
        "-c",
        "copy",
        "-an",
        "-movflags",
        "+faststart",
        str(out_path),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TRIM_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PermanentProviderError(f"could not trim the clip ({exc})", provider=provider) from exc
    if done.returncode != 0:
        raise PermanentProviderError(
            f"could not trim the clip: {done.stderr.strip()[:200]}", provider=provider
        )
    trimmed = checked_media(out_path, provider=provider, kind="video")
    if raw != out_path:
        raw.unlink(missing_ok=True)
    return FinishedClip(
        path=out_path, width=trimmed.width, height=trimmed.height, duration_ms=trimmed.duration_ms
    )


def clip_result(
    raw: Path,
    *,
    out_path: Path,
    duration_ms: int,
    provider: str,
    model: str,
    licence: str,
    seconds: int,
    billed: tuple[tuple[str, float], ...] = (),
) -> VisualResult:
    """Finish a downloaded clip (checked, trimmed) and describe it with its usage."""
    clip = finish_clip(
        raw, out_path=out_path.with_suffix(".mp4"), duration_ms=duration_ms, provider=provider
    )
    return VisualResult(
        path=clip.path,
        kind="video",
        width=clip.width,
        height=clip.height,
        mime="video/mp4",
        provider=provider,
        licence=licence,
        usage=Usage(
            provider=provider, model=model, units=float(seconds), unit="seconds", billed=billed
        ),
    )


def clip_seconds(duration_ms: int, choices: tuple[int, ...]) -> int:
    """The shortest length a provider offers that covers the scene (else the longest)."""
    wanted = max(1, duration_ms) / 1000
    for seconds in sorted(choices):
        if seconds >= wanted:
            return seconds
    return max(choices)
