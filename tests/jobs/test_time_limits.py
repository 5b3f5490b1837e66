"""Celery time limits per kind of task: a job past its soft limit ends FAILED, never RUNNING."""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from jobs import dispatch
from jobs.handlers import HANDLERS
from jobs.models import Job
from reelmaker.celery import app as celery_app
from render import runner
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, StoryFactory

FOREVER = ["ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "anullsrc"]
FOREVER += ["-f", "null", "-"]


@contextmanager
def soft_time_limit_after(seconds: float):
    """What a Celery prefork worker does at a task's soft limit: SoftTimeLimitExceeded raised
    by a signal handler in the thread running the task, wherever it is."""

    def raise_soft_limit(signum, frame):
        raise SoftTimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, raise_soft_limit)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("task", "setting"),
    [
        ("jobs.tasks.run_job_task", "JOB_TIME_LIMIT_S"),
        ("jobs.tasks.start_render_stage_task", "JOB_TIME_LIMIT_S"),
        ("jobs.tasks.run_render_job_task", "RENDER_TIME_LIMIT_S"),
        ("jobs.tasks.send_webhook_task", "WEBHOOK_TIME_LIMIT_S"),
    ],
)
def test_every_task_has_soft_and_hard_limits_below_the_visibility_timeout(task, setting):
    celery_app.loader.import_default_modules()
    registered = celery_app.tasks[task]

    assert registered.soft_time_limit == getattr(settings, setting)
    assert registered.time_limit == registered.soft_time_limit + settings.TASK_HARD_LIMIT_GRACE_S
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert registered.time_limit < visibility


def test_webhooks_have_their_own_queue():
    assert settings.CELERY_TASK_ROUTES["jobs.tasks.send_webhook_task"] == {"queue": "webhooks"}
    assert dispatch.WEBHOOK_QUEUE == "webhooks"


@pytest.mark.django_db
def test_a_render_job_past_its_soft_limit_ends_failed_with_a_clear_message_and_no_ffmpeg_left(
    settings, monkeypatch
):
    settings.RENDER_TIME_LIMIT_S = 1
    story = StoryFactory()
    Story.objects.filter(pk=story.pk).update(status=Status.PREVIEWING)
    job = JobFactory(story=story, kind=Job.Kind.SCENE_RENDER, profile="preview")
    started = []
    real_popen = runner.subprocess.Popen

    def recording_popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    def endless_render(job):
        return runner.run_ffmpeg(FOREVER, step="scene 0", media_s=3600)

    monkeypatch.setattr(runner.subprocess, "Popen", recording_popen)
    monkeypatch.setitem(HANDLERS, Job.Kind.SCENE_RENDER, endless_render)
    began = time.monotonic()

    with soft_time_limit_after(1.0):
        celery_app.tasks["jobs.tasks.run_render_job_task"].apply(args=(job.pk,))

    assert time.monotonic() - began < 5
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error_code == "TIMEOUT"
    assert "took longer than 1 s" in job.error_message
    assert started[0].poll() is not None  # FFmpeg was stopped with the task
    story.refresh_from_db()
    assert story.status == Status.FAILED
    assert "took longer than 1 s" in story.error_message


@pytest.mark.django_db
def test_a_soft_limit_outside_the_handler_still_fails_the_job(settings, monkeypatch):
    settings.JOB_TIME_LIMIT_S = 2
    story = StoryFactory()
    Story.objects.filter(pk=story.pk).update(status=Status.PLANNING)
    job = JobFactory(story=story, kind=Job.Kind.PLAN)

    def limit_hit_while_recording(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setitem(HANDLERS, Job.Kind.PLAN, lambda job: {})
    monkeypatch.setattr("jobs.services.succeed_job", limit_hit_while_recording)

    celery_app.tasks["jobs.tasks.run_job_task"].apply(args=(job.pk,))

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "took longer than 2 s" in job.error_message
