"""Frames that Python makes and FFmpeg reads: one pipe per stream, an input `pipe:N` of its own.

    feed = Feed(write=lambda out: ...)   # writes raw frames to `out`
    argv = [..., "-f", "rawvideo", ..., "-i", feed.url, ...]
    runner.run_ffmpeg(argv, feeds=[feed])

Each feed is written by a thread of its own while FFmpeg runs (FFmpeg reads several inputs
at once, so one writer waiting on its pipe never holds up another's). The read end is passed
to FFmpeg under its own number and closed here; FFmpeg sees the end of the stream when the
writer returns. A writer that finds the pipe closed (FFmpeg took all the frames it wanted,
or stopped) just ends; any other error is kept and raised by `raise_error` once FFmpeg is
done, so a picture that cannot be read fails its render with that reason.

Each pipe holds PIPE_BYTES where Linux allows: with its default 64 KiB, a 3 MB frame takes
~50 wake-ups of each side, and moving 300 frames of 1080x1920 cost ~1 CPU s of the two
processes together instead of ~0.5.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Sequence
from typing import BinaryIO

Writer = Callable[[BinaryIO], None]
PIPE_BYTES = 1 << 20  # Linux's default ceiling for an unprivileged process


class Feed:
    """One stream of frames into an FFmpeg run."""

    def __init__(self, write: Writer) -> None:
        self.write = write
        self.read_fd, self.write_fd = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # not Linux, or a lower ceiling
            fcntl.fcntl(self.write_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self.error: BaseException | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """FFmpeg's name for the stream: the pipe protocol on the read end's number."""
        return f"pipe:{self.read_fd}"

    def start(self) -> None:
        """Hand the read end over (the child has it now) and start writing."""
        os.close(self.read_fd)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with os.fdopen(self.write_fd, "wb") as out:
                self.write(out)
        except BrokenPipeError:
            pass  # FFmpeg stopped reading: it has its frames, or its own error says why
        except BaseException as exc:  # kept for the caller; nothing is raised in a thread
            self.error = exc

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def discard(self) -> None:
        """Close both ends of a feed that never started (FFmpeg could not be started)."""
        for fd in (self.read_fd, self.write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


def read_fds(feeds: Sequence[Feed]) -> tuple[int, ...]:
    return tuple(feed.read_fd for feed in feeds)


def raise_error(feeds: Sequence[Feed]) -> None:
    """Raise the first error a writer met, if any."""
    for feed in feeds:
        if feed.error is not None:
            raise feed.error
