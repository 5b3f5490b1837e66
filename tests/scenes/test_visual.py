"""Generated artwork and uploaded media (checked by content, not by name)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from media.inspection import UserMediaProvider, inspect_upload
from providers.base import InvalidInput
from providers.visual.artwork import PALETTES, TEXT_BAND, ArtworkProvider


def _art(
    tmp_path: Path,
    *,
    index: int = 0,
    phrase: str = "성수동 카페",
    style: str = "modern",
    prompt: str = "cafe",
    size: tuple[int, int] = (1080, 1920),
):
    return ArtworkProvider().make(
        prompt=prompt,
        key_phrase=phrase,
        style=style,
        language="ko",
        index=index,
        width=size[0],
        height=size[1],
        out_path=tmp_path / f"art{index}-{style}-{len(phrase)}",
    )


def test_artwork_has_the_requested_size_and_is_fast(tmp_path):
    started = time.perf_counter()
    result = _art(tmp_path)
    elapsed = time.perf_counter() - started

    with Image.open(result.path) as image:
        assert image.size == (1080, 1920)
    assert (result.width, result.height, result.kind) == (1080, 1920, "image")
    assert result.mime == "image/jpeg"
    assert elapsed < 1.5  # ~0.1 s here; generous for a loaded CI machine


def test_scenes_differ_and_redraw_identically(tmp_path):
    first = np.asarray(Image.open(_art(tmp_path, index=0).path), dtype=np.int16)
    second = np.asarray(Image.open(_art(tmp_path, index=1).path), dtype=np.int16)
    again = np.asarray(Image.open(_art(tmp_path / "again", index=0).path), dtype=np.int16)

    assert np.abs(first - second).mean() > 10
    assert np.array_equal(first, again)


@pytest.mark.parametrize("style", sorted(PALETTES))
def test_key_phrase_renders_inside_its_band(tmp_path, style):
    size = (540, 960)
    blank = np.asarray(Image.open(_art(tmp_path, phrase="", style=style, size=size).path), float)
    lettered = np.asarray(
        Image.open(_art(tmp_path, phrase="한국어 Korean", style=style, size=size).path), float
    )

    changed = np.abs(lettered - blank).max(axis=2) > 60
    rows = np.flatnonzero(changed.any(axis=1))
    assert changed.sum() > 2000  # glyphs were drawn, not tofu-free blankness
    assert rows.min() >= size[1] * TEXT_BAND[0] - 2
    assert rows.max() <= size[1] * TEXT_BAND[1] + 2


def _png(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, (200, 30, 90)).save(path, format="PNG")
    return path


def test_real_png_is_accepted(tmp_path):
    info = inspect_upload(_png(tmp_path / "photo.png"))

    assert (info.kind, info.mime, info.width, info.height) == ("image", "image/png", 64, 48)


def test_text_file_named_png_is_refused(tmp_path):
    fake = tmp_path / "photo.png"
    fake.write_text("definitely not an image\n" * 20)

    with pytest.raises(InvalidInput, match="not an image, video or audio"):
        inspect_upload(fake)


def test_truncated_png_is_refused(tmp_path):
    whole = _png(tmp_path / "whole.png", size=(400, 300))
    noise = np.random.default_rng(1).integers(0, 255, (300, 400, 3), dtype=np.uint8)
    Image.fromarray(noise).save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    with pytest.raises(InvalidInput, match="damaged"):
        inspect_upload(cut)


def test_corrupt_mp3_is_refused(tmp_path):
    corrupt = tmp_path / "song.mp3"
    corrupt.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 40)

    with pytest.raises(InvalidInput):
        inspect_upload(corrupt)


def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "x.jpg"
    empty.write_bytes(b"")

    with pytest.raises(InvalidInput, match="empty"):
        inspect_upload(empty)


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

    video, audio = inspect_upload(clip), inspect_upload(sound)

    assert (video.kind, video.mime, video.width, video.height) == ("video", "video/mp4", 64, 112)
    assert 900 <= video.duration_ms <= 1100
    assert (audio.kind, audio.mime) == ("audio", "audio/mpeg")


def test_user_media_provider_serves_uploads_in_order(tmp_path):
    first = _png(tmp_path / "a.png")
    second = _png(tmp_path / "b.png", size=(30, 20))
    provider = UserMediaProvider(paths=[first, second])

    made = [
        provider.make(
            prompt="",
            key_phrase="",
            style="modern",
            language="en",
            index=i,
            width=1080,
            height=1920,
            out_path=tmp_path / "out" / f"scene{i}",
        )
        for i in range(3)
    ]

    assert [m.width for m in made] == [64, 30, 64]
    assert [m.path.name for m in made] == ["scene0.png", "scene1.png", "scene2.png"]
    assert all(m.provider == "upload" for m in made)
