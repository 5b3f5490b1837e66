"""Fundamental frequency by YIN (de Cheveigné and Kawahara, 2002), 60-500 Hz, one value per
10 ms frame, and contours in semitones from the speaker's own median.

The difference function of every frame is computed at once through FFT autocorrelation;
a frame is voiced when the cumulative-mean-normalised difference dips under THRESHOLD
somewhere in the lag range, and its period is refined by parabolic interpolation.
"""

from __future__ import annotations

import numpy as np

from speech.audio import SAMPLE_RATE
from speech.features import HOP

F0_MIN_HZ = 60.0
F0_MAX_HZ = 500.0
WINDOW = 512  # 32 ms: at least two periods of the lowest voice
THRESHOLD = 0.15
_MIN_LAG = int(SAMPLE_RATE / F0_MAX_HZ)
_MAX_LAG = int(np.ceil(SAMPLE_RATE / F0_MIN_HZ))


def _frame_starts(n_samples: int, n_frames: int) -> np.ndarray:
    # Centred on the feature frames (25 ms windows), so frame i means the same instant.
    centres = np.arange(n_frames) * HOP + 200
    return centres - WINDOW // 2


def yin(samples: np.ndarray, *, n_frames: int) -> np.ndarray:
    """F0 in Hz per 10 ms frame (n_frames values); NaN where the frame is not voiced."""
    span = WINDOW + _MAX_LAG + 1
    starts = _frame_starts(len(samples), n_frames)
    padded = np.zeros(len(samples) + 2 * span, dtype=np.float64)
    padded[span : span + len(samples)] = samples
    index = (starts + span)[:, None] + np.arange(span)[None, :]
    blocks = padded[index]
    size = 1 << int(np.ceil(np.log2(2 * span)))
    spectrum = np.fft.rfft(blocks, n=size)
    head = np.fft.rfft(blocks[:, :WINDOW], n=size)
    # r(tau) = sum_j x[j] x[j + tau] over the first WINDOW samples
    cross = np.fft.irfft(np.conj(head) * spectrum, n=size)[:, : _MAX_LAG + 1]
    squares = np.cumsum(np.concatenate([np.zeros((n_frames, 1)), blocks**2], axis=1), axis=1)
    lags = np.arange(_MAX_LAG + 1)
    energy_head = squares[:, WINDOW][:, None]
    energy_shift = squares[:, lags + WINDOW] - squares[:, lags]
    difference = np.maximum(energy_head + energy_shift - 2.0 * cross, 0.0)
    running = np.cumsum(difference[:, 1:], axis=1) / lags[None, 1:]
    normalised = np.ones_like(difference)
    normalised[:, 1:] = difference[:, 1:] / np.maximum(running, 1e-12)
    f0 = np.full(n_frames, np.nan)
    searched = normalised[:, _MIN_LAG : _MAX_LAG + 1]
    for i in np.flatnonzero(searched.min(axis=1) < THRESHOLD):
        below = np.flatnonzero(searched[i] < THRESHOLD)
        lag = below[0]
        # walk down to the bottom of the first dip under the threshold
        while lag + 1 < searched.shape[1] and searched[i, lag + 1] < searched[i, lag]:
            lag += 1
        tau = float(lag + _MIN_LAG)
        if 0 < lag < searched.shape[1] - 1:
            a, b, c = searched[i, lag - 1], searched[i, lag], searched[i, lag + 1]
            denominator = a - 2 * b + c
            if denominator > 0:
                tau += 0.5 * (a - c) / denominator
        f0[i] = SAMPLE_RATE / tau
    return f0


SMOOTH_FRAMES = 5
# YIN's octave errors land about 12 semitones off; speech rarely leaves +-10 of its median.
MAX_FROM_MEDIAN_ST = 10.0


def _running_median(values: np.ndarray, width: int) -> np.ndarray:
    half = width // 2
    padded = np.pad(values, half, constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    out = np.full(len(values), np.nan)
    keep = np.isfinite(values)
    if keep.any():
        out[keep] = np.nanmedian(windows[keep], axis=1)
    return out


def semitones(f0: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    """F0 in semitones from the median of the voiced frames, smoothed by a 5-frame running
    median with octave slips dropped; NaN where unvoiced."""
    usable = voiced & np.isfinite(f0)
    out = np.full(len(f0), np.nan)
    if usable.sum() == 0:
        return out
    median = float(np.median(f0[usable]))
    out[usable] = 12.0 * np.log2(f0[usable] / median)
    out[np.abs(out) > MAX_FROM_MEDIAN_ST] = np.nan
    return _running_median(out, SMOOTH_FRAMES)
