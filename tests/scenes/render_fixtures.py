"""Synthetic media for the render tests: stills, tone narration, a test clip, a music bed."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageDraw

from render.types import WordTiming


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


def make_still(path: Path, *, seed: int) -> Path:
    image = Image.new("RGB", (720, 1280), (30 + 40 * seed, 80, 160 - 30 * seed))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x, y = (97 * (i + seed)) % 700, (173 * (i + 2 * seed)) % 1260
        draw.ellipse([x, y, x + 120, y + 120], fill=(255 - 20 * i, 40 * (i % 5), 20 * i))
    image.save(path)
    return path


def make_tone(path: Path, *, seconds: float, freq: int) -> Path:
    # A voice stand-in: mono 24 kHz like TTS output, with a level that varies.
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=f={freq}:d={seconds}",
        "-af",
        "volume=0.25,tremolo=f=3",
        "-ar",
        "24000",
        "-ac",
        "1",
        str(path),
    )
    return path


def make_clip(path: Path, *, seconds: float) -> Path:
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"testsrc=s=320x240:r=25:d={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        str(path),
    )
    return path


def make_music(path: Path, *, seconds: float) -> Path:
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=f=220:d={seconds}",
        "-f",
        "lavfi",
        "-i",
        f"sine=f=277:d={seconds}",
        "-filter_complex",
        "amix=inputs=2,volume=0.6",
        "-ac",
        "2",
        str(path),
    )
    return path


def timed_words(text: str, *, start_ms: int = 100, step_ms: int = 300) -> tuple[WordTiming, ...]:
    return tuple(
        WordTiming(word, start_ms + i * step_ms, start_ms + i * step_ms + step_ms - 40)
        for i, word in enumerate(text.split())
    )
