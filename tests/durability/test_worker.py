"""Durability with real parts: Redis, Celery worker processes, PostgreSQL and FFmpeg.

Each test starts its own Redis and worker subprocesses (tests/realservices.py); the workers
share the suite's PostgreSQL test database and this test's MEDIA_ROOT. Work this test does
not examine (planning, a preview before a final render) runs inline to keep the file short.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django_celery_results.models import TaskResult

from jobs import orchestration
from jobs.models import Job
from scenes.models import Asset
from stories.models import Story
from stories.services import create_story
from stories.states import Status
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FINAL_WIDTH, FINAL_HEIGHT = 1080, 1920
RENDER_KINDS = (Job.Kind.SCENE_RENDER, Job.Kind.ASSEMBLE)
FAULTY_APP = "tests.durability.faulty_voice_app"


def wait_for_story(story_id: int, status: str, workers, *, timeout_s: float = 120) -> Story:
    """Poll the database until the story reaches `status`; fail at once if it FAILED."""
    deadline = time.monotonic() + timeout_s
    while True:
        story = Story.objects.get(pk=story_id)
        if story.status == status:
            return story
        if story.status == Status.FAILED:
            pytest.fail(f"story FAILED: {story.error_message}\n{_logs(workers)}")
        if time.monotonic() > deadline:
            jobs = list(Job.objects.filter(story_id=story_id).values_list("kind", "status"))
            pytest.fail(f"story is {story.status}, not {status}: {jobs}\n{_logs(workers)}")
        time.sleep(0.2)  # the rows are written by another process: poll the database


def wait_for_job(story_id: int, workers, *, timeout_s: float = 120, **filters) -> Job:
    deadline = time.monotonic() + timeout_s
    while True:
        job = Job.objects.filter(story_id=story_id, **filters).first()
        if job is not None:
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"no job matching {filters}\n{_logs(workers)}")
        time.sleep(0.05)


def _logs(workers) -> str:
    return "\n".join(f"--- {w.name} ---\n{w.log_tail()}" for w in workers.workers)


def job_keys(story_id: int, **filters) -> Counter:
    """How many Job rows the story has per (kind, scene, profile)."""
    rows = Job.objects.filter(story_id=story_id, **filters)
    return Counter(rows.values_list("kind", "scene_id", "profile"))


def expected_keys(story: Story, *, profile: str, assets: bool) -> Counter:
    """One job per unit of work, as a clean run of the step creates them."""
    keys: Counter = Counter()
    for scene_id in story.scenes.values_list("pk", flat=True):
        if assets:
            keys[(Job.Kind.VISUAL, scene_id, "")] += 1
            keys[(Job.Kind.VOICE, scene_id, "")] += 1
        keys[(Job.Kind.SCENE_RENDER, scene_id, profile)] += 1
    if assets:
        keys[(Job.Kind.MUSIC, None, "")] += 1
    keys[(Job.Kind.ASSEMBLE, None, profile)] += 1
    return keys


def planned_story(*, language: str = "en", keyword: str = "rainy day bookshop") -> Story:
    story = create_story(owner=UserFactory(), keyword=keyword, language=language, duration_s=8)
    orchestration.start_plan(story_id=story.pk, inline=True)
    orchestration.run_inline(story_id=story.pk)
    story.refresh_from_db()
    assert story.status == Status.PLANNED
    return story


def previewed_story(**brief) -> Story:
    story = planned_story(**brief)
    orchestration.start_preview(story_id=story.pk, inline=True)
    orchestration.run_inline(story_id=story.pk)
    story.refresh_from_db()
    assert story.status == Status.PREVIEW_READY
    return story


def test_workers_run_a_story_from_plan_to_final_with_render_work_on_render_workers(
    celery_workers, redis_server
):
    general = celery_workers("general", queues="default")
    story = create_story(
        owner=UserFactory(), keyword="rainy day bookshop", language="en", duration_s=8
    )

    orchestration.start_plan(story_id=story.pk)
    wait_for_story(story.pk, Status.PLANNED, celery_workers)
    orchestration.start_preview(story_id=story.pk)
    scenes = story.scenes.count()
    wait_for_job(story.pk, celery_workers, kind=Job.Kind.MUSIC, status=Job.Status.SUCCEEDED)
    renders_waiting = redis_server.client().llen("render")
    deadline = time.monotonic() + 60
    while renders_waiting < scenes and time.monotonic() < deadline:
        time.sleep(0.05)  # the chord fires stage 2 once the last asset job is done
        renders_waiting = redis_server.client().llen("render")

    # With no render worker, scene clips wait in the "render" queue.
    assert renders_waiting == scenes
    assert set(story.jobs.filter(kind__in=RENDER_KINDS).values_list("status", flat=True)) == {
        Job.Status.QUEUED
    }
    render = celery_workers("render", queues="render")
    wait_for_story(story.pk, Status.PREVIEW_READY, celery_workers)
    orchestration.start_final(story_id=story.pk)
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

    orchestration.start_final(story_id=story.pk)
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


def test_a_provider_failing_twice_is_retried_and_the_story_completes(celery_workers, tmp_path):
    story = planned_story()
    state = tmp_path / "voice-state"
    state.mkdir()
    celery_workers(
        "flaky",
        app=FAULTY_APP,
        REELMAKER_VOICE="faulty-test",
        FAULTY_VOICE_MODE="transient",
        FAULTY_VOICE_FAILURES="2",
        FAULTY_VOICE_STATE=str(state),
    )

    orchestration.start_preview(story_id=story.pk)
    wait_for_story(story.pk, Status.PREVIEW_READY, celery_workers)
    orchestration.start_final(story_id=story.pk)
    story = wait_for_story(story.pk, Status.COMPLETED, celery_workers)

    voice_jobs = story.jobs.filter(kind=Job.Kind.VOICE)
    assert voice_jobs.count() == story.scenes.count() >= 2
    assert set(voice_jobs.values_list("status", "attempts", "error_message")) == {
        (Job.Status.SUCCEEDED, 3, "")
    }
    others = story.jobs.exclude(kind=Job.Kind.VOICE)
    assert set(others.values_list("status", "attempts")) == {(Job.Status.SUCCEEDED, 1)}
    assert all(len(p.read_text()) == 2 for p in state.iterdir())  # two failures per narration
    assert story.final is not None
    assert story.error_message == ""


def test_a_permanent_failure_fails_the_story_and_the_admin_retry_completes_it(
    celery_workers, tmp_path, client
):
    story = planned_story()
    state = tmp_path / "voice-state"
    state.mkdir()
    (state / "broken").touch()
    celery_workers(
        "strict",
        app=FAULTY_APP,
        REELMAKER_VOICE="faulty-test",
        FAULTY_VOICE_MODE="permanent",
        FAULTY_VOICE_STATE=str(state),
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    orchestration.start_preview(story_id=story.pk)
    story = wait_for_story(story.pk, Status.FAILED, celery_workers)

    failed = story.jobs.get(status=Job.Status.FAILED)
    assert failed.kind == Job.Kind.VOICE
    assert failed.attempts == 1  # a permanent error is not retried
    assert failed.error_code == "EXTERNAL_API_ERROR"
    assert "voice 'nobody' does not exist" in failed.error_message
    assert story.error_code == "EXTERNAL_API_ERROR"
    assert "voice 'nobody' does not exist" in story.error_message
    assert not story.jobs.filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING)).exists()
    page = client.get(f"/admin/stories/story/{story.pk}/change/")
    assert "voice &#x27;nobody&#x27; does not exist" in page.content.decode()

    (state / "broken").unlink()  # the provider is fixed
    to_retry = list(
        story.jobs.filter(status__in=(Job.Status.FAILED, Job.Status.CANCELED)).order_by("pk")
    )
    response = client.post(
        "/admin/jobs/job/",
        {
            "action": "retry_failed_jobs",
            "index": 0,
            "_selected_action": [j.pk for j in to_retry],
        },
    )

    assert response.status_code == 302
    story = wait_for_story(story.pk, Status.PREVIEW_READY, celery_workers)
    assert story.error_message == ""
    assert story.preview is not None
    assert job_keys(story.pk) == expected_keys(story, profile="preview", assets=True) + Counter(
        {(Job.Kind.PLAN, None, ""): 1}
    )
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error_message) == (Job.Status.SUCCEEDED, 2, "")
    moves = list(story.transitions.values_list("from_status", "to_status"))
    assert moves[-3:] == [
        (Status.PREVIEWING, Status.FAILED),
        (Status.FAILED, Status.PREVIEWING),
        (Status.PREVIEWING, Status.PREVIEW_READY),
    ]
