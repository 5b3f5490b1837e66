"""A take's analysis is a job like the others: the staff's retry runs it again, and the reaper
takes it over from a worker that died (or fails it, and its take, once its attempts are spent),
all without a story."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from jobs import pipeline, recovery
from jobs.models import Job
from practice import analysis, services
from practice.models import Take
from tests.factories import UserFactory
from tests.practice.support import analyse, queue_take_jobs
from tests.speech import recordings as rec


@pytest.fixture(scope="module")
def audio(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("analysisjob")
    words = rec.piper(rec.LINE, d / "reference.wav")
    return {"dir": d, "words": [w.to_json() for w in words]}


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    return queue_take_jobs(monkeypatch)


@pytest.fixture
def take(user, audio, sent) -> Take:
    line = services.import_line(
        by=user,
        text=rec.LINE,
        language="en",
        words=audio["words"],
        audio=SimpleUploadedFile("ref.wav", (audio["dir"] / "reference.wav").read_bytes()),
    )
    recording = SimpleUploadedFile("t.wav", (audio["dir"] / "reference.wav").read_bytes())
    return analysis.submit_take(user=user, line=line, recording=recording)


def test_a_failed_analysis_retried_by_staff_runs_again_and_succeeds(take, sent, monkeypatch):
    real = analysis.compare_files

    def broken(**kwargs):
        raise RuntimeError("a bug, fixed since")

    monkeypatch.setattr(analysis, "compare_files", broken)
    assert analyse(take.pk).status == Take.Status.FAILED
    monkeypatch.setattr(analysis, "compare_files", real)

    retried = pipeline.retry_jobs(job_ids=[take.job_id])
    waiting = Take.objects.get(pk=take.pk)
    done = analyse(take.pk)

    assert [job.pk for job in retried] == [take.job_id]
    assert (waiting.status, waiting.error_code) == (Take.Status.QUEUED, "")
    assert sent == [take.pk, take.pk]  # sent when submitted, and again on its own
    assert done.status == Take.Status.SUCCEEDED
    assert (done.error_code, done.rank != "") == ("", True)
    assert (done.job.status, done.job.attempts, done.job.story) == ("succeeded", 2, None)


def expire(job_id: int, *, attempts: int) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING,
        attempts=attempts,
        lease_token="dead-worker",
        lease_expires_at=timezone.now() - timedelta(seconds=5),
    )


def test_the_reaper_sends_the_job_of_a_dead_worker_again(take, sent):
    expire(take.job_id, attempts=1)

    requeued = recovery.reap_expired_jobs()

    assert [job.pk for job in requeued] == [take.job_id]
    assert Job.objects.get(pk=take.job_id).status == Job.Status.QUEUED
    assert analyse(take.pk).status == Take.Status.SUCCEEDED


def test_the_reaper_fails_the_take_once_the_attempts_are_spent(take, sent):
    expire(take.job_id, attempts=3)

    assert recovery.reap_expired_jobs() == []

    take.refresh_from_db()
    assert (take.status, take.error_code) == (Take.Status.FAILED, "analysis_error")
    assert take.job.error_code == "WORKER_LOST"


def test_takes_waiting_for_analysis_count_against_the_queue_limit(api, take, settings, audio):
    settings.MAX_QUEUED_JOBS_PER_USER = 1

    refused = api.post(
        f"/api/v1/practice/lines/{take.line_id}/takes",
        {"recording": SimpleUploadedFile("t.wav", (audio["dir"] / "reference.wav").read_bytes())},
        format="multipart",
    )
    analyse(take.pk)
    accepted = api.post(
        f"/api/v1/practice/lines/{take.line_id}/takes",
        {"recording": SimpleUploadedFile("t.wav", (audio["dir"] / "reference.wav").read_bytes())},
        format="multipart",
    )

    assert refused.status_code == 429
    assert refused.json()["error"]["details"] == {"open_jobs": 1, "max_open_jobs": 1}
    assert accepted.status_code == 202


def test_a_canceled_analysis_fails_its_take(take):
    canceled = pipeline.cancel_jobs(job_ids=[take.job_id], by="staff")

    take.refresh_from_db()
    assert [job.pk for job in canceled] == [take.job_id]
    assert (take.status, take.error_code) == (Take.Status.FAILED, "canceled")
    assert take.job.status == Job.Status.CANCELED
    assert analyse(take.pk).status == Take.Status.FAILED  # a late delivery runs nothing


def test_the_take_job_is_the_users_in_the_jobs_api_and_retried_there(api, take, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(analysis, "compare_files", broken)
    analyse(take.pk)
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    shown = api.get(f"/api/v1/jobs/{take.job_id}")
    listed = api.get("/api/v1/jobs", {"kind": "analysis"}).json()["results"]
    hidden = stranger.get(f"/api/v1/jobs/{take.job_id}")
    retried = api.post(f"/api/v1/jobs/{take.job_id}/retry")

    assert shown.status_code == 200
    assert (shown.json()["kind"], shown.json()["story"]) == ("analysis", None)
    assert [job["id"] for job in listed] == [take.job_id]
    assert hidden.status_code == 404
    assert retried.status_code == 202
    assert retried.json()["status"] == "queued"
    assert Take.objects.get(pk=take.pk).status == Take.Status.QUEUED
