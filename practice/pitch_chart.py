"""The pitch chart of a take's result as SVG polylines (drawn on the server: no script, no
CDN): the reference contour and the recording's, warped onto the reference's clock."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 600, 200, 10
RANGE_ST = 12.0  # +-12 semitones around each speaker's median fills the chart


@dataclass(frozen=True)
class PitchChart:
    width: int
    height: int
    middle: float
    reference: list[str]  # one "x,y x,y ..." per voiced run
    recording: list[str]


def _runs(values: list, n: int) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    for i, value in enumerate(values):
        if value is None:
            if len(current) > 1:
                runs.append(" ".join(current))
            current = []
            continue
        x = PAD + (WIDTH - 2 * PAD) * i / max(1, n - 1)
        clipped = max(-RANGE_ST, min(RANGE_ST, float(value)))
        y = HEIGHT / 2 - (HEIGHT / 2 - PAD) * clipped / RANGE_ST
        current.append(f"{x:.1f},{y:.1f}")
    if len(current) > 1:
        runs.append(" ".join(current))
    return runs


def pitch_chart(intonation: dict) -> PitchChart | None:
    """The chart of an analysis' `intonation` (speech.prosody.Intonation.to_json()); None
    when there is nothing to draw."""
    reference = intonation.get("reference") or []
    recording = intonation.get("recording") or []
    if not reference:
        return None
    n = len(reference)
    return PitchChart(
        width=WIDTH,
        height=HEIGHT,
        middle=HEIGHT / 2,
        reference=_runs(reference, n),
        recording=_runs(recording[:n], n),
    )
