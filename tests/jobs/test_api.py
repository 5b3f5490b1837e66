import threading
from datetime import timedelta
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error, response_schema_conformance

from jobs.handlers import cancel_on_job_cancel
from jobs.models import Job
from reelmaker.celery import app as celery_app
from reelmaker.wsgi import application
from render import runner
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, StoryFactory, UserFactory

JOBS = "/api/v1/jobs/"


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def story_in(status, **fields):
    story = StoryFactory(**fields)
    Story.objects.filter(pk=story.pk).update(status=status)
    story.refresh_from_db()
    return story


def timed_job(story, kind, status, seconds, **fields):
    finished = timezone.now()
    return JobFactory(
        story=story,
        kind=kind,
        status=status,
        started_at=finished - timedelta(seconds=seconds),
        finished_at=finished,
        **fields,
    )


@pytest.mark.django_db
def test_list_shows_only_my_jobs_and_filters_by_status_kind_and_story(client, user):
    mine, other_story = StoryFactory(owner=user), StoryFactory(owner=user)
    failed = JobFactory(story=mine, kind=Job.Kind.VOICE, status=Job.Status.FAILED)
    done = JobFactory(story=mine, kind=Job.Kind.VISUAL, status=Job.Status.SUCCEEDED)
    elsewhere = JobFactory(story=other_story, kind=Job.Kind.VOICE, status=Job.Status.FAILED)
    strangers = JobFactory(kind=Job.Kind.VOICE, status=Job.Status.FAILED)

    everything = client.get(JOBS).json()
    by_filters = client.get(JOBS, {"status": "failed", "kind": "voice", "story": mine.pk}).json()
    strangers_story = client.get(JOBS, {"story": strangers.story_id}).json()

    assert {j["id"] for j in everything["results"]} == {failed.pk, done.pk, elsewhere.pk}
    assert everything["count"] == 3
    assert [j["id"] for j in by_filters["results"]] == [failed.pk]
    assert by_filters["results"][0]["status"] == "failed"
    assert strangers_story["count"] == 0


@pytest.mark.django_db
def test_another_users_job_is_404_in_the_envelope_and_cannot_be_retried(client):
    strangers = JobFactory(status=Job.Status.FAILED)

    detail = client.get(f"{JOBS}{strangers.pk}/")
    retry = client.post(f"{JOBS}{strangers.pk}/retry/")

    assert detail.status_code == 404
    assert retry.status_code == 404
    assert detail.json()["error"]["code"] == "NOT_FOUND"
    strangers.refresh_from_db()
    assert strangers.status == Job.Status.FAILED


@pytest.mark.django_db
def test_job_list_runs_the_same_number_of_queries_for_3_or_30_jobs(
    client, user, django_assert_max_num_queries
):
    story = StoryFactory(owner=user)
    JobFactory.create_batch(3, story=story)
    with django_assert_max_num_queries(10) as few:
        client.get(JOBS)
    JobFactory.create_batch(27, story=story)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(JOBS, {"page_size": 100})

    assert response.json()["count"] == 30


@pytest.mark.django_db
def test_retry_of_a_failed_plan_job_brings_the_story_back_and_completes_the_step(
    client, user, eager_celery, django_capture_on_commit_callbacks
):
    story = story_in(Status.FAILED, owner=user, keyword="rainy day bookshop")
    job = JobFactory(
        story=story, kind=Job.Kind.PLAN, status=Job.Status.FAILED, attempts=3, error_code="X"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{JOBS}{job.pk}/retry/")

    assert response.status_code == 202
    assert response.json()["id"] == job.pk
    job.refresh_from_db()
    story.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert story.status == Status.PLANNED
    moves = list(story.transitions.values_list("from_status", "to_status"))
    assert moves == [(Status.FAILED, Status.PLANNING), (Status.PLANNING, Status.PLANNED)]


@pytest.mark.django_db
@pytest.mark.parametrize("job_status", [Job.Status.SUCCEEDED, Job.Status.RUNNING])
def test_retry_of_a_job_that_did_not_fail_is_409_and_changes_nothing(client, user, job_status):
    job = JobFactory(story=story_in(Status.PLANNING, owner=user), status=job_status)

    response = client.post(f"{JOBS}{job.pk}/retry/")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "ILLEGAL_TRANSITION"
    assert error["details"] == {"status": job_status, "allowed": ["failed", "canceled"]}
    job.refresh_from_db()
    assert job.status == job_status
    assert Story.objects.get(pk=job.story_id).status == Status.PLANNING


@pytest.mark.django_db
def test_cancel_of_the_queued_plan_job_cancels_it_and_fails_the_story(client, user):
    story = story_in(Status.PLANNING, owner=user)
    job = JobFactory(story=story, kind=Job.Kind.PLAN, status=Job.Status.QUEUED)

    response = client.post(f"{JOBS}{job.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "canceled"
    story.refresh_from_db()
    assert story.status == Status.FAILED
    assert story.error_code == "CANCELED"


@pytest.mark.django_db
def test_cancel_of_a_finished_job_is_409_and_changes_nothing(client, user):
    story = story_in(Status.PLANNED, owner=user)
    job = JobFactory(story=story, status=Job.Status.SUCCEEDED)

    response = client.post(f"{JOBS}{job.pk}/cancel/")

    assert response.status_code == 409
    assert response.json()["error"]["details"]["allowed"] == ["queued", "running"]
    job.refresh_from_db()
    story.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert story.status == Status.PLANNED
    assert not story.transitions.exists()


@pytest.mark.django_db(transaction=True)
def test_cancel_over_the_api_terminates_a_running_ffmpeg_and_keeps_no_output(
    client, user, tmp_path
):
    story = story_in(Status.FINALIZING, owner=user)
    job = JobFactory(
        story=story, kind=Job.Kind.ASSEMBLE, profile="final", status=Job.Status.RUNNING
    )
    out = tmp_path / "final.mp4"
    started, outcome = threading.Event(), {}

    def build(tmp: Path) -> list[str]:
        started.set()
        # Minutes of work at this size and preset: it only ends early when it is stopped.
        return [
            "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
            "-t", "600", "-c:v", "libx264", "-preset", "veryslow", "-y", str(tmp),
        ]  # fmt: skip

    def render() -> None:
        with cancel_on_job_cancel(job.pk, poll_s=0.05) as cancel:
            try:
                runner.run_to_file(build, out, step="assemble", cancel=cancel)
            except runner.RenderCanceled as exc:
                outcome["error"] = exc

    worker = threading.Thread(target=render)
    worker.start()
    assert started.wait(timeout=10)

    response = client.post(f"{JOBS}{job.pk}/cancel/")
    worker.join(timeout=30)

    assert response.status_code == 200
    assert not worker.is_alive()
    assert isinstance(outcome.get("error"), runner.RenderCanceled)
    assert list(tmp_path.iterdir()) == []
    story.refresh_from_db()
    assert story.status == Status.FAILED
    assert story.error_code == "CANCELED"


@pytest.mark.django_db
def test_statistics_count_by_kind_and_status_with_percentiles_and_top_failures(client, user):
    story = StoryFactory(owner=user)
    for seconds in (1, 2, 3, 4, 10):
        timed_job(story, Job.Kind.VOICE, Job.Status.SUCCEEDED, seconds)
    for _ in range(2):
        timed_job(
            story,
            Job.Kind.VISUAL,
            Job.Status.FAILED,
            20,
            error_code="EXTERNAL_API_ERROR",
            error_message="Visual step failed: 503",
        )
    timed_job(story, Job.Kind.PLAN, Job.Status.FAILED, 30, error_code="INVALID_REQUEST")
    JobFactory(story=story, kind=Job.Kind.MUSIC, status=Job.Status.QUEUED)
    timed_job(StoryFactory(), Job.Kind.VOICE, Job.Status.FAILED, 99, error_code="NOT_MINE")

    stats = client.get(f"{JOBS}statistics/").json()
    voice_only = client.get(f"{JOBS}statistics/", {"kind": "voice"}).json()

    assert stats["total"] == 9
    assert stats["by_status"] == {"failed": 3, "queued": 1, "succeeded": 5}
    assert stats["by_kind"]["visual"] == {"failed": 2}
    assert stats["by_kind"]["voice"] == {"succeeded": 5}
    assert stats["duration_s"]["by_kind"]["voice"] == {"count": 5, "p50": 3.0, "p95": 8.8}
    assert stats["duration_s"]["p50"] == 7.0
    assert stats["top_failures"][0] == {
        "kind": "visual",
        "error_code": "EXTERNAL_API_ERROR",
        "count": 2,
        "example": "Visual step failed: 503",
    }
    assert [f["error_code"] for f in stats["top_failures"]] == [
        "EXTERNAL_API_ERROR",
        "INVALID_REQUEST",
    ]
    assert voice_only["total"] == 5
    assert voice_only["top_failures"] == []


# ---------------------------------------------------------------- schema (schemathesis)

MINE = r"^/api/v1/(jobs/|media/uploads|stories/\{story_id\}/events)"
schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(path_regex=MINE)


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI app must not close the connection holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(db, _keep_the_test_connection):
    owner = UserFactory()
    story = story_in(Status.PLANNED, owner=owner)
    failed = JobFactory(story=story, kind=Job.Kind.VOICE, status=Job.Status.FAILED)
    JobFactory(story=story, kind=Job.Kind.VISUAL, status=Job.Status.SUCCEEDED)
    token = str(RefreshToken.for_user(owner).access_token)
    return {"token": token, "story": story.pk, "job": failed.pk}


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_jobs_media_and_events_match_the_schema(case, fuzz_world):
    params = case.path_parameters or {}
    if "story_id" in params:
        params["story_id"] = str(fuzz_world["story"])
    if "id" in params and not str(params["id"]).endswith("7"):
        params["id"] = str(fuzz_world["job"])

    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_world['token']}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
