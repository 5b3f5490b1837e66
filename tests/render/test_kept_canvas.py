"""A still's canvas is made once and kept for the next clip's dissolve from it."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

import numpy as np
import pytest

from render import still_frames
from render.runner import RenderCanceled


@pytest.fixture
def made(monkeypatch):
    """Calls of a slow load_canvas stand-in (image name per call); an empty keep."""
    calls: list[str] = []
    monkeypatch.setattr(still_frames, "_kept", OrderedDict())

    def load(image_path, canvas, *, step):
        calls.append(image_path.name)
        time.sleep(0.2)  # long enough for a second clip to ask meanwhile
        if image_path.read_bytes() == b"cancelled":
            raise RenderCanceled(step)
        plane = np.full((canvas[1], canvas[0]), len(calls), np.uint8)
        return plane, plane[::2, ::2].copy(), plane[::2, ::2].copy()

    monkeypatch.setattr(still_frames, "load_canvas", load)
    return calls


def _ask_together(path, count=2):
    results: list[object] = []

    def ask():
        try:
            results.append(still_frames.kept_canvas(path, (8, 8), step="scene 0 canvas"))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_clips_asking_at_once_get_one_canvas_made_once(tmp_path, made):
    still = tmp_path / "still.png"
    still.write_bytes(b"picture")

    first, second = _ask_together(still)
    later = still_frames.kept_canvas(still, (8, 8), step="scene 0 canvas")

    assert made == ["still.png"]
    assert first is second is later
    assert not first[0].flags.writeable  # shared: no clip may draw on it


def test_a_changed_file_or_size_is_made_again(tmp_path, made):
    still = tmp_path / "still.png"
    still.write_bytes(b"picture")
    still_frames.kept_canvas(still, (8, 8), step="s")
    still_frames.kept_canvas(still, (10, 8), step="s")
    still.write_bytes(b"another picture")
    still_frames.kept_canvas(still, (8, 8), step="s")

    assert made == ["still.png"] * 3


def test_a_clip_waiting_on_one_that_was_cancelled_makes_its_own(tmp_path, made, monkeypatch):
    still = tmp_path / "still.png"
    still.write_bytes(b"cancelled")
    real = still_frames.load_canvas
    # The first caller is cancelled; the one that waited on it makes the canvas itself.
    outcomes = iter([None, b"picture"])

    def load(image_path, canvas, *, step):
        turn = next(outcomes)
        if turn is not None:
            image_path.write_bytes(turn)
        return real(image_path, canvas, step=step)

    monkeypatch.setattr(still_frames, "load_canvas", load)
    first, second = _ask_together(still)

    assert isinstance(first, RenderCanceled)
    assert isinstance(second, tuple)
    assert len(made) == 2
