"""run_ffmpeg's time limit and progress, with real FFmpeg processes (no database)."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from render import runner
from render.feeds import Feed
from render.runner import RenderError, Timeouts

# A source that never ends, read at real-time speed: FFmpeg runs until it is stopped.
FOREVER = ["ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "anullsrc"]
FOREVER += ["-f", "null", "-"]


def test_timeouts_scale_with_the_media_and_have_a_floor():
    timeouts = Timeouts(min_s=30, per_media_s=10)

    assert timeouts.for_media(1.0) == 30
    assert timeouts.for_media(12.0) == 120


def test_an_ffmpeg_run_that_would_never_end_is_stopped_at_its_time_limit(monkeypatch):
    started_procs = []
    real_popen = runner.subprocess.Popen

    def recording_popen(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started_procs.append(proc)
        return proc

    monkeypatch.setattr(runner.subprocess, "Popen", recording_popen)
    started = time.monotonic()

    with pytest.raises(RenderError, match="timed out") as caught:
        runner.run_ffmpeg(
            FOREVER, step="scene 3", media_s=0.5, timeouts=Timeouts(min_s=1, per_media_s=1)
        )

    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 5.0
    assert caught.value.step == "scene 3"
    assert "1 s" in str(caught.value)
    assert started_procs[0].poll() is not None  # the process is gone


def test_an_exception_in_the_waiting_thread_stops_ffmpeg(monkeypatch):
    """A Celery soft time limit is raised in the thread that waits: FFmpeg must not outlive it."""
    started_procs = []
    real_popen = runner.subprocess.Popen

    def recording_popen(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started_procs.append(proc)
        return proc

    class SoftLimit(Exception):
        pass

    def interrupt(fraction):
        raise SoftLimit()

    monkeypatch.setattr(runner.subprocess, "Popen", recording_popen)

    with pytest.raises(SoftLimit):
        runner.run_ffmpeg(FOREVER, step="assemble", media_s=60, on_progress=interrupt)

    assert started_procs[0].poll() is not None


def test_progress_rises_from_the_ffmpeg_progress_output_to_one():
    fractions: list[float] = []
    caller = threading.get_ident()
    threads = set()

    def on_progress(fraction: float) -> None:
        threads.add(threading.get_ident())
        fractions.append(fraction)

    argv = ["ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi"]
    argv += ["-i", "testsrc2=size=64x64:rate=10:duration=2", "-f", "null", "-"]
    runner.run_ffmpeg(argv, step="scene 0", media_s=2.0, on_progress=on_progress)

    assert len(fractions) >= 2
    assert fractions == sorted(set(fractions))  # strictly rising
    assert 0 < fractions[0] < 1
    assert fractions[-1] == pytest.approx(1.0, abs=0.06)
    assert threads == {caller}  # called where the database connection lives


def test_without_progress_nothing_is_added_to_the_command(monkeypatch):
    seen = []
    real_popen = runner.subprocess.Popen

    def recording_popen(argv, **kwargs):
        seen.append(argv)
        return real_popen(argv, **kwargs)

    monkeypatch.setattr(runner.subprocess, "Popen", recording_popen)

    runner.run_ffmpeg(["ffmpeg", "-version"], step="probe")

    assert "-progress" not in seen[0]


def _gray_frames(count: int):
    """A feed writer of `count` raw 16x16 gray frames."""
    return lambda out: [out.write(bytes([100]) * 256) for _ in range(count)]


RAW_GRAY = ["-f", "rawvideo", "-pix_fmt", "gray", "-video_size", "16x16", "-framerate", "30"]


def test_a_feed_sends_python_made_frames_through_a_pipe_of_its_own(tmp_path):
    feed = Feed(_gray_frames(12))
    out = tmp_path / "out.nut"

    runner.run_ffmpeg(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *RAW_GRAY, "-i", feed.url, str(out)],
        step="feed",
        feeds=[feed],
    )

    frames = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=nb_read_frames",
         "-of", "csv=p=0", str(out)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert frames.strip() == "12"


def test_only_the_runs_own_feeds_may_use_the_pipe_protocol():
    feed = Feed(_gray_frames(1))
    try:
        args = runner.local_inputs_only(
            ["-i", feed.url, "-i", "pipe:0", "-i", "a.png"], pipes=[feed.url]
        )
    finally:
        feed.discard()

    whitelists = [args[i + 1] for i, arg in enumerate(args) if arg == "-protocol_whitelist"]
    assert whitelists == ["pipe", "file", "file"]


def test_a_feed_that_fails_fails_its_run_with_its_own_reason(tmp_path):
    def broken(out):
        out.write(bytes(256))
        raise RenderError("scene 4 canvas", "the picture could not be read.")

    feed = Feed(broken)

    with pytest.raises(RenderError, match="could not be read") as caught:
        runner.run_ffmpeg(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", *RAW_GRAY, "-i", feed.url,
             str(tmp_path / "out.nut")],
            step="scene 4",
            feeds=[feed],
        )  # fmt: skip

    assert caught.value.step == "scene 4 canvas"
