"""Media checked by content, not by name: images by Pillow, video and audio by ffprobe."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from render.inspection import UnusableMedia, inspect_media


def _png(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, (200, 30, 90)).save(path, format="PNG")
    return path


def test_real_png_is_accepted(tmp_path):
    info = inspect_media(_png(tmp_path / "photo.png"))

    assert (info.kind, info.mime, info.width, info.height) == ("image", "image/png", 64, 48)


def test_text_file_named_png_is_refused(tmp_path):
    fake = tmp_path / "photo.png"
    fake.write_text("definitely not an image\n" * 20)

    with pytest.raises(UnusableMedia, match="not an image, video or audio"):
        inspect_media(fake)


def test_truncated_png_is_refused(tmp_path):
    whole = _png(tmp_path / "whole.png", size=(400, 300))
    noise = np.random.default_rng(1).integers(0, 255, (300, 400, 3), dtype=np.uint8)
    Image.fromarray(noise).save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    with pytest.raises(UnusableMedia, match="damaged"):
        inspect_media(cut)


def test_corrupt_mp3_is_refused(tmp_path):
    corrupt = tmp_path / "song.mp3"
    corrupt.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 40)

    with pytest.raises(UnusableMedia):
        inspect_media(corrupt)


def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "x.jpg"
    empty.write_bytes(b"")

    with pytest.raises(UnusableMedia, match="empty"):
        inspect_media(empty)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
def test_real_video_and_audio_are_accepted(tmp_path):
    clip, sound = tmp_path / "clip.bin", tmp_path / "sound.dat"
    run = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi"]
    subprocess.run(
        [
            *run,
            "-i",
            "testsrc=size=64x112:rate=10:duration=1",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-f",
            "mp4",
            str(clip),
        ],
        check=True,
    )
    subprocess.run(
        [*run, "-i", "sine=frequency=440:duration=1", "-f", "mp3", str(sound)], check=True
    )

    video, audio = inspect_media(clip), inspect_media(sound)

    assert (video.kind, video.mime, video.width, video.height) == ("video", "video/mp4", 64, 112)
    assert 900 <= video.duration_ms <= 1100
    assert (audio.kind, audio.mime) == ("audio", "audio/mpeg")
