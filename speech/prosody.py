"""Intonation, tempo, pauses and expressiveness, all read through the DTW path.

Expressiveness compares prosody statistics of the recording with the reference's: pitch
spread (standard deviation of the semitone contour), pitch range (10th to 90th percentile,
in semitones) and loudness spread (standard deviation of speech-frame energy in dB). Frame
to frame pitch movement was tried and left out: it follows YIN's jitter more than the
reading. Each pair
scores min/max (1 when equal, lower when flatter or more exaggerated); the score is their
mean. It says how lively the reading is next to the reference, not which emotion it carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from speech.dtw import Alignment
from speech.features import FRAME_S, Features

MIN_PITCH_FRAMES = 20  # fewer common voiced frames: intonation cannot be judged
MIN_PAUSE_FRAMES = 30  # a silence of 300 ms or more inside the speech is a pause


@dataclass(frozen=True)
class Intonation:
    """Correlation of the two semitone contours on the reference's clock, and the contours
    themselves (one value per `frame_s`, None where unvoiced) for plotting."""

    score: float
    correlation: float | None
    frame_s: float
    reference: list[float | None]
    recording: list[float | None]

    def to_json(self) -> dict:
        return {
            "score": round(self.score, 3),
            "correlation": None if self.correlation is None else round(self.correlation, 3),
            "frame_s": self.frame_s,
            "reference": self.reference,
            "recording": self.recording,
        }


@dataclass(frozen=True)
class Pause:
    at_s: float
    duration_s: float


@dataclass(frozen=True)
class Tempo:
    """`ratio` is the recording's speaking time over the reference's: 1.3 is 30 % slower."""

    ratio: float
    extra_pauses: list[Pause] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "ratio": round(self.ratio, 3),
            "extra_pauses": [
                {"at_s": round(p.at_s, 2), "duration_s": round(p.duration_s, 2)}
                for p in self.extra_pauses
            ],
        }


@dataclass(frozen=True)
class Expressiveness:
    score: float
    reference: dict[str, float]
    recording: dict[str, float]

    def to_json(self) -> dict:
        return {
            "score": round(self.score, 3),
            "reference": {k: round(v, 3) for k, v in self.reference.items()},
            "recording": {k: round(v, 3) for k, v in self.recording.items()},
        }


def _contour(values: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else round(float(v), 2) for v in values]


def warp_onto_reference(values: np.ndarray, alignment: Alignment, n_reference: int) -> np.ndarray:
    """The recording's per-frame values averaged over the frames DTW pairs with each
    reference frame (NaN where none of them has a value)."""
    sums = np.zeros(n_reference)
    counts = np.zeros(n_reference)
    ref, rec = alignment.path[:, 0], alignment.path[:, 1]
    usable = np.isfinite(values[rec])
    np.add.at(sums, ref[usable], values[rec][usable])
    np.add.at(counts, ref[usable], 1)
    out = np.full(n_reference, np.nan)
    out[counts > 0] = sums[counts > 0] / counts[counts > 0]
    return out


def intonation(
    reference_st: np.ndarray, recording_st: np.ndarray, alignment: Alignment
) -> Intonation:
    """Pearson correlation of the reference contour and the warped recording contour;
    the score is the correlation floored at 0 (0 when too few frames are voiced in both)."""
    warped = warp_onto_reference(recording_st, alignment, len(reference_st))
    both = np.isfinite(reference_st) & np.isfinite(warped)
    correlation = None
    if both.sum() >= MIN_PITCH_FRAMES:
        a, b = reference_st[both], warped[both]
        if a.std() > 1e-6 and b.std() > 1e-6:
            correlation = float(np.corrcoef(a, b)[0, 1])
    return Intonation(
        score=max(0.0, correlation or 0.0),
        correlation=correlation,
        frame_s=FRAME_S,
        reference=_contour(reference_st),
        recording=_contour(warped),
    )


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def tempo(reference: Features, recording: Features, alignment: Alignment) -> Tempo:
    """Speaking-time ratio and the recording's pauses that the reference does not make."""
    ref_lo, ref_hi = reference.speech_span() or (0, 1)
    rec_lo, rec_hi = recording.speech_span() or (0, 1)
    ratio = (rec_hi - rec_lo) / max(1, ref_hi - ref_lo)
    pauses = []
    inside = ~recording.is_speech[rec_lo:rec_hi]
    path = alignment.path
    for start, end in _runs(inside):
        if end - start < MIN_PAUSE_FRAMES:
            continue
        start, end = start + rec_lo, end + rec_lo
        steps = (path[:, 1] >= start) & (path[:, 1] < end)
        paired = reference.is_speech[path[steps, 0]]
        # DTW pairs a pause the reference also makes with the reference's own silence
        if len(paired) and paired.mean() > 0.5:
            pauses.append(Pause(at_s=start * FRAME_S, duration_s=(end - start) * FRAME_S))
    return Tempo(ratio=float(ratio), extra_pauses=pauses)


def _statistics(features: Features, contour: np.ndarray) -> dict[str, float]:
    voiced = contour[np.isfinite(contour)]
    loud = features.energy_db[features.is_speech]
    if len(voiced) < MIN_PITCH_FRAMES:
        spread = range_st = 0.0
    else:
        spread = float(voiced.std())
        range_st = float(np.percentile(voiced, 90) - np.percentile(voiced, 10))
    return {
        "pitch_spread_st": spread,
        "pitch_range_st": range_st,
        "loudness_spread_db": float(loud.std()) if len(loud) else 0.0,
    }


def expressiveness(
    reference: Features, reference_st: np.ndarray, recording: Features, recording_st: np.ndarray
) -> Expressiveness:
    """How close the recording's prosody statistics are to the reference's (0-1)."""
    ref = _statistics(reference, reference_st)
    rec = _statistics(recording, recording_st)
    ratios = []
    for name in ref:
        low, high = sorted((ref[name], rec[name]))
        ratios.append(1.0 if high < 1e-6 else low / high)
    return Expressiveness(score=float(np.mean(ratios)), reference=ref, recording=rec)
