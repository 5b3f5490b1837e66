"""Job leases: a claim takes one, only its holder can finish the job, and the reaper requeues
the jobs whose lease ran out. Stages follow each other through advance_story, not chords."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs import dispatch, pipeline, recovery
from jobs import services as job_services
from jobs.models import Job
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The jobs dispatch sends to Celery, as lists of job ids per send."""
    calls: list[list[int]] = []
    monkeypatch.setattr(dispatch, "_send", lambda jobs: calls.append([j.pk for j in jobs]))
    return calls


def story_in(status):
    story = StoryFactory()
    Story.objects.filter(pk=story.pk).update(status=status)
    return Story.objects.get(pk=story.pk)


def expired_job(**fields) -> Job:
    defaults = {
        "kind": Job.Kind.SCENE_RENDER,
        "profile": "final",
        "status": Job.Status.RUNNING,
        "attempts": 1,
        "celery_task_id": "task-1",
        "lease_token": "old-lease",
        "lease_owner": "dead-host:123",
        "lease_expires_at": timezone.now() - timedelta(seconds=1),
    }
    return JobFactory(**{**defaults, **fields})


def test_a_claim_takes_a_lease_that_renewing_pushes_ahead(settings):
    job = JobFactory(kind=Job.Kind.VISUAL)

    lease = job_services.claim_job(job_id=job.pk, task_id="task-1")

    job.refresh_from_db()
    assert lease
    assert job.lease_token == lease
    assert job.lease_owner == job_services.lease_owner()
    first_expiry = job.lease_expires_at
    assert first_expiry > timezone.now() + timedelta(seconds=settings.JOB_LEASE_S - 5)
    assert job_services.renew_lease(job_id=job.pk, lease=lease)
    job.refresh_from_db()
    assert job.lease_expires_at > first_expiry
    assert not job_services.renew_lease(job_id=job.pk, lease="someone-else")


def test_the_reaper_requeues_an_expired_job_and_sends_it_again(
    sent, django_capture_on_commit_callbacks
):
    story = story_in(Status.FINALIZING)
    job = expired_job(story=story)

    with django_capture_on_commit_callbacks(execute=True):
        reaped = recovery.reap_expired_jobs()

    assert [j.pk for j in reaped] == [job.pk]
    assert sent == [[job.pk]]
    job.refresh_from_db()
    assert (job.status, job.lease_token, job.lease_expires_at) == (Job.Status.QUEUED, "", None)
    assert job.attempts == 1  # the next claim counts the next attempt
    assert job_services.claim_job(job_id=job.pk, task_id="task-2")


def test_the_reaper_leaves_live_leases_and_finished_jobs_alone(
    sent, django_capture_on_commit_callbacks
):
    live = expired_job(lease_expires_at=timezone.now() + timedelta(seconds=20))
    done = expired_job(status=Job.Status.SUCCEEDED)
    before = list(Job.objects.order_by("pk").values())

    with django_capture_on_commit_callbacks(execute=True):
        reaped = recovery.reap_expired_jobs()

    assert reaped == []
    assert sent == []
    assert list(Job.objects.order_by("pk").values()) == before
    assert {live.pk, done.pk} == set(Job.objects.values_list("pk", flat=True))


def test_the_reaper_fails_a_job_whose_worker_died_on_its_last_attempt(sent):
    story = story_in(Status.FINALIZING)
    job = expired_job(story=story, attempts=3, max_attempts=3)

    reaped = recovery.reap_expired_jobs()

    assert reaped == []
    assert sent == []
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "its worker stopped after 3 attempt(s)" in job.error_message
    story.refresh_from_db()
    assert story.status == Status.FAILED


def test_a_run_that_lost_its_lease_can_neither_finish_fail_nor_requeue_the_job():
    job = JobFactory(kind=Job.Kind.SCENE_RENDER, profile="final")
    old = job_services.claim_job(job_id=job.pk, task_id="task-1")
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    recovery.reap_expired_jobs()
    new = job_services.claim_job(job_id=job.pk, task_id="task-2")
    before = Job.objects.filter(pk=job.pk).values().get()

    finished = job_services.succeed_job(job_id=job.pk, lease=old)
    requeued = job_services.requeue_job(job_id=job.pk, lease=old)
    pipeline.fail_job(job_id=job.pk, error=RuntimeError("late"), lease=old)

    assert new
    assert new != old
    assert not finished
    assert not requeued
    assert Job.objects.filter(pk=job.pk).values().get() == before
    assert job_services.succeed_job(job_id=job.pk, lease=new)


def test_a_redelivered_task_waits_while_its_job_lease_is_live():
    job = expired_job(lease_expires_at=timezone.now() + timedelta(seconds=20))

    assert not job_services.claim_job(job_id=job.pk, task_id="task-1")
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert job_services.claim_job(job_id=job.pk, task_id="task-1")


def test_the_last_clip_sends_the_assembly_and_not_before(sent, django_capture_on_commit_callbacks):
    story = story_in(Status.FINALIZING)
    first, second = (
        JobFactory(story=story, kind=Job.Kind.SCENE_RENDER, profile="final", status=status)
        for status in (Job.Status.SUCCEEDED, Job.Status.RUNNING)
    )
    assemble = JobFactory(story=story, kind=Job.Kind.ASSEMBLE, profile="final")

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.advance_story(job=first)
    waiting = list(sent)
    Job.objects.filter(pk=second.pk).update(status=Job.Status.SUCCEEDED)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.advance_story(job=second)

    assert waiting == []
    assert sent == [[assemble.pk]]


def test_the_last_asset_sends_every_clip_as_one_group(sent, django_capture_on_commit_callbacks):
    story = story_in(Status.PREVIEWING)
    voice = JobFactory(story=story, kind=Job.Kind.VOICE, status=Job.Status.SUCCEEDED)
    clips = [
        JobFactory(story=story, kind=Job.Kind.SCENE_RENDER, profile="preview") for _ in range(2)
    ]
    JobFactory(story=story, kind=Job.Kind.ASSEMBLE, profile="preview")

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.advance_story(job=voice)

    assert sent == [[clip.pk for clip in clips]]


def test_inline_runs_send_no_stage(sent, django_capture_on_commit_callbacks):
    story = story_in(Status.PREVIEWING)
    voice = JobFactory(story=story, kind=Job.Kind.VOICE, status=Job.Status.SUCCEEDED)
    JobFactory(story=story, kind=Job.Kind.SCENE_RENDER, profile="preview")

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.advance_story(job=voice, inline=True)

    assert sent == []
