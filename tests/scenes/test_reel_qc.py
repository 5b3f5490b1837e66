"""Media QC inside the assembly job: the report is stored and shown; a FAIL is made again once
with safe settings, and a second FAIL fails the job naming the checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from jobs import inline, pipeline
from jobs.models import Job
from render import qc_measure, runner
from render.qc import FAIL, Check, Expect, run_qc
from scenes.services import reel_qc, rendering
from scenes.services.timeline import scan_name
from stories import services as story_services
from stories.models import Event
from stories.states import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def ffmpeg_steps(monkeypatch) -> list[str]:
    """The step of every FFmpeg run, in order."""
    steps: list[str] = []
    real_run = runner.run_ffmpeg

    def counting_run(argv, *, step, **kwargs):
        steps.append(step)
        return real_run(argv, step=step, **kwargs)

    monkeypatch.setattr(runner, "run_ffmpeg", counting_run)
    return steps


def preview(user, keyword: str = "harbour sunrise"):
    story = story_services.create_story(owner=user, keyword=keyword, language="en", duration_s=8)
    pipeline.plan_story(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    pipeline.generate_preview(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    story.refresh_from_db()
    return story


def qc_events(story) -> list[dict]:
    return [e.payload for e in Event.objects.filter(story=story, kind=Event.Kind.QC)]


def test_the_preview_is_judged_once_and_its_report_is_stored_and_shown(user, api, ffmpeg_steps):
    story = preview(user)

    assert story.status == Status.PREVIEW_READY
    report = story.preview.qc
    assert report["status"] in ("PASS", "WARN"), report
    assert report["profile"] == "preview"
    assert report["rerendered"] is False
    assert {c["name"] for c in report["checks"]} >= {"container", "loudness", "duration"}
    assert "safe re-render" not in ffmpeg_steps
    assert qc_events(story) == [
        {
            "profile": "preview",
            "status": report["status"],
            "failed": [],
            "warned": [c["name"] for c in report["checks"] if c["status"] == "WARN"],
            "rerendered": False,
        }
    ]
    body = api.get(f"/api/v1/stories/{story.pk}/").json()
    assert body["qc"]["status"] == report["status"]
    assert body["qc"]["checks"] == report["checks"]
    assert body["media_qc"] == {"preview": body["qc"], "final": None}


def test_a_corrupt_reel_is_made_again_once_with_safe_settings_and_kept(
    user, monkeypatch, ffmpeg_steps
):
    def corrupt_assembly(*, out_path, **kwargs) -> Path:
        Path(out_path).write_bytes(b"\x00\x00\x00\x18ftypisom" + b"garbage" * 500)
        return Path(out_path)

    monkeypatch.setattr(rendering, "assemble_reel", corrupt_assembly)

    story = preview(user)

    assert story.status == Status.PREVIEW_READY, story.error_message
    assert ffmpeg_steps.count("safe re-render") == 1
    events = qc_events(story)
    assert events[0]["status"] == FAIL
    assert events[0]["failed"] == ["readable"]
    assert [e["rerendered"] for e in events] == [False, True]
    assert events[1]["status"] != FAIL
    assert story.preview.qc["rerendered"] is True
    # The safe re-render itself passes the product's QC as a preview of this story.
    length_s = story.preview.duration_ms / 1000
    recheck = run_qc(
        Path(story.preview.file.path), expect=Expect(profile="preview", duration_s=length_s)
    )
    assert recheck.failed == []


def test_a_reel_failing_after_the_safe_rerender_fails_the_job_naming_the_checks(
    user, monkeypatch, ffmpeg_steps
):
    def always_fails(media, expect) -> Check:
        return Check("loudness", FAIL, "+3.0 LUFS integrated", "-14 ± 1.5 LUFS", "Too loud.")

    real_run_qc = reel_qc.run_qc
    monkeypatch.setattr(
        reel_qc,
        "run_qc",
        lambda path, *, expect, extra_checks=(), **options: real_run_qc(
            path, expect=expect, extra_checks=[*extra_checks, always_fails], **options
        ),
    )

    story = preview(user)

    assert story.status == Status.FAILED
    assert story.preview is None
    assert story.error_code == "QC_FAILED"
    assert "loudness" in story.error_message
    assert "quality check" in story.error_message
    assert "-14" in story.error_detail  # operators see the measured value and the limit
    assert ffmpeg_steps.count("safe re-render") == 1
    assert [e["rerendered"] for e in qc_events(story)] == [False, True]
    job = Job.objects.get(story=story, kind=Job.Kind.ASSEMBLE)
    assert job.status == Job.Status.FAILED
    assert job.error_code == "QC_FAILED"


def test_the_reel_qc_takes_black_and_freeze_from_the_clips_own_runs(user, monkeypatch):
    graphs: list[str] = []
    real = qc_measure.run_measured

    def recording(argv, **kwargs):
        if "-filter_complex" in argv:
            graphs.append(argv[argv.index("-filter_complex") + 1])
        return real(argv, **kwargs)

    monkeypatch.setattr(qc_measure, "run_measured", recording)

    story = preview(user)

    # Every clip (and the end card, when there is one) was stored with its scan...
    names = [rendering.clip_name(s.render_key) for s in story.scenes.all()]
    assert names
    assert all(default_storage.exists(scan_name(name)) for name in names)
    # ...so the reel's QC decoded its sound only, and still judged black and freeze.
    assert len(graphs) == 1
    assert "ebur128" in graphs[0]
    assert "blackdetect" not in graphs[0]
    checks = {c["name"] for c in story.preview.qc["checks"]}
    assert {"black", "freeze", "silence", "loudness"} <= checks
