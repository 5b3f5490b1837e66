"""Generated background music: exact length, stereo 48 kHz, quiet enough to sit under a voice."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import numpy as np
import pytest

from providers.base import PermanentProviderError
from providers.music.generated import MOODS, GeneratedMusicProvider, mood_for_style


def _read(path: Path) -> tuple[np.ndarray, wave._wave_params]:
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        frames = np.frombuffer(wav.readframes(params.nframes), dtype="<i2")
    return frames.reshape(-1, params.nchannels).astype(np.float32) / 32768.0, params


@pytest.mark.parametrize("mood", MOODS)
def test_track_is_exact_stereo_48k_and_under_a_voice(tmp_path, mood):
    result = GeneratedMusicProvider().make(
        mood=mood, duration_ms=12_345, out_path=tmp_path / "m.wav"
    )

    samples, params = _read(result.path)
    assert params.nchannels == 2
    assert params.framerate == 48_000
    assert abs(params.nframes * 1000 / 48_000 - 12_345) <= 20
    assert result.duration_ms == pytest.approx(12_345, abs=20)
    peak_db = 20 * np.log10(np.abs(samples).max())
    rms_db = 20 * np.log10(np.sqrt(np.mean(samples**2)))
    assert peak_db < -3
    assert -30 < rms_db < -15  # not silent, not loud


def test_sixty_seconds_render_fast_and_deterministically(tmp_path):
    provider = GeneratedMusicProvider()

    started = time.perf_counter()
    first = provider.make(
        mood="upbeat", duration_ms=60_000, bpm=120, seed=7, out_path=tmp_path / "a.wav"
    )
    elapsed = time.perf_counter() - started
    second = provider.make(
        mood="upbeat", duration_ms=60_000, bpm=120, seed=7, out_path=tmp_path / "b.wav"
    )
    other = provider.make(
        mood="upbeat", duration_ms=60_000, bpm=120, seed=8, out_path=tmp_path / "c.wav"
    )

    assert elapsed < 2.0  # ~0.3 s here
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.path.read_bytes() != other.path.read_bytes()


def test_stereo_channels_differ_a_little(tmp_path):
    result = GeneratedMusicProvider().make(
        mood="calm", duration_ms=3000, out_path=tmp_path / "m.wav"
    )

    samples, _ = _read(result.path)
    assert not np.array_equal(samples[:, 0], samples[:, 1])


def test_bad_requests_are_permanent_errors(tmp_path):
    provider = GeneratedMusicProvider()

    with pytest.raises(PermanentProviderError):
        provider.make(mood="calm", duration_ms=0, out_path=tmp_path / "m.wav")
    with pytest.raises(PermanentProviderError):
        provider.make(mood="calm", duration_ms=1000, bpm=400, out_path=tmp_path / "m.wav")


def test_mood_for_style():
    assert mood_for_style("vivid") == "upbeat"
    assert mood_for_style("calm") == "calm"
    assert mood_for_style("unknown") in MOODS
