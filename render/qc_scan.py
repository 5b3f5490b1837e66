"""Black and frozen spans found while a clip is made, so the reel's QC need not decode it.

    graph += scan_branch(source="[out]", out="[v]", log_path=log, fps=30)   # in the clip's run
    scan = read_scan(log, frames=150, fps=30)            # after it: ClipScan, stored as JSON
    black, freezes = join_scans([scan, ...])             # the reel's spans, as QC reports them

A clip's FFmpeg run splits its finished picture (text layer included, exactly the frames
the encoder gets) into blackdetect and freezedetect, with the same thresholds as the reel's
QC (render.qc_measure) but no minimum length, and writes their marks with `metadata`. Joined
in reel order, spans that meet at a cut become one, and only those as long as the QC's
minimums are kept, so the result is what the detectors would report on the whole reel,
measured on every frame (the reel's own decode skips B-frames to save time).

The detectors look at every fourth pixel each way (a nearest-neighbour quarter-size copy):
the share of black pixels and the mean difference between frames, which is all they
measure, come out the same from 1/16 of the pixels (~130,000 of a 1080x1920 frame), and
they cost ~0.2 CPU ms a frame instead of ~1.1 beside the clip's encode; decoding the reel
again cost ~2 ms.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from render.qc_measure import (
    BLACK_MIN_S,
    BLACK_PIXEL_THRESHOLD,
    FREEZE_MIN_S,
    FREEZE_NOISE,
    Span,
)

# Every span, however short: the minimum lengths apply once the clips are joined.
DETECTORS = f"blackdetect=d=0:pix_th={BLACK_PIXEL_THRESHOLD:g},freezedetect=n={FREEZE_NOISE}:d=0"
SAMPLED = "scale=w=2*trunc(iw/8):h=2*trunc(ih/8):flags=neighbor"
_MARK = re.compile(r"^lavfi\.(black_start|black_end|freezedetect\.freeze_start|"
                   r"freezedetect\.freeze_end)=(-?[\d.]+)$")  # fmt: skip


@dataclass(frozen=True)
class ClipScan:
    """One clip's black and frozen spans (seconds from its first frame) and its length."""

    duration_s: float
    black: list[tuple[float, float]] = field(default_factory=list)
    freezes: list[tuple[float, float]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {"duration_s": self.duration_s, "black": self.black, "freezes": self.freezes}
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> ClipScan:
        """Raises ValueError (json.JSONDecodeError included) for anything else."""
        data = json.loads(text)
        try:
            return cls(
                duration_s=float(data["duration_s"]),
                black=[(float(s), float(e)) for s, e in data["black"]],
                freezes=[(float(s), float(e)) for s, e in data["freezes"]],
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a clip scan: {exc}") from exc


def scan_branch(*, source: str, out: str, log_path: Path, fps: int) -> str:
    """Filtergraph from `source` to `out` (labels with brackets) that passes the picture on
    untouched and runs the detectors on it, their marks written to `log_path`. Frames are
    numbered again (frame n at n / fps) so the marks are in the clip's own seconds."""
    log = _arg(log_path)
    return (
        f"{source}split=2{out}[scanin];"
        f"[scanin]settb=1/{fps},setpts=N/({fps}*TB),{SAMPLED},{DETECTORS},"
        f"metadata=mode=print:file={log},nullsink"
    )


def read_scan(log_path: Path, *, frames: int, fps: int) -> ClipScan:
    """The spans in a scan_branch log of a clip of `frames` frames; a span still open at the
    end closes there. A missing log (no mark was ever written) means none."""
    duration_s = frames / fps
    marks: dict[str, list[float]] = {"black": [], "freeze": []}
    ends: dict[str, list[float]] = {"black": [], "freeze": []}
    text = Path(log_path).read_text(encoding="utf-8") if Path(log_path).exists() else ""
    for line in text.splitlines():
        match = _MARK.match(line.strip())
        if match is None:
            continue
        key, value = match.group(1), float(match.group(2))
        kind = "black" if key.startswith("black") else "freeze"
        (marks if key.endswith("start") else ends)[kind].append(value)
    spans = {
        kind: [
            (start, end)
            for start, end in zip(
                marks[kind],
                ends[kind] + [duration_s] * (len(marks[kind]) - len(ends[kind])),
                strict=False,
            )
        ]
        for kind in marks
    }
    return ClipScan(duration_s=duration_s, black=spans["black"], freezes=spans["freeze"])


def write_scan(log_path: Path, scan_path: Path, *, frames: int, fps: int) -> ClipScan:
    """read_scan's result written to `scan_path` as JSON (whole or not at all)."""
    scan = read_scan(log_path, frames=frames, fps=fps)
    tmp = Path(scan_path).with_name(f".{Path(scan_path).name}.part")
    tmp.write_text(scan.to_json(), encoding="utf-8")
    os.replace(tmp, scan_path)
    return scan


def join_scans(scans: Sequence[ClipScan]) -> tuple[list[Span], list[Span]]:
    """(black, freezes) of the clips joined in order, as the reel's QC reports them: a span
    still running at a clip's end joined with one the next clip opens with, then only
    those of BLACK_MIN_S / FREEZE_MIN_S or more."""
    return (
        _joined([s.black for s in scans], [s.duration_s for s in scans], BLACK_MIN_S),
        _joined([s.freezes for s in scans], [s.duration_s for s in scans], FREEZE_MIN_S),
    )


def _joined(
    per_clip: Sequence[list[tuple[float, float]]], durations: Sequence[float], min_s: float
) -> list[Span]:
    merged: list[list[float]] = []
    at, open_at = 0.0, None  # open_at: where the last clip's span still ran at its end
    for spans, duration in zip(per_clip, durations, strict=True):
        for n, (start, end) in enumerate(spans):
            if n == 0 and start < 1e-6 and open_at is not None:
                # The run of frames goes on across the cut: one span, as on the whole reel.
                merged[-1][1] = at + end
            else:
                # Within a clip spans stay apart: a freeze mark ends where the detector took
                # a new reference frame, as it does on the whole reel.
                merged.append([at + start, at + end])
        open_at = at + duration if spans and spans[-1][1] >= duration - 1e-6 else None
        at += duration
    return [Span(start, end) for start, end in merged if end - start >= min_s - 1e-6]


def _arg(path: Path) -> str:
    # Two levels of escaping: the option value, then the filtergraph around it.
    value = str(path).replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")
    for ch in "\\'[],;":
        value = value.replace(ch, "\\" + ch)
    return value
