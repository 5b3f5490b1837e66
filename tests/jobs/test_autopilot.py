"""One request from idea to reel: `autopilot` on create, the `produce` action, makereel final."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_save

from billing.models import Plan, ReelUsage, Subscription
from jobs import dispatch, pipeline, webhooks
from jobs.models import Job
from reelmaker.celery import app as celery_app
from stories import services as story_services
from stories.models import Event, Story
from stories.states import Status
from tests.factories import StoryFactory

BRIEF = {"keyword": "harbour sunrise", "language": "en", "duration_s": 5, "aspect": "9:16"}


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def no_broker(monkeypatch):
    monkeypatch.setattr(dispatch, "queue_story", lambda *, story_id: None)


def moves(story: Story) -> list[tuple[str, str]]:
    return list(story.transitions.order_by("id").values_list("from_status", "to_status"))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_create_with_autopilot_final_ends_completed_without_a_preview(api, user, eager_celery):
    response = api.post("/api/v1/stories/", {**BRIEF, "autopilot": "final"}, format="json")

    assert response.status_code == 201, response.json()
    story = Story.objects.get(pk=response.json()["id"])
    assert story.status == Status.COMPLETED, story.error_detail
    assert story.autopilot == "final"
    assert story.final is not None
    assert story.preview is None
    assert moves(story) == [
        ("DRAFT", "PLANNING"),
        ("PLANNING", "PLANNED"),
        ("PLANNED", "FINALIZING"),
        ("FINALIZING", "COMPLETED"),
    ]
    renders = Job.objects.filter(story=story, kind__in=(Job.Kind.SCENE_RENDER, Job.Kind.ASSEMBLE))
    assert set(renders.values_list("profile", flat=True)) == {"final"}
    ledger = ReelUsage.objects.filter(story=story).order_by("id")
    assert list(ledger.values_list("kind", "reels")) == [("final", -1), ("capture", 0)]
    assert not story.is_locked


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_produce_takes_a_draft_to_its_preview(api, user, eager_celery):
    story = StoryFactory(owner=user, **BRIEF)

    response = api.post(
        f"/api/v1/stories/{story.pk}/produce/", {"autopilot": "preview"}, format="json"
    )

    assert response.status_code == 202, response.json()
    story.refresh_from_db()
    assert story.status == Status.PREVIEW_READY, story.error_detail
    assert story.preview is not None
    assert story.final is None
    assert list(response.json()["job_ids"]) != []
    assert moves(story)[-2:] == [("PLANNED", "PREVIEWING"), ("PREVIEWING", "PREVIEW_READY")]


@pytest.mark.django_db
def test_produce_on_a_draft_plans_it_and_stores_the_target(api, user, no_broker):
    story = StoryFactory(owner=user)

    response = api.post(f"/api/v1/stories/{story.pk}/produce/", {}, format="json")

    assert response.status_code == 202
    assert response.json()["story"]["autopilot"] == "final"
    assert response.json()["story"]["status"] == "PLANNING"
    [job] = Job.objects.filter(pk__in=response.json()["job_ids"])
    assert job.kind == Job.Kind.PLAN


@pytest.mark.django_db
def test_produce_refuses_an_unknown_target_and_changes_nothing(api, user):
    story = StoryFactory(owner=user)

    response = api.post(
        f"/api/v1/stories/{story.pk}/produce/", {"autopilot": "soon"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert "autopilot" in response.json()["error"]["details"]["fields"]
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert story.autopilot == ""


@pytest.mark.django_db
def test_produce_from_a_finished_story_is_409_and_keeps_no_target(api, user):
    story = StoryFactory(owner=user)
    Story.objects.filter(pk=story.pk).update(status=Status.COMPLETED)

    response = api.post(f"/api/v1/stories/{story.pk}/produce/", {"autopilot": "final"})

    assert response.status_code == 409
    assert response.json()["error"]["details"]["allowed"] == ["ARCHIVED"]
    story.refresh_from_db()
    assert story.autopilot == ""
    assert not Job.objects.filter(story=story).exists()


@pytest.mark.django_db
def test_autopilot_refused_by_quota_keeps_the_draft(api, user, no_broker):
    plan = Plan.objects.create(code="none-left", name="None left", reels_per_month=0)
    Subscription.objects.create(user=user, plan=plan)

    response = api.post("/api/v1/stories/", {**BRIEF, "autopilot": "final"}, format="json")

    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "QUOTA_EXCEEDED"
    story = Story.objects.get(owner=user)
    assert error["details"]["story"] == story.pk
    assert error["details"]["reels_per_month"] == 0
    assert story.status == Status.DRAFT
    assert story.autopilot == ""
    assert not story.transitions.exists()
    assert not Job.objects.exists()
    assert story.keyword == BRIEF["keyword"]


@pytest.mark.django_db
def test_autopilot_refused_by_the_queue_limit_is_429(api, user, no_broker, settings):
    settings.MAX_QUEUED_JOBS_PER_USER = 0

    response = api.post("/api/v1/stories/", {**BRIEF, "autopilot": "preview"}, format="json")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "TOO_MANY_QUEUED_JOBS"
    assert Story.objects.get(owner=user).status == Status.DRAFT


@pytest.mark.django_db
def test_cancel_stops_the_autopilot(api, user, no_broker):
    created = api.post("/api/v1/stories/", {**BRIEF, "autopilot": "final"}, format="json")
    story_id = created.json()["id"]
    assert created.json()["autopilot"] == "final"

    response = api.post(f"/api/v1/stories/{story_id}/cancel/")

    assert response.status_code == 200
    story = Story.objects.get(pk=story_id)
    assert story.autopilot == ""
    assert story.status == Status.FAILED


@pytest.mark.django_db
def test_without_autopilot_create_starts_nothing(api, user):
    response = api.post("/api/v1/stories/", BRIEF, format="json")

    assert response.status_code == 201
    assert response.json()["autopilot"] == ""
    assert response.json()["status"] == "DRAFT"
    assert not Job.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_makereel_final_runs_no_preview_render(tmp_path):
    out = tmp_path / "reel.mp4"

    call_command("makereel", "quiet library", "--duration", "5", "--out", str(out))

    story = Story.objects.get()
    assert story.status == Status.COMPLETED
    assert story.preview is None
    assert story.final is not None
    assert not Job.objects.filter(story=story, profile="preview").exists()
    assert Job.objects.filter(story=story, kind=Job.Kind.ASSEMBLE).count() == 1
    assert out.stat().st_size > 10_000


@pytest.mark.django_db
@pytest.mark.parametrize(("autopilot", "told"), [("preview", True), ("", False), ("final", False)])
def test_a_preview_asked_for_by_autopilot_is_told_to_the_callback(autopilot, told):
    story = StoryFactory(autopilot=autopilot, callback_url="https://hooks.example/reel")
    Story.objects.filter(pk=story.pk).update(status=Status.PREVIEWING)
    story_services.transition_story(story_id=story.pk, to=Status.PREVIEW_READY, reason="rendered")

    job = webhooks.queue_story_webhook(story_id=story.pk)

    assert (job is not None) is told
    types = list(
        Event.objects.filter(story=story, kind=Event.Kind.WEBHOOK).values_list(
            "payload__type", flat=True
        )
    )
    assert types == (["story.preview_ready"] if told else [])
    assert webhooks.queue_story_webhook(story_id=story.pk) is None  # once per move


@pytest.mark.django_db
def test_a_render_refused_after_the_plan_fails_the_story_and_keeps_the_plan(user, no_broker):
    plan = Plan.objects.create(code="spent", name="Spent", reels_per_month=0)
    Subscription.objects.create(user=user, plan=plan)
    story = StoryFactory(owner=user, autopilot="final", **BRIEF)
    Story.objects.filter(pk=story.pk).update(status=Status.PLANNING)
    job = Job.objects.create(story=story, kind=Job.Kind.PLAN)

    pipeline.run_job(job_id=job.pk)

    story.refresh_from_db()
    assert story.status == Status.FAILED
    assert story.error_code == "QUOTA_EXCEEDED"
    assert story.scenes.exists()  # the plan is kept
    assert not Job.objects.filter(story=story, kind=Job.Kind.SCENE_RENDER).exists()
    assert moves(story)[-2:] == [("PLANNING", "PLANNED"), ("PLANNED", "FAILED")]


@pytest.mark.django_db(transaction=True)
def test_no_reader_sees_an_autopilot_story_resting_in_planned(user, no_broker):
    """The studio loaded a reel page in that gap once, saw PLANNED and stopped following."""
    story = StoryFactory(owner=user, autopilot="preview", **BRIEF)
    Story.objects.filter(pk=story.pk).update(status=Status.PLANNING)
    job = Job.objects.create(story=story, kind=Job.Kind.PLAN)
    seen_after_commit: list[str] = []

    def look_once_planned(sender, instance, **kwargs):
        if instance.pk == story.pk and instance.status == Status.PLANNED:
            transaction.on_commit(
                lambda: seen_after_commit.append(Story.objects.get(pk=story.pk).status)
            )

    post_save.connect(look_once_planned, sender=Story)
    try:
        pipeline.run_job(job_id=job.pk)
    finally:
        post_save.disconnect(look_once_planned, sender=Story)

    assert seen_after_commit == [Status.PREVIEWING]
    assert moves(Story.objects.get(pk=story.pk))[-2:] == [
        ("PLANNING", "PLANNED"),
        ("PLANNED", "PREVIEWING"),
    ]
