"""Every assembled reel is judged by media QC (render.qc) before anyone sees it.

A reel that FAILs is made once more by the safe re-render (render.safe_render: everything
encoded again with libx264 and normalised audio) and judged again; if that FAILs too the
assembly fails with QCFailed, which names the failed checks. Each judgement is a `qc` event
on the story's stream; the passing report is stored on the reel's Asset (`Asset.qc`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from media.models import Asset
from render.profiles import DEFAULT_RESOLUTION
from render.qc import FAIL, PASS, Check, CheckFn, Expect, QCFailed, QCReport, run_qc
from render.qc_measure import Span
from render.runner import RenderError
from stories.events import record_event
from stories.models import Event, Story

# The names users read for QC checks (API messages, admin); the report keeps the plain names.
CHECK_LABELS = {
    "readable": _("readable video"),
    "render_check": _("rendered as asked"),
    "container": _("MP4 container and fast start"),
    "video_codec": _("video codec"),
    "video_profile": _("H.264 profile"),
    "pix_fmt": _("pixel format"),
    "frame_rate": _("frame rate"),
    "resolution": _("frame size"),
    "audio_codec": _("audio codec"),
    "sample_rate": _("audio sample rate"),
    "channels": _("audio channels"),
    "duration": _("length"),
    "target_duration": _("length asked for"),
    "av_length": _("picture and sound length"),
    "loudness": _("loudness"),
    "true_peak": _("true peak"),
    "black": _("black frames"),
    "freeze": _("frozen picture"),
    "silence": _("silence"),
    "first_keyframe": _("first keyframe"),
    "gop": _("keyframe interval"),
    "text_in_safe_area": _("text inside the title-safe area"),
}


def check_label(name: str) -> str:
    """The translated name of a QC check (the plain name for a check added elsewhere)."""
    label = CHECK_LABELS.get(name)
    return str(label) if label is not None else name


def expect_for(
    *, story: Story, profile: str, length_s: float, resolution: str = DEFAULT_RESOLUTION
) -> Expect:
    """What the story's reel at `profile` must be: its aspect and (a final's) resolution, its
    scenes' length (FAIL outside ±0.5 s) and the story's target length (WARN outside ±0.5 s)."""
    return Expect(
        profile=profile,
        aspect=story.aspect,
        resolution=resolution,
        duration_s=length_s,
        target_s=float(story.duration_s),
    )


def text_layout_check(rows: Sequence[tuple[str, str, float, float, str]]) -> CheckFn:
    """The layout's verdict on the reel's text boxes (render.layout: every headline and caption
    box inside the title-safe area) as one QC check: the worst row decides."""
    failed = [row for row in rows if row[1] != PASS]
    name, status, measured, limit, message = failed[0] if failed else rows[0]
    check = Check(
        name=name,
        status=status,
        value=f"{measured:g} px",
        limit=f"{limit:g} px",
        message=message if failed else "",
    )

    def layout_check(_measurements, _expect) -> Check:
        return check

    return layout_check


def judge_reel(
    *,
    story_id: int,
    expect: Expect,
    assemble: Callable[[], Path],
    reassemble: Callable[[], Path],
    extra_checks: Sequence[CheckFn] = (),
    video_spans: tuple[list[Span], list[Span]] | None = None,
) -> tuple[Path, QCReport]:
    """`assemble()` the reel and judge it; on FAIL `reassemble()` it once (the safe re-render)
    and judge that. `video_spans` (black, freezes) found by the clips' own runs stand in for
    decoding the assembled picture (it is the clips' frames, copied); the safe re-render
    encodes again, so its reel is decoded and judged in full. Returns the reel's path and
    its report (PASS or WARN). Records a `qc` event per judgement. Raises QCFailed when the
    re-render fails too; other errors pass through."""
    try:
        path = assemble()
    except RenderError as exc:
        if exc.step != "check":  # only the assembly's own "not as rendered" is a QC matter
            raise
        report = QCReport.failing(
            name="render_check",
            value=exc.message,
            limit="the reel as assembled",
            message="The assembled reel is not what was rendered.",
            expect=expect,
        )
    else:
        report = run_qc(path, expect=expect, extra_checks=extra_checks, video_spans=video_spans)
    record_qc_event(story_id=story_id, report=report)
    if report.status != FAIL:
        return path, report
    path = reassemble()
    report = replace(run_qc(path, expect=expect, extra_checks=extra_checks), rerendered=True)
    record_qc_event(story_id=story_id, report=report)
    if report.status == FAIL:
        raise QCFailed(report)
    return path, report


def record_qc_event(*, story_id: int, report: QCReport) -> Event:
    """A `qc` event: the profile, the overall status, the failed and warned checks."""
    return record_event(
        story_id=story_id,
        kind=Event.Kind.QC,
        payload={
            "profile": report.profile,
            "status": report.status,
            "failed": report.failed,
            "warned": report.warned,
            "rerendered": report.rerendered,
        },
    )


def store_report(*, asset: Asset, report: QCReport) -> None:
    """Keep the reel's QC report with its Asset (safe to repeat: the last report wins)."""
    Asset.objects.filter(pk=asset.pk).update(qc=report.to_json())
    asset.qc = report.to_json()
