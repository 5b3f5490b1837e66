"""Media QC: is a rendered reel what the platforms expect? One report per file.

    report = run_qc(path, expect=Expect(profile="final", aspect="9:16", duration_s=30.0))
    report.status        # "PASS" | "WARN" | "FAIL"
    report.failed        # names of the FAIL checks
    report.to_json()     # a plain dict (stored on the Asset, shown in the API and admin)

Checks: container and faststart, video codec, H.264 profile, pixel format, frame rate, size
by profile and aspect, audio codec, sample rate, channels, duration against the planned
length (and against the story's target), A/V length, integrated loudness and true peak
(EBU R128), black, frozen and silent spans, first keyframe and keyframe interval.
Measuring is render.qc_measure (one ffprobe, one FFmpeg decode). Another module adds checks
by passing `extra_checks`: callables (Measurements, Expect) -> Check, run after these.
An unreadable file gives a report with one FAIL check, "readable".
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from render.qc_checks import CHECKS
from render.qc_measure import Span, Unreadable, measure
from render.qc_report import (
    FAIL,
    PASS,
    RANK,
    WARN,
    Check,
    CheckFn,
    Expect,
    QCFailed,
    QCReport,
)

__all__ = ["FAIL", "PASS", "WARN", "Check", "CheckFn", "Expect", "QCFailed", "QCReport", "run_qc"]


def run_qc(
    path: Path,
    *,
    expect: Expect | None = None,
    extra_checks: Sequence[CheckFn] = (),
    every_frame: bool = False,
    video_spans: tuple[list[Span], list[Span]] | None = None,
) -> QCReport:
    """Measure `path` and judge it; never raises for a bad file (an unreadable one is one FAIL
    check, "readable"). `every_frame` makes the black and freeze detectors look at B-frames
    too (slower; see render.qc_measure). `video_spans` (black, freezes) found by the clips'
    own runs (render.qc_scan.join_scans) stand in for decoding the picture again. Raises
    RenderError only when ffmpeg/ffprobe are not installed."""
    expect = expect or Expect()
    started = time.monotonic()
    try:
        media = measure(Path(path), every_frame=every_frame, video_spans=video_spans)
    except Unreadable as exc:
        return replace(
            QCReport.failing(
                name="readable",
                value=exc.message,
                limit="an MP4 that ffprobe and FFmpeg can read",
                message="The file cannot be read as a video.",
                expect=expect,
            ),
            elapsed_s=time.monotonic() - started,
            file=Path(path).name,
        )
    checks = [check(media, expect) for check in (*CHECKS, *extra_checks)]
    worst = max((c.status for c in checks), key=RANK.__getitem__, default=PASS)
    return QCReport(
        status=worst,
        checks=tuple(checks),
        profile=expect.profile,
        aspect=expect.aspect,
        elapsed_s=time.monotonic() - started,
        file=Path(path).name,
    )
