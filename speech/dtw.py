"""Dynamic time warping with a Sakoe-Chiba band around the stretched diagonal.

Steps are (1,1), (1,0) and (0,1) with equal weight. Each row is computed at once: the
diagonal and vertical moves are vectorised, and the horizontal moves within a row are a
running minimum over the row's cumulative cost, which is exact for this step pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The band's half-width: a fifth of the longer sequence, at least 0.5 s of frames, and
# always wide enough to reach the far corner.
BAND_FRACTION = 0.2
MIN_BAND_FRAMES = 50


@dataclass(frozen=True)
class Alignment:
    """The warping path (pairs of reference and recording frame indices) and its mean cost."""

    path: np.ndarray  # (k, 2) int: reference frame, recording frame; both non-decreasing
    mean_cost: float

    def recording_frames_for(self, reference_frame: int) -> np.ndarray:
        return self.path[self.path[:, 0] == reference_frame, 1]


def frame_costs(reference: np.ndarray, recording: np.ndarray) -> np.ndarray:
    """Euclidean distance between every pair of frames, divided by sqrt(dimensions)."""
    squared = (
        (reference**2).sum(axis=1)[:, None]
        + (recording**2).sum(axis=1)[None, :]
        - 2.0 * reference @ recording.T
    )
    return np.sqrt(np.maximum(squared, 0.0) / reference.shape[1])


def band_limits(n: int, m: int, *, fraction: float = BAND_FRACTION) -> tuple[np.ndarray, int]:
    """For each of n rows, the centre column on the n-by-m diagonal, and the band half-width."""
    centres = np.round(np.arange(n) * (m - 1) / max(1, n - 1)).astype(int)
    width = max(MIN_BAND_FRAMES, int(fraction * max(n, m)), int(np.ceil(m / max(1, n))) + 1)
    return centres, width


def align(reference: np.ndarray, recording: np.ndarray) -> Alignment:
    """The cheapest banded path from (0, 0) to (n-1, m-1). Both inputs need >= 1 frame.

    Only the band's costs are computed, row by row, so a minute against a minute stays
    within a few tens of megabytes (the move table is n-by-m bytes).
    """
    n, m = len(reference), len(recording)
    centres, width = band_limits(n, m)
    previous = np.full(m, np.inf)
    # move: 0 diagonal, 1 vertical (from the row above), 2 horizontal (from the left)
    moves = np.zeros((n, m), dtype=np.int8)
    path_cost = np.inf
    for i in range(n):
        lo, hi = max(0, centres[i] - width), min(m, centres[i] + width + 1)
        row = frame_costs(reference[i : i + 1], recording[lo:hi])[0]
        if i == 0:
            arrive = np.full(hi - lo, np.inf)
            if lo == 0:
                arrive[0] = row[0]
            came = np.ones(hi - lo, dtype=np.int8)
        else:
            diagonal = (
                previous[lo - 1 : hi - 1]
                if lo > 0
                else np.concatenate([[np.inf], previous[: hi - 1]])
            )
            vertical = previous[lo:hi]
            arrive = np.minimum(diagonal, vertical) + row
            came = np.where(diagonal <= vertical, 0, 1).astype(np.int8)
        running = np.cumsum(row)
        via_left = np.minimum.accumulate(arrive - running) + running
        from_left = via_left < arrive - 1e-9
        current = np.full(m, np.inf)
        current[lo:hi] = np.where(from_left, via_left, arrive)
        moves[i, lo:hi] = np.where(from_left, 2, came)
        previous = current
    path_cost = float(previous[m - 1])
    path = _trace(moves, n, m)
    return Alignment(path=path, mean_cost=path_cost / len(path))


def _trace(choice: np.ndarray, n: int, m: int) -> np.ndarray:
    i, j = n - 1, m - 1
    steps = [(i, j)]
    while i > 0 or j > 0:
        move = choice[i, j] if i > 0 and j > 0 else (1 if i > 0 else 2)
        if move == 0:
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
        steps.append((i, j))
    return np.array(steps[::-1], dtype=int)
