"""Durability with real parts: Redis, Celery worker processes, PostgreSQL and FFmpeg.

Each test starts its own Redis and worker subprocesses (tests/realservices.py); the workers
share the suite's PostgreSQL test database and this test's MEDIA_ROOT.
"""

from __future__ import annotations

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
        time.sleep(0.05)  # the chord fires stage 2 once the last asset job is done
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


def test_sigkill_mid_render_and_a_new_worker_completes_the_story_once(celery_workers):
    story = previewed_story(language="ko", keyword="제주 감귤 카페")
    first = celery_workers("doomed")

    pipeline.render_final(story_id=story.pk)
    wait_for_job(story.pk, celery_workers, kind__in=RENDER_KINDS, status=Job.Status.RUNNING)
    first.kill()
    left_running = list(story.jobs.filter(status=Job.Status.RUNNING))
    celery_workers("rescuer")
    story = wait_for_story(story.pk, Status.COMPLETED, celery_workers)

    assert len(left_running) == 1  # one job was mid-render when its worker died
    killed = Job.objects.get(pk=left_running[0].pk)
    assert killed.status == Job.Status.SUCCEEDED
    # The broker redelivered the same task, which took the dead worker's job over.
    assert killed.celery_task_id == left_running[0].celery_task_id
    assert killed.attempts == 2
    assert job_keys(story.pk, profile="final") == expected_keys(
        story, profile="final", assets=False
    )
    final_jobs = story.jobs.filter(profile="final").exclude(pk=killed.pk)
    assert set(final_jobs.values_list("status", "attempts")) == {(Job.Status.SUCCEEDED, 1)}
    videos = Asset.objects.filter(story=story, kind=Asset.Kind.VIDEO)
    assert list(videos.filter(width=FINAL_WIDTH)) == [story.final]
    assert (story.final.width, story.final.height) == (FINAL_WIDTH, FINAL_HEIGHT)
    stored = Path(settings.MEDIA_ROOT) / "stories" / str(story.pk) / "video"
    assert sorted(p.name for p in stored.iterdir()) == sorted(
        Path(v.file.name).name for v in videos
    )
    assert story.status == Status.COMPLETED
    assert not story.is_locked
