import pytest
from django.contrib.auth.models import Permission

from jobs.models import Job
from reelmaker.celery import app as celery_app
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, StoryFactory, UserFactory

CHANGELIST = "/admin/jobs/job/"


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def failed_plan_job(**story_fields):
    story = StoryFactory(keyword="rainy day bookshop", **story_fields)
    Story.objects.filter(pk=story.pk).update(status=Status.FAILED, error_message="writer down")
    return JobFactory(
        story=story,
        kind=Job.Kind.PLAN,
        status=Job.Status.FAILED,
        attempts=3,
        error_code="EXTERNAL_API_ERROR",
        error_message="writer down",
    )


def post_action(client, action, jobs):
    return client.post(
        CHANGELIST, {"action": action, "index": 0, "_selected_action": [j.pk for j in jobs]}
    )


@pytest.mark.django_db
def test_staff_retry_action_requeues_and_completes_the_failed_step(
    client, eager_celery, django_capture_on_commit_callbacks
):
    job = failed_plan_job()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(client, "retry_failed_jobs", [job])

    assert response.status_code == 302
    job.refresh_from_db()
    story = job.story
    story.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert job.attempts == 4
    assert story.status == Status.PLANNED
    assert story.scenes.count() >= 4
    moves = list(story.transitions.values_list("from_status", "to_status"))
    assert moves == [(Status.FAILED, Status.PLANNING), (Status.PLANNING, Status.PLANNED)]
    assert story.error_message == ""


@pytest.mark.django_db
def test_non_staff_user_is_refused_and_nothing_changes(client):
    job = failed_plan_job()
    client.force_login(UserFactory(is_staff=False))

    response = post_action(client, "retry_failed_jobs", [job])

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert Story.objects.get(pk=job.story_id).status == Status.FAILED


@pytest.mark.django_db
def test_staff_without_change_permission_cannot_run_actions(client):
    job = failed_plan_job()
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_job"))
    client.force_login(viewer)

    response = post_action(client, "retry_failed_jobs", [job])

    assert response.status_code == 200  # the changelist again, with no action run
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not job.story.transitions.exists()


@pytest.mark.django_db
def test_staff_cancel_action_cancels_queued_jobs_only(client):
    story = StoryFactory()
    queued = JobFactory(story=story, kind=Job.Kind.VISUAL)
    done = JobFactory(story=story, kind=Job.Kind.VOICE, status=Job.Status.SUCCEEDED)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = post_action(client, "cancel_selected_jobs", [queued, done])

    assert response.status_code == 302
    queued.refresh_from_db()
    done.refresh_from_db()
    assert queued.status == Job.Status.CANCELED
    assert queued.finished_at is not None
    assert done.status == Job.Status.SUCCEEDED


@pytest.mark.django_db
def test_failed_story_and_its_reason_are_two_clicks_away(client):
    job = failed_plan_job()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get("/admin/stories/story/", {"status__exact": "FAILED"})
    detail = client.get(f"/admin/stories/story/{job.story_id}/change/")

    assert listing.status_code == 200
    assert b"writer down" in listing.content
    assert detail.status_code == 200
    assert b"writer down" in detail.content
