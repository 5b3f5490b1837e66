"""The music ducks under the voice: measured on the mixed track, the bed alone by its pitch."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from render import assembly, assembly_commands
from render.profiles import profile_for
from tests.scenes.render_fixtures import ffmpeg

pytestmark = pytest.mark.slow  # real FFmpeg runs; no database
RATE = 48000
MUSIC_HZ, VOICE_HZ = 2000, 300


def _voice(path: Path, *, gain: float) -> Path:
    # 1.6 s of a voice stand-in (mono 24 kHz like TTS), then the scene's pause.
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=f={VOICE_HZ}:d=1.6",
        "-af",
        f"volume={gain},tremolo=f=3",
        "-ar",
        "24000",
        "-ac",
        "1",
        str(path),
    )
    return path


def _music(path: Path) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=f={MUSIC_HZ}:d=6", "-ac", "2", str(path))
    return path


def _mix(tmp_path: Path, *, voice_gain: float) -> np.ndarray:
    """The reel's audio for a voiced 2 s scene and a silent 3 s one, as mono samples (the
    music fades out over the last 1.5 s)."""
    out = assembly.mix_audio(
        narration_paths=[_voice(tmp_path / f"v{voice_gain}.wav", gain=voice_gain), None],
        scene_durations_ms=[2000, 3000],
        music_path=_music(tmp_path / "m.wav"),
        out_path=tmp_path / f"mix{voice_gain}.m4a",
        profile=profile_for("preview", "9:16"),
    )
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(out), "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.float32)


def _level_db(samples: np.ndarray, start_s: float, end_s: float, hz: int) -> float:
    """The level of one pitch in a window (a single-bin DFT), in dB."""
    window = samples[int(start_s * RATE) : int(end_s * RATE)]
    t = np.arange(len(window)) / RATE
    amplitude = 2 * abs(np.dot(window, np.exp(-2j * np.pi * hz * t))) / len(window)
    return float(20 * np.log10(amplitude + 1e-12))


@pytest.mark.parametrize("voice_gain", [0.25, 2.0])  # a quiet narration and a loud one
def test_music_ducks_by_the_same_depth_under_any_voice(tmp_path, voice_gain):
    samples = _mix(tmp_path, voice_gain=voice_gain)

    under_voice = _level_db(samples, 0.2, 1.4, MUSIC_HZ)
    in_the_gap = _level_db(samples, 2.9, 3.4, MUSIC_HZ)  # after the release, before the fade

    assert in_the_gap - under_voice == pytest.approx(assembly_commands.DUCK_DB, abs=1.5)


def test_the_duck_leaves_the_voice_alone_and_lets_go_after_it(tmp_path):
    samples = _mix(tmp_path, voice_gain=1.0)
    levels = [_level_db(samples, s, s + 0.1, MUSIC_HZ) for s in np.arange(1.5, 3.0, 0.1)]
    rises = np.diff(levels)

    assert _level_db(samples, 0.2, 1.4, VOICE_HZ) > _level_db(samples, 0.2, 1.4, MUSIC_HZ) + 15
    # Back up after the line ends, smoothly: rising, and over several 100 ms steps (a plain
    # gate jumps the whole depth in one).
    assert levels[-1] - levels[0] > assembly_commands.DUCK_DB - 1.5
    assert rises.min() > -0.5
    assert rises.max() < 7
