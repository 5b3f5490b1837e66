"""Provider failures on a real worker: transient ones are retried, permanent ones fail the story
until an operator retries it from admin. The worker runs tests/durability/faulty_voice_app.py.
"""

from __future__ import annotations

from collections import Counter

import pytest

from jobs import pipeline
from jobs.models import Job
from stories.states import Status
from tests.durability.support import expected_keys, job_keys, planned_story, wait_for_story
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FAULTY_APP = "tests.durability.faulty_voice_app"


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

    pipeline.generate_preview(story_id=story.pk)
    wait_for_story(story.pk, Status.PREVIEW_READY, celery_workers)
    pipeline.render_final(story_id=story.pk)
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

    pipeline.generate_preview(story_id=story.pk)
    story = wait_for_story(story.pk, Status.FAILED, celery_workers)

    failed = story.jobs.get(status=Job.Status.FAILED)
    assert failed.kind == Job.Kind.VOICE
    assert failed.attempts == 1  # a permanent error is not retried
    assert failed.error_code == "EXTERNAL_API_ERROR"
    assert "voice 'nobody' does not exist" in failed.error_detail
    assert story.error_code == "EXTERNAL_API_ERROR"
    assert "voice 'nobody' does not exist" in story.error_detail
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
