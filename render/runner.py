"""Runs FFmpeg: clear errors, cancellation, time limits, progress and atomic output files.

`run_ffmpeg` is the single place a process is started, so tests can wrap it to count runs.
Every run has a time limit scaled to the length of the media it makes (`Timeouts`); with
`on_progress`, FFmpeg's `-progress` output is turned into a fraction 0..1 of that length;
with `feeds`, Python writes frames into the run through pipes of their own (render.feeds).
Each finished run is logged at DEBUG on this module's logger with its wall time and the
process's own CPU seconds and peak memory (the record's `ffmpeg_run` attribute, a RunCost),
which bench/render_bench.py --breakdown adds up per step.
"""

from __future__ import annotations

import collections
import logging
import os
import resource
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from render.feeds import Feed, raise_error, read_fds

STDERR_TAIL_LINES = 60
POLL_S = 0.05
log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]


@dataclass(frozen=True)
class Timeouts:
    """How long one FFmpeg run may take: `per_media_s` seconds per second of media it makes,
    never less than `min_s` (start-up, probing and short clips)."""

    min_s: float = 120.0
    per_media_s: float = 20.0

    def for_media(self, media_s: float) -> float:
        return max(self.min_s, media_s * self.per_media_s)


DEFAULT_TIMEOUTS = Timeouts()


@dataclass(frozen=True)
class RunCost:
    """What one FFmpeg run cost: seconds start to exit, its own CPU seconds (user + system,
    read when it is reaped, so runs in other threads do not mix in) and peak resident MB
    (VmHWM, read while it runs: a child's ru_maxrss starts from the parent's size at fork)."""

    step: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float


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
    media_s: float = 0.0,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    timeout_s: float | None = None,
    on_progress: ProgressCallback | None = None,
    feeds: Sequence[Feed] = (),
) -> str:
    """Run one FFmpeg command to completion and return its stderr tail.

    `media_s` is the length of what the command makes: the run is stopped after
    `timeouts.for_media(media_s)` seconds (or `timeout_s` when given), and `on_progress`, when
    given, is called from this thread with the fraction done (0..1, rising) as FFmpeg reports it.
    Raises RenderCanceled when `cancel` is set (the process is terminated) and RenderError
    with the last lines of FFmpeg's stderr when it fails or runs past its time limit. A
    `feeds` writer's own error (a picture it could not read) is raised once FFmpeg is done.
    """
    limit_s = timeout_s if timeout_s is not None else timeouts.for_media(media_s)
    argv = [
        ffmpeg_binary(argv[0]),
        *local_inputs_only(argv[1:], pipes=[feed.url for feed in feeds]),
    ]
    if on_progress is not None:
        # Key=value blocks on stdout (out_time_us=..., progress=continue|end), about twice a
        # second; they do not depend on the log level that keeps stderr quiet.
        argv[1:1] = ["-progress", "pipe:1"]
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=read_fds(feeds),
        )
    except OSError as exc:
        for feed in feeds:
            feed.discard()
        raise RenderError(step, f"could not start {argv[0]}: {exc}; install ffmpeg.") from exc
    for feed in feeds:
        feed.start()
    tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
    done_us = [0]
    # Reader threads keep the pipes drained so a chatty FFmpeg never blocks on a full pipe.
    reader = threading.Thread(target=_drain, args=(proc, tail), daemon=True)
    progress = threading.Thread(target=_read_progress, args=(proc, done_us), daemon=True)
    reader.start()
    progress.start()
    started = time.monotonic()
    reported = 0.0
    peak = [0.0]
    try:
        while (usage := _reap(proc, peak)) is None:
            if cancel is not None and cancel.is_set():
                _stop(proc)
                raise RenderCanceled(step) from None
            if time.monotonic() - started > limit_s:
                _stop(proc)
                raise RenderError(
                    step,
                    f"FFmpeg timed out: it ran past its limit of {limit_s:.0f} s for "
                    f"{media_s:.1f} s of media and was stopped.",
                ) from None
            reported = _report(on_progress, done_us[0], media_s, reported)
            time.sleep(POLL_S)
    except BaseException:
        # Also a Celery soft time limit raised in this thread: never leave FFmpeg running.
        _stop(proc)
        reader.join(timeout=1)
        raise
    reader.join(timeout=5)
    progress.join(timeout=5)
    for feed in feeds:
        feed.join(timeout=5)  # FFmpeg has exited: a writer still blocked meets a closed pipe
    _log_cost(step, time.monotonic() - started, usage, peak[0])
    raise_error(feeds)
    text = "\n".join(tail)
    if proc.returncode != 0:
        raise RenderError(
            step,
            f"FFmpeg exited with status {proc.returncode}. Check the inputs of this step; "
            f"FFmpeg said:\n{text or '(nothing)'}",
        )
    _report(on_progress, done_us[0], media_s, reported)
    return text


def local_inputs_only(args: Sequence[str], pipes: Sequence[str] = ()) -> list[str]:
    """`args` with `-protocol_whitelist file` before every `-i`: inputs may be users' files,
    and a crafted playlist or concat list inside one must not make FFmpeg open a URL
    (http, tcp, ...) or a device on the server's behalf. lavfi inputs use no protocol; the
    `pipes` this run's own feeds write to (render.feeds) may use the pipe protocol alone."""
    guarded: list[str] = []
    for arg, following in zip(args, [*args[1:], ""], strict=True):
        if arg == "-i":
            guarded += ["-protocol_whitelist", "pipe" if following in pipes else "file"]
        guarded.append(arg)
    return guarded


def _report(
    on_progress: ProgressCallback | None, done_us: int, media_s: float, reported: float
) -> float:
    """Call `on_progress` when the fraction done rose; returns the fraction last reported."""
    if on_progress is None or media_s <= 0:
        return reported
    fraction = min(1.0, done_us / (media_s * 1_000_000))
    if fraction > reported:
        on_progress(fraction)
        return fraction
    return reported


def run_to_file(
    build: Callable[[Path], list[str]],
    out_path: Path,
    *,
    step: str,
    cancel: threading.Event | None = None,
    media_s: float = 0.0,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    on_progress: ProgressCallback | None = None,
    feeds: Sequence[Feed] = (),
) -> Path:
    """Run `build(tmp_path)` and move the result to `out_path` only once FFmpeg succeeded.

    The temporary file sits in the same folder so os.replace is atomic; a failed, canceled,
    timed-out or killed render never leaves a file under `out_path`. `media_s`, `timeouts`,
    `on_progress` and `feeds` are run_ffmpeg's.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.stem}.{uuid.uuid4().hex[:8]}.part{out_path.suffix}")
    try:
        run_ffmpeg(
            build(tmp),
            step=step,
            cancel=cancel,
            media_s=media_s,
            timeouts=timeouts,
            on_progress=on_progress,
            feeds=feeds,
        )
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise RenderError(step, "FFmpeg reported success but wrote no output.")
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path


def run_measured(
    argv: Sequence[str], *, step: str, timeout_s: float
) -> tuple[int, str, str] | None:
    """Run a reading command (ffprobe, an FFmpeg analysis) to the end: (exit status, stdout,
    stderr), or None when it ran past `timeout_s` (it is killed). Its cost is logged like
    run_ffmpeg's."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        started = time.monotonic()
        peak = [0.0]
        try:
            while (usage := _reap(proc, peak)) is None:
                if time.monotonic() - started > timeout_s:
                    _stop(proc)
                    return None
                time.sleep(POLL_S / 5)
        except BaseException:
            _stop(proc)
            raise
        _log_cost(step, time.monotonic() - started, usage, peak[0])
        texts = []
        for file in (out, err):
            file.seek(0)
            texts.append(file.read().decode("utf-8", "replace"))
    return proc.returncode, texts[0], texts[1]


def _log_cost(step: str, wall_s: float, usage: resource.struct_rusage, peak_mb: float) -> None:
    cost = RunCost(
        step=step, wall_s=wall_s, cpu_s=usage.ru_utime + usage.ru_stime, peak_rss_mb=peak_mb
    )
    log.debug(
        "ffmpeg %s: %.2f s, %.2f CPU s, %.0f MB",
        step,
        cost.wall_s,
        cost.cpu_s,
        cost.peak_rss_mb,
        extra={"ffmpeg_run": cost},
    )


def _reap(proc: subprocess.Popen, peak_mb: list[float]) -> resource.struct_rusage | None:
    """The exited process's own resource use (it is reaped and its returncode set), or None
    while it runs, keeping peak_mb[0] at its peak resident size so far. os.wait4 reads one
    child's CPU time, which RUSAGE_CHILDREN cannot when several renders run at once."""
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
    if pid == 0:
        peak_mb[0] = max(peak_mb[0], _resident_peak_mb(proc.pid))
        return None
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage


def _resident_peak_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB; 0 where /proc does not say."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _drain(proc: subprocess.Popen, tail: collections.deque[str]) -> None:
    for raw in proc.stderr or ():
        line = raw.decode("utf-8", "replace").rstrip()
        if line:
            tail.append(line)


def _read_progress(proc: subprocess.Popen, done_us: list[int]) -> None:
    """Keep `done_us[0]` at the latest out_time FFmpeg reported (out_time_ms is in
    microseconds too, despite its name); drains stdout when -progress is off."""
    for raw in proc.stdout or ():
        key, _, value = raw.decode("ascii", "replace").strip().partition("=")
        if key in ("out_time_us", "out_time_ms") and value.isdigit():
            done_us[0] = max(done_us[0], int(value))


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
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
