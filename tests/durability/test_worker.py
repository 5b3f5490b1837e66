"""Durability with real parts: Redis, Celery worker processes, PostgreSQL and FFmpeg.

Each test starts its own Redis and worker subprocesses (tests/realservices.py); the workers
share the suite's PostgreSQL test database and this test's MEDIA_ROOT.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from django.conf import settings
from django_celery_results.models import TaskResult

from jobs import pipeline
from jobs.models import Job
from media.models import Asset
from stories.services import create_story
from stories.states import Status
from tests.durability.support import (
    FINAL_HEIGHT,
    FINAL_WIDTH,
    RENDER_KINDS,
    expected_keys,
    job_keys,
    previewed_story,
    wait_for_job,
    wait_for_story,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

log = logging.getLogger(__name__)


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"], indirect=True)
def test_workers_run_a_story_from_plan_to_final_with_render_work_on_render_workers(
    celery_workers, broker
):
    general = celery_workers("general", queues="default")
    story = create_story(
        owner=UserFactory(), keyword="rainy day bookshop", language="en", duration_s=8
    )

    pipeline.plan_story(story_id=story.pk)
    wait_for_story(story.pk, Status.PLANNED, celery_workers)
    pipeline.generate_preview(story_id=story.pk)
    scenes = story.scenes.count()
    wait_for_job(story.pk, celery_workers, kind=Job.Kind.MUSIC, status=Job.Status.SUCCEEDED)
    renders_waiting = broker.queue_length("render")
    deadline = time.monotonic() + 60
    while renders_waiting < scenes and time.monotonic() < deadline:
        time.sleep(0.05)  # the last asset job's advance_story sends stage 2
        renders_waiting = broker.queue_length("render")

    # With no render worker, scene clips wait in the "render" queue.
    assert renders_waiting == scenes
    assert set(story.jobs.filter(kind__in=RENDER_KINDS).values_list("status", flat=True)) == {
        Job.Status.QUEUED
    }
    render = celery_workers("render", queues="render")
    wait_for_story(story.pk, Status.PREVIEW_READY, celery_workers)
    pipeline.render_final(story_id=story.pk)
    story = wait_for_story(story.pk, Status.COMPLETED, celery_workers)

    assert scenes >= 2
    expected = expected_keys(story, profile="preview", assets=True)
    expected += expected_keys(story, profile="final", assets=False)
    expected[(Job.Kind.PLAN, None, "")] = 1
    assert job_keys(story.pk) == expected
    assert set(story.jobs.values_list("status", "attempts")) == {(Job.Status.SUCCEEDED, 1)}
    assert not story.is_locked
    assert (story.final.width, story.final.height) == (FINAL_WIDTH, FINAL_HEIGHT)
    assert story.final.file.size > 10_000
    assert story.preview is not None
    assert story.preview.width < FINAL_WIDTH
    # django-celery-results holds every task's result, and names the worker that ran it.
    task_ids = set(story.jobs.values_list("celery_task_id", flat=True))
    results = TaskResult.objects.filter(task_id__in=task_ids)
    assert results.count() == len(task_ids) == story.jobs.count()
    assert set(results.values_list("status", flat=True)) == {"SUCCESS"}
    assert set(results.values_list("task_name", "worker")) == {
        ("jobs.tasks.run_job_task", general.hostname),
        ("jobs.tasks.run_render_job_task", render.hostname),
    }


def ffmpeg_pids(worker) -> list[int]:
    """The FFmpeg processes in the worker's process group (its pool child's renders)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        command, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1]
        if command == "ffmpeg" and int(fields.split()[2]) == worker.proc.pid:
            pids.append(int(proc.name))
    return pids


def test_sigkill_mid_ffmpeg_with_default_broker_settings_resumes_within_the_lease(celery_workers):
    # The shipped defaults: the broker would hand the task back only after an hour.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
    assert (settings.JOB_LEASE_S, settings.JOB_HEARTBEAT_S, settings.REAPER_INTERVAL_S) == (
        30,
        10,
        15,
    )
    story = previewed_story(language="ko", keyword="제주 감귤 카페")
    celery_workers.beat()
    doomed = celery_workers("doomed")

    pipeline.render_final(story_id=story.pk)
    victim = wait_for_job(
        story.pk, celery_workers, kind=Job.Kind.SCENE_RENDER, status=Job.Status.RUNNING
    )
    deadline = time.monotonic() + 60
    while not ffmpeg_pids(doomed):
        assert time.monotonic() < deadline, "no FFmpeg started"
        time.sleep(0.02)  # another process's children: poll /proc
    doomed.kill()
    killed_at = time.monotonic()
    left_running = list(story.jobs.filter(status=Job.Status.RUNNING))
    celery_workers("rescuer")
    while Job.objects.get(pk=victim.pk).attempts < 2:
        assert time.monotonic() - killed_at < 90, "the killed job was not resumed"
        time.sleep(0.1)  # the rows are written by another process: poll the database
    resumed_s = time.monotonic() - killed_at
    story = wait_for_story(story.pk, Status.COMPLETED, celery_workers, timeout_s=90)
    completed_s = time.monotonic() - killed_at

    log.warning("SIGKILL -> resumed %.1f s, -> COMPLETED %.1f s", resumed_s, completed_s)
    assert [job.pk for job in left_running] == [victim.pk]
    # Requeued once the lease ran out (<= 30 s after its last renewal) at the reaper's next
    # run (<= 15 s later), then rendered again: within a minute, not the broker's hour.
    assert resumed_s < settings.JOB_LEASE_S + settings.REAPER_INTERVAL_S + 5
    assert completed_s < 90
    victim.refresh_from_db()
    assert (victim.status, victim.attempts) == (Job.Status.SUCCEEDED, 2)
    # The reaper sent it on a new task: the dead worker's task, still unacknowledged in the
    # broker, can never claim it again.
    assert victim.celery_task_id != left_running[0].celery_task_id
    assert victim.lease_owner != left_running[0].lease_owner
    assert job_keys(story.pk, profile="final") == expected_keys(
        story, profile="final", assets=False
    )
    final_jobs = story.jobs.filter(profile="final").exclude(pk=victim.pk)
    assert set(final_jobs.values_list("status", "attempts")) == {(Job.Status.SUCCEEDED, 1)}
    videos = Asset.objects.filter(story=story, kind=Asset.Kind.VIDEO)
    assert list(videos.filter(width=FINAL_WIDTH)) == [story.final]
    assert (story.final.width, story.final.height) == (FINAL_WIDTH, FINAL_HEIGHT)
    stored = Path(settings.MEDIA_ROOT) / "stories" / str(story.pk) / "video"
    assert sorted(p.name for p in stored.iterdir()) == sorted(
        Path(v.file.name).name for v in videos
    )
    assert not story.is_locked
