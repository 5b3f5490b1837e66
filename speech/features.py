"""Frames, voice activity by energy and MFCC features (25 ms window, 10 ms hop).

Written with numpy alone: python_speech_features and librosa would add scipy (and numba for
librosa) for about forty lines of arithmetic. The recipe is the usual one: pre-emphasis
0.97, Hamming window, 512-point FFT, 26 mel filters up to the Nyquist frequency, log, DCT-II
keeping 13 coefficients (c0 included), first-order deltas over +-2 frames, then every
dimension normalised to zero mean and unit variance over the utterance's speech frames, so
that loudness, microphone colour and the speaker's vocal tract count less than what is said.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from speech.audio import SAMPLE_RATE

WINDOW = 400  # 25 ms at 16 kHz
HOP = 160  # 10 ms
FRAME_S = HOP / SAMPLE_RATE
N_FFT = 512
N_MELS = 26
N_MFCC = 13
PRE_EMPHASIS = 0.97
DELTA_SPAN = 2

# Voice activity: a frame is speech when its energy is within SPEECH_RANGE_DB of the loud
# frames and above ABSOLUTE_FLOOR_DB (so digital silence and faint hiss never count).
SPEECH_RANGE_DB = 30.0
NOISE_MARGIN_DB = 10.0
ABSOLUTE_FLOOR_DB = -50.0
MIN_SPEECH_FRAMES = 5  # shorter bursts (clicks) are not speech
BRIDGE_FRAMES = 10  # gaps under 100 ms (stops, plosives) stay inside speech


@dataclass(frozen=True)
class Features:
    """Per 10 ms frame: energy in dBFS, speech or not, and normalised MFCC + deltas."""

    energy_db: np.ndarray  # (n,)
    is_speech: np.ndarray  # (n,) bool
    mfcc: np.ndarray  # (n, 26)

    @property
    def n_frames(self) -> int:
        return len(self.energy_db)

    def speech_span(self) -> tuple[int, int] | None:
        """First and one-past-last speech frame, or None when nothing was said."""
        found = np.flatnonzero(self.is_speech)
        if len(found) == 0:
            return None
        return int(found[0]), int(found[-1]) + 1


def frames(samples: np.ndarray, *, window: int = WINDOW, hop: int = HOP) -> np.ndarray:
    """Overlapping frames (n, window); the tail is zero-padded so every sample is in one."""
    n = max(1, 1 + int(np.ceil(max(0, len(samples) - window) / hop)))
    padded = np.zeros((n - 1) * hop + window, dtype=np.float32)
    padded[: len(samples)] = samples
    index = np.arange(window)[None, :] + hop * np.arange(n)[:, None]
    return padded[index]


def energy_db(framed: np.ndarray) -> np.ndarray:
    """RMS level of each frame in dB relative to full scale."""
    rms = np.sqrt(np.mean(framed.astype(np.float64) ** 2, axis=1))
    return 20.0 * np.log10(np.maximum(rms, 1e-6))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def speech_mask(levels_db: np.ndarray) -> np.ndarray:
    """Energy voice activity: loud enough relative to the recording and to full scale."""
    if len(levels_db) == 0:
        return np.zeros(0, dtype=bool)
    loud = float(np.percentile(levels_db, 95))
    noise = float(np.percentile(levels_db, 10))
    threshold = max(loud - SPEECH_RANGE_DB, noise + NOISE_MARGIN_DB, ABSOLUTE_FLOOR_DB)
    mask = levels_db > threshold
    for start, end in _runs(~mask):
        if start > 0 and end < len(mask) and end - start < BRIDGE_FRAMES:
            mask[start:end] = True
    for start, end in _runs(mask):
        if end - start < MIN_SPEECH_FRAMES:
            mask[start:end] = False
    return mask


def _mel_filters(warp: float) -> np.ndarray:
    def to_mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    def to_hz(mel: np.ndarray) -> np.ndarray:
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)

    edges_mel = np.linspace(0.0, to_mel(np.array(SAMPLE_RATE / 2)), N_MELS + 2)
    edges_hz = np.minimum(to_hz(edges_mel) * warp, SAMPLE_RATE / 2)
    bins = np.floor((N_FFT + 1) * edges_hz / SAMPLE_RATE).astype(int)
    bank = np.zeros((N_MELS, N_FFT // 2 + 1))
    for m in range(1, N_MELS + 1):
        left, centre, right = bins[m - 1], bins[m], bins[m + 1]
        for k in range(left, centre):
            bank[m - 1, k] = (k - left) / max(1, centre - left)
        for k in range(centre, right):
            bank[m - 1, k] = (right - k) / max(1, right - centre)
    return bank


def _dct_matrix() -> np.ndarray:
    n = np.arange(N_MELS)
    k = np.arange(N_MFCC)[:, None]
    basis = np.cos(np.pi * k * (2 * n + 1) / (2 * N_MELS)) * np.sqrt(2.0 / N_MELS)
    basis[0] /= np.sqrt(2.0)
    return basis


_DCT = _dct_matrix()
_MELS: dict[float, np.ndarray] = {}


def mel_filters(warp: float = 1.0) -> np.ndarray:
    """Triangular mel filters; `warp` scales every filter's frequencies (VTLN)."""
    if warp not in _MELS:
        _MELS[warp] = _mel_filters(warp)
    return _MELS[warp]


def deltas(values: np.ndarray, *, span: int = DELTA_SPAN) -> np.ndarray:
    """Regression deltas over +-span frames (edges repeat the first and last frame)."""
    padded = np.pad(values, ((span, span), (0, 0)), mode="edge")
    n = len(values)
    total = sum(
        t * (padded[span + t : span + t + n] - padded[span - t : span - t + n])
        for t in range(1, span + 1)
    )
    return total / (2 * sum(t * t for t in range(1, span + 1)))


def power_spectrum(framed: np.ndarray) -> np.ndarray:
    emphasised = np.concatenate(
        [framed[:, :1], framed[:, 1:] - PRE_EMPHASIS * framed[:, :-1]], axis=1
    )
    return np.abs(np.fft.rfft(emphasised * np.hamming(framed.shape[1]), n=N_FFT)) ** 2


def mfcc(spectrum: np.ndarray, *, warp: float = 1.0) -> np.ndarray:
    """13 cepstral coefficients per frame of a power spectrum (not yet normalised)."""
    mel_energy = np.log(np.maximum(spectrum @ mel_filters(warp).T, 1e-10))
    return mel_energy @ _DCT.T


def _normalised_features(spectrum: np.ndarray, is_speech: np.ndarray, warp: float) -> np.ndarray:
    cepstra = mfcc(spectrum, warp=warp)
    stacked = np.concatenate([cepstra, deltas(cepstra)], axis=1)
    basis = stacked[is_speech] if is_speech.sum() >= MIN_SPEECH_FRAMES else stacked
    return (stacked - basis.mean(axis=0)) / np.maximum(basis.std(axis=0), 1e-6)


def extract(samples: np.ndarray, *, warps: tuple[float, ...] = (1.0,)) -> list[Features]:
    """Energy, voice activity and utterance-normalised MFCC + deltas of mono 16 kHz samples,
    once per frequency warp asked for (the spectrum is computed once)."""
    framed = frames(samples)
    levels = energy_db(framed)
    is_speech = speech_mask(levels)
    spectrum = power_spectrum(framed)
    return [
        Features(
            energy_db=levels,
            is_speech=is_speech,
            mfcc=_normalised_features(spectrum, is_speech, warp),
        )
        for warp in warps
    ]
