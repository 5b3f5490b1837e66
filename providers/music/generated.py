"""Generated background music: chords, bass and a soft beat per mood, synthesised with numpy.

The track is built bar by bar from one chord progression per mood: soft pad chords (detuned
sines with slow attack), a sine bass on the root, and a gentle kick / hat pattern. Gentle
low-pass smoothing keeps it warm, peaks are held at -6 dBFS and loudness near -20 LUFS
(approximated by RMS), so it sits under a voice. Same arguments, same samples.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from providers.base import PermanentProviderError, Usage

PROVIDER = "generated-music"
SAMPLE_RATE = 48_000
PEAK_DBFS = -6.0
TARGET_RMS_DBFS = -21.0  # about -20 LUFS for this kind of material
MOODS = ("upbeat", "calm", "dramatic", "warm")
DEFAULT_MOOD = "warm"

# Semitones from A4 (440 Hz) of each chord's notes; roots sit an octave or two lower for bass.
_PROGRESSIONS: dict[str, list[tuple[int, ...]]] = {
    "upbeat": [(3, 7, 10), (-2, 2, 5), (0, 3, 7), (-4, 0, 3)],  # C G Am F
    "calm": [(-4, 0, 3, 7), (3, 7, 10, 14), (0, 3, 7, 10), (-2, 2, 5, 9)],  # Fmaj7 Cmaj7 Am7 G
    "dramatic": [(0, 3, 7), (-4, 0, 3), (3, 7, 10), (-2, 2, 5)],  # Am F C G
    "warm": [(5, 9, 12), (0, 4, 7), (2, 5, 9), (-2, 2, 5)],  # D A Bm G (in A-ish)
}
_DEFAULT_BPM = {"upbeat": 112, "calm": 76, "dramatic": 90, "warm": 96}
_STYLE_MOODS = {
    "vivid": "upbeat",
    "retro": "upbeat",
    "calm": "calm",
    "minimal": "calm",
    "food": "warm",
    "modern": "warm",
}


@dataclass(frozen=True)
class MusicResult:
    """A stereo 48 kHz WAV exactly `duration_ms` long."""

    path: Path
    duration_ms: int
    provider: str
    usage: Usage | None = None


def mood_for_style(style: str) -> str:
    """The mood that suits a visual style; the default mood for unknown styles."""
    return _STYLE_MOODS.get(style, DEFAULT_MOOD)


def chord_root_hz(mood: str, bar: int) -> float:
    """The root of the chord the track plays in `bar` (0-based), in Hz near A3, so a voice
    can be tuned to it."""
    progression = _PROGRESSIONS.get(mood, _PROGRESSIONS[DEFAULT_MOOD])
    return _hz(progression[bar % len(progression)][0] - 12)


def _hz(semitones: float) -> float:
    return 440.0 * 2.0 ** (semitones / 12.0)


def _envelope(n: int, *, attack: float, release: float) -> np.ndarray:
    t = np.arange(n, dtype=np.float32) / SAMPLE_RATE
    env = np.minimum(1.0, t / max(attack, 1e-4))
    tail = (n - np.arange(n)) / SAMPLE_RATE
    return env * np.minimum(1.0, tail / max(release, 1e-4)).astype(np.float32)


def _pad(notes: tuple[int, ...], n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n, dtype=np.float32) / SAMPLE_RATE
    left = np.zeros(n, dtype=np.float32)
    right = np.zeros(n, dtype=np.float32)
    for note in notes:
        freq = _hz(note - 12)
        detune = 1.0 + rng.uniform(0.001, 0.003)
        phase = rng.uniform(0, 2 * np.pi)
        # Two slightly detuned sines per note, one per side: width without harshness.
        left += np.sin(2 * np.pi * freq * t + phase) + 0.25 * np.sin(4 * np.pi * freq * t)
        right += np.sin(2 * np.pi * freq * detune * t + phase) + 0.25 * np.sin(4 * np.pi * freq * t)
    env = _envelope(n, attack=0.25, release=0.35)
    scale = 0.18 / len(notes)
    return left * env * scale, right * env * scale


def _bass(root: int, n: int, beats: int, beat_len: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    freq = _hz(root - 24)
    for beat in range(0, beats, 2):
        start = beat * beat_len
        length = min(n - start, beat_len * 2)
        t = np.arange(length, dtype=np.float32) / SAMPLE_RATE
        tone = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(4 * np.pi * freq * t)
        out[start : start + length] += 0.22 * tone * _envelope(length, attack=0.01, release=0.2)
    return out


def _drums(n: int, beats: int, beat_len: int, mood: str, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    kick_len = min(n, int(0.25 * SAMPLE_RATE))
    t = np.arange(kick_len, dtype=np.float32) / SAMPLE_RATE
    # A soft kick: a sine sweeping 110 -> 45 Hz with a fast decay.
    sweep = 45 + 65 * np.exp(-t * 30)
    kick = np.sin(2 * np.pi * np.cumsum(sweep) / SAMPLE_RATE) * np.exp(-t * 14)
    hat_len = min(n, int(0.05 * SAMPLE_RATE))
    hat = rng.standard_normal(hat_len).astype(np.float32)
    hat = np.diff(hat, prepend=0.0) * np.exp(-np.arange(hat_len) / SAMPLE_RATE * 80)
    kick_every = 1 if mood == "upbeat" else 2
    hat_level = 0.0 if mood == "calm" else 0.035
    for beat in range(beats):
        start = beat * beat_len
        if beat % kick_every == 0:
            end = min(n, start + kick_len)
            out[start:end] += 0.35 * kick[: end - start]
        for offset in (0, beat_len // 2):
            s = start + offset
            end = min(n, s + hat_len)
            if s < n and hat_level:
                out[s:end] += hat_level * hat[: end - s]
    return out


def _smooth(signal: np.ndarray, *, cutoff_hz: float) -> np.ndarray:
    """One-pole-like low-pass by a short moving average: takes the fizz off the top."""
    width = max(1, int(SAMPLE_RATE / cutoff_hz))
    kernel = np.ones(width, dtype=np.float32) / width
    return np.convolve(signal, kernel, mode="same").astype(np.float32)


class GeneratedMusicProvider:
    """Offline background music for any length; deterministic from mood, bpm and seed."""

    def make(
        self, *, mood: str, duration_ms: int, out_path: Path, bpm: int | None = None, seed: int = 0
    ) -> MusicResult:
        """Write a stereo 48 kHz WAV exactly `duration_ms` long. Raises PermanentProviderError."""
        if duration_ms <= 0 or duration_ms > 30 * 60 * 1000:
            raise PermanentProviderError(f"bad music length {duration_ms} ms", provider=PROVIDER)
        mood = mood if mood in _PROGRESSIONS else DEFAULT_MOOD
        tempo = int(bpm or _DEFAULT_BPM[mood])
        if not 40 <= tempo <= 200:
            raise PermanentProviderError(f"tempo {tempo} bpm is out of 40-200", provider=PROVIDER)
        rng = np.random.default_rng([seed, MOODS.index(mood) if mood in MOODS else 0, tempo])
        total = round(duration_ms * SAMPLE_RATE / 1000)
        beat_len = round(SAMPLE_RATE * 60 / tempo)
        bar_len = beat_len * 4
        left = np.zeros(total + bar_len, dtype=np.float32)
        right = np.zeros(total + bar_len, dtype=np.float32)
        progression = _PROGRESSIONS[mood]
        for bar, start in enumerate(range(0, total, bar_len)):
            chord = progression[bar % len(progression)]
            pad_l, pad_r = _pad(chord, bar_len, rng)
            rhythm = _bass(chord[0], bar_len, 4, beat_len) + _drums(bar_len, 4, beat_len, mood, rng)
            left[start : start + bar_len] += pad_l + rhythm
            right[start : start + bar_len] += pad_r + rhythm
        stereo = np.stack([left[:total], right[:total]], axis=1)
        stereo[:, 0] = _smooth(stereo[:, 0], cutoff_hz=6000)
        stereo[:, 1] = _smooth(stereo[:, 1], cutoff_hz=6000)
        fade = min(total // 4, SAMPLE_RATE)  # a second of fade in and out, less for short tracks
        if fade:
            ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)[:, None]
            stereo[:fade] *= ramp
            stereo[-fade:] *= ramp[::-1]
        stereo = _normalise(stereo)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        pcm = np.clip(stereo * 32767.0, -32768, 32767).astype("<i2")
        with wave.open(str(out_path), "wb") as wav:
            wav.setnchannels(2)
            wav.setsampwidth(2)
            wav.setframerate(SAMPLE_RATE)
            wav.writeframes(pcm.tobytes())
        return MusicResult(
            path=out_path,
            duration_ms=round(total * 1000 / SAMPLE_RATE),
            provider=PROVIDER,
            usage=Usage(
                provider=PROVIDER,
                model=f"numpy-{mood}",
                units=total / SAMPLE_RATE,
                unit="seconds",
            ),
        )


def _normalise(stereo: np.ndarray) -> np.ndarray:
    """Scale to the target RMS, then pull down if the peak would pass PEAK_DBFS."""
    rms = float(np.sqrt(np.mean(np.square(stereo)))) or 1e-9
    gain = 10 ** (TARGET_RMS_DBFS / 20) / rms
    peak = float(np.abs(stereo).max()) * gain or 1e-9
    gain *= min(1.0, 10 ** (PEAK_DBFS / 20) / peak)
    return stereo * gain
