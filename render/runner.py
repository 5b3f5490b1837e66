"""Runs FFmpeg: clear errors, cancellation, atomic output files and parallel scene renders.

`run_ffmpeg` is the single place a process is started, so tests can wrap it to count runs.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import threading
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

STDERR_TAIL_LINES = 60
POLL_S = 0.05


class RenderError(RuntimeError):
    """A render step failed; the message names the step and what to do about it."""

    def __init__(self, step: str, message: str):
        super().__init__(f"{step}: {message}")
        self.step = step
        self.message = message


class RenderCanceled(RenderError):
    """The render was canceled on request; nothing was written under the final name."""

    def __init__(self, step: str):
        super().__init__(step, "canceled on request")


def ffmpeg_binary(name: str = "ffmpeg") -> str:
    """The path of ffmpeg/ffprobe. Raises RenderError telling the operator to install it."""
    found = shutil.which(name)
    if not found:
        raise RenderError(
            "setup", f"{name} was not found on PATH; install ffmpeg (apt-get install ffmpeg)."
        )
    return found


def run_ffmpeg(
    argv: Sequence[str],
    *,
    step: str,
    cancel: threading.Event | None = None,
    timeout_s: float | None = None,
) -> str:
    """Run one FFmpeg command to completion and return its stderr tail.

    Raises RenderCanceled when `cancel` is set (the process is terminated) and RenderError
    with the last lines of FFmpeg's stderr when it fails or runs past `timeout_s`.
    """
    argv = [ffmpeg_binary(argv[0]), *local_inputs_only(argv[1:])]
    try:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
    except OSError as exc:
        raise RenderError(step, f"could not start {argv[0]}: {exc}; install ffmpeg.") from exc
    tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
    # A reader thread keeps the pipe drained so a chatty FFmpeg never blocks on a full pipe.
    reader = threading.Thread(target=_drain, args=(proc, tail), daemon=True)
    reader.start()
    waited_s = 0.0
    while True:
        try:
            proc.wait(timeout=POLL_S)
            break
        except subprocess.TimeoutExpired:
            waited_s += POLL_S
            if (cancel is not None and cancel.is_set()) or (timeout_s and waited_s > timeout_s):
                _stop(proc)
                reader.join(timeout=1)
                if cancel is not None and cancel.is_set():
                    raise RenderCanceled(step) from None
                raise RenderError(
                    step, f"FFmpeg ran past {timeout_s:.0f} s and was stopped."
                ) from None
    reader.join(timeout=5)
    text = "\n".join(tail)
    if proc.returncode != 0:
        raise RenderError(
            step,
            f"FFmpeg exited with status {proc.returncode}. Check the inputs of this step; "
            f"FFmpeg said:\n{text or '(nothing)'}",
        )
    return text


def local_inputs_only(args: Sequence[str]) -> list[str]:
    """`args` with `-protocol_whitelist file` before every `-i`: inputs may be users' files,
    and a crafted playlist or concat list inside one must not make FFmpeg open a URL
    (http, tcp, ...) or a device on the server's behalf. lavfi inputs use no protocol."""
    guarded: list[str] = []
    for arg in args:
        if arg == "-i":
            guarded += ["-protocol_whitelist", "file"]
        guarded.append(arg)
    return guarded


def run_to_file(
    build: Callable[[Path], list[str]],
    out_path: Path,
    *,
    step: str,
    cancel: threading.Event | None = None,
) -> Path:
    """Run `build(tmp_path)` and move the result to `out_path` only once FFmpeg succeeded.

    The temporary file sits in the same folder so os.replace is atomic; a failed, canceled
    or killed render never leaves a file under `out_path`.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.stem}.{uuid.uuid4().hex[:8]}.part{out_path.suffix}")
    try:
        run_ffmpeg(build(tmp), step=step, cancel=cancel)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise RenderError(step, "FFmpeg reported success but wrote no output.")
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path


def _drain(proc: subprocess.Popen, tail: collections.deque[str]) -> None:
    for raw in proc.stderr or ():
        line = raw.decode("utf-8", "replace").rstrip()
        if line:
            tail.append(line)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=3)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def either(a: threading.Event, b: threading.Event | None) -> threading.Event:
    """An event that reads as set when `a` or `b` is (for one FFmpeg run with two reasons
    to stop); run_ffmpeg polls it, so a view is lighter than a bridging thread."""
    if b is None:
        return a
    return _AnyEvent(a, b)


class _AnyEvent(threading.Event):
    def __init__(self, *events: threading.Event):
        super().__init__()
        self._events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self._events)
