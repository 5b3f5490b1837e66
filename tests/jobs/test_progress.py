"""Job progress: FFmpeg's own progress drives render jobs, the others report coarse steps."""

from __future__ import annotations

import itertools

import pytest

from jobs import inline, pipeline
from jobs import services as job_services
from jobs.models import Job
from stories import services as story_services
from stories.models import Event
from stories.states import Status
from tests.factories import JobFactory, UserFactory


def progress_events(job: Job) -> list[Event]:
    return list(
        Event.objects.filter(
            story_id=job.story_id, kind=Event.Kind.PROGRESS, payload__job=job.pk
        ).order_by("pk")
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_render_jobs_report_rising_progress_at_most_twice_a_second_and_end_at_100():
    story = story_services.create_story(
        owner=UserFactory(), keyword="harbour sunrise", language="en", duration_s=12
    )
    pipeline.plan_story(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    pipeline.generate_preview(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    pipeline.render_final(story_id=story.pk, inline=True)

    inline.run_inline(story_id=story.pk)

    story.refresh_from_db()
    assert story.status == Status.COMPLETED
    renders = list(story.jobs.filter(profile="final", kind__in=("scene_render", "assemble")))
    assert {job.progress for job in renders} == {100}
    reported = 0
    for job in renders:
        events = progress_events(job)
        values = [event.payload["progress"] for event in events]
        assert values == sorted(set(values)), values  # strictly rising
        assert all(0 < value < 100 for value in values)
        for first, third in zip(events, events[2:], strict=False):
            assert (third.created_at - first.created_at).total_seconds() >= 1.0
        reported += len(values)
    # A final scene clip encodes for seconds on these cores: several steps are seen.
    assert reported >= 2
    finished = Event.objects.filter(story=story, kind=Event.Kind.JOB, payload__job=renders[0].pk)
    assert finished.order_by("-pk").first().payload["progress"] == 100


@pytest.mark.django_db
def test_non_ffmpeg_jobs_report_coarse_steps_0_50_100(settings):
    story = story_services.create_story(
        owner=UserFactory(), keyword="night market", language="en", duration_s=8
    )
    pipeline.plan_story(story_id=story.pk, inline=True)
    job = story.jobs.get(kind=Job.Kind.PLAN)

    pipeline.run_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress == 100
    assert [e.payload["progress"] for e in progress_events(job)] == [50]
    states = Event.objects.filter(story=story, kind=Event.Kind.JOB, payload__job=job.pk)
    assert [e.payload["progress"] for e in states.order_by("pk")] == [0, 100]


@pytest.mark.django_db
def test_the_reporter_writes_at_most_two_progress_events_a_second():
    job = JobFactory(kind=Job.Kind.SCENE_RENDER, status=Job.Status.RUNNING)
    ticks = itertools.count()
    report = job_services.progress_reporter(job_id=job.pk, clock=lambda: next(ticks) * 0.1)

    for step in range(1, 31):  # 3 seconds of FFmpeg reports, ten a second
        report(step / 31)

    values = [e.payload["progress"] for e in progress_events(job)]
    assert 5 <= len(values) <= 6
    assert values == sorted(set(values))
    job.refresh_from_db()
    assert job.progress == values[-1] < 100


@pytest.mark.django_db
def test_progress_of_a_finished_job_is_not_changed():
    job = JobFactory(kind=Job.Kind.ASSEMBLE, status=Job.Status.CANCELED, progress=40)

    written = job_services.set_progress(job_id=job.pk, progress=70)

    job.refresh_from_db()
    assert not written
    assert job.progress == 40
    assert progress_events(job) == []
