"""Helpers of the durability tests: wait on rows other processes write, count jobs, make stories.

Work a test does not examine (planning, a preview before a final render) runs inline here,
in the test process, to keep the files short.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from jobs import inline, pipeline
from jobs.models import Job
from stories.models import Story
from stories.services import create_story
from stories.states import Status
from tests.factories import UserFactory

FINAL_WIDTH, FINAL_HEIGHT = 1080, 1920
RENDER_KINDS = (Job.Kind.SCENE_RENDER, Job.Kind.ASSEMBLE)


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
    pipeline.plan_story(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    story.refresh_from_db()
    assert story.status == Status.PLANNED
    return story


def previewed_story(**brief) -> Story:
    story = planned_story(**brief)
    pipeline.generate_preview(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    story.refresh_from_db()
    assert story.status == Status.PREVIEW_READY
    return story
