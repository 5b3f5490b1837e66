from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Job
from reelmaker.celery import app as celery_app
from scenes.models import Prompt
from stories.models import IdempotencyRecord, Story
from stories.states import Status
from tests.factories import SceneFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

BRIEF = {"keyword": "성수동 브런치 카페", "language": "ko", "duration_s": 20, "aspect": "9:16"}


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def set_status(story, status, **fields):
    Story.objects.filter(pk=story.pk).update(status=status, **fields)
    story.refresh_from_db()
    return story


def test_create_shows_the_story_with_its_fields(api, user):
    response = api.post(
        "/api/v1/stories/",
        {**BRIEF, "style": "food", "business": {"name": "Cafe Onion", "place": "Seongsu"}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "DRAFT"
    assert body["is_locked"] is False
    assert body["scenes"] == []
    assert set(body["media"]) == {"preview", "final", "thumbnail", "captions_srt", "captions_vtt"}
    story = Story.objects.get(pk=body["id"])
    assert story.owner == user
    assert story.business == {"name": "Cafe Onion", "place": "Seongsu"}


@pytest.mark.parametrize(
    "change",
    [
        {"language": "fr"},
        {"duration_s": 2},
        {"aspect": "4:3"},
        {"keyword": ""},
        {"voice": "en-piper-joe"},  # an English voice for a Korean story
        {"business": {"colour": "red"}},
        {"callback_url": "http://127.0.0.1:9/hook"},
        {"caption_style": "comic-sans"},
    ],
)
def test_create_refuses_a_bad_brief(api, change):
    response = api.post("/api/v1/stories/", {**BRIEF, **change}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert Story.objects.count() == 0


def test_list_filters_orders_and_caps_the_page_size(api, user, other_user):
    old = StoryFactory(owner=user, keyword="old coffee", language="en")
    Story.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    ko = StoryFactory(owner=user, keyword="김치", language="ko", title="Kimchi day")
    StoryFactory(owner=other_user, keyword="someone else's coffee")

    ids = [s["id"] for s in api.get("/api/v1/stories/").json()["results"]]
    assert ids == [ko.pk, old.pk]
    assert api.get("/api/v1/stories/?language=ko").json()["count"] == 1
    assert api.get("/api/v1/stories/?search=kimchi").json()["results"][0]["id"] == ko.pk
    assert api.get("/api/v1/stories/?search=coffee").json()["count"] == 1
    after = (timezone.now() - timedelta(days=1)).isoformat()
    assert api.get("/api/v1/stories/", {"created_after": after}).json()["count"] == 1
    assert [s["id"] for s in api.get("/api/v1/stories/?ordering=created_at").json()["results"]] == [
        old.pk,
        ko.pk,
    ]
    assert api.get("/api/v1/stories/?status=DRAFT&status=FAILED").json()["count"] == 2
    bad = api.get("/api/v1/stories/?status=NOPE")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "INVALID_REQUEST"
    StoryFactory.create_batch(110, owner=user)
    page = api.get("/api/v1/stories/?page_size=500").json()
    assert len(page["results"]) == 100
    assert page["count"] == 112


def test_another_users_story_is_404_and_unchanged(api, other_user):
    story = StoryFactory(owner=other_user)
    for method, url in [
        ("get", f"/api/v1/stories/{story.pk}/"),
        ("patch", f"/api/v1/stories/{story.pk}/"),
        ("delete", f"/api/v1/stories/{story.pk}/"),
        ("post", f"/api/v1/stories/{story.pk}/plan/"),
        ("get", f"/api/v1/stories/{story.pk}/jobs/"),
    ]:
        response = getattr(api, method)(url, {"keyword": "mine now"}, format="json")
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["code"] == "NOT_FOUND"
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert story.keyword == "morning coffee"
    assert not Job.objects.exists()


def test_patch_edits_the_brief_but_not_while_locked(api, user):
    story = StoryFactory(owner=user)
    response = api.patch(f"/api/v1/stories/{story.pk}/", {"keyword": "evening tea"}, format="json")
    assert response.status_code == 200
    assert response.json()["keyword"] == "evening tea"
    api.post(f"/api/v1/stories/{story.pk}/lock/")
    refused = api.patch(f"/api/v1/stories/{story.pk}/", {"keyword": "x"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "PLAN_LOCKED"
    story.refresh_from_db()
    assert story.keyword == "evening tea"
    assert story.is_locked


def test_put_is_405_in_the_envelope(api, user):
    story = StoryFactory(owner=user)
    response = api.put(f"/api/v1/stories/{story.pk}/", BRIEF, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert response.json()["error"]["details"]["method"] == "PUT"


def test_plan_answers_202_with_the_job_and_runs_on_a_worker(
    api, user, eager_celery, django_capture_on_commit_callbacks
):
    story = StoryFactory(owner=user, language="en", keyword="morning coffee ritual")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/stories/{story.pk}/plan/")
    assert response.status_code == 202, response.json()
    [job_id] = response.json()["job_ids"]
    job = Job.objects.get(pk=job_id)
    assert job.kind == Job.Kind.PLAN
    assert job.status == Job.Status.SUCCEEDED
    story.refresh_from_db()
    assert story.status == Status.PLANNED
    assert story.scenes.count() >= 4
    detail = api.get(f"/api/v1/stories/{story.pk}/").json()
    assert len(detail["scenes"]) == story.scenes.count()
    moves = [
        (t["from_status"], t["to_status"])
        for t in api.get(f"/api/v1/stories/{story.pk}/transitions/").json()
    ]
    assert moves == [("DRAFT", "PLANNING"), ("PLANNING", "PLANNED")]
    assert [j["id"] for j in api.get(f"/api/v1/stories/{story.pk}/jobs/").json()] == [job_id]


def test_plan_from_the_wrong_status_is_409_with_the_allowed_moves(api, user):
    story = set_status(StoryFactory(owner=user), Status.COMPLETED)
    response = api.post(f"/api/v1/stories/{story.pk}/plan/")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "ILLEGAL_TRANSITION"
    assert error["details"]["allowed"] == ["ARCHIVED"]
    assert not Job.objects.exists()


def test_idempotency_key_replays_the_first_response_and_starts_nothing(api, user):
    story = StoryFactory(owner=user)
    headers = {"HTTP_IDEMPOTENCY_KEY": "plan-1"}
    first = api.post(f"/api/v1/stories/{story.pk}/plan/", **headers)
    second = api.post(f"/api/v1/stories/{story.pk}/plan/", **headers)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Job.objects.filter(story=story).count() == 1
    assert story.transitions.count() == 1
    # the same key on another request is refused
    other = api.post("/api/v1/stories/", BRIEF, format="json", **headers)
    assert other.status_code == 409
    assert Story.objects.count() == 1


def test_idempotent_create_makes_one_story(api, user, other_api):
    headers = {"HTTP_IDEMPOTENCY_KEY": "create-abc"}
    first = api.post("/api/v1/stories/", BRIEF, format="json", **headers)
    second = api.post("/api/v1/stories/", BRIEF, format="json", **headers)
    assert first.json()["id"] == second.json()["id"]
    assert Story.objects.filter(owner=user).count() == 1
    # keys are per user
    theirs = other_api.post("/api/v1/stories/", BRIEF, format="json", **headers)
    assert theirs.status_code == 201
    assert theirs.json()["id"] != first.json()["id"]
    assert IdempotencyRecord.objects.count() == 2


def test_a_refused_request_releases_its_key(api, user):
    headers = {"HTTP_IDEMPOTENCY_KEY": "k1"}
    bad = api.post("/api/v1/stories/", {**BRIEF, "language": "xx"}, format="json", **headers)
    assert bad.status_code == 400
    good = api.post("/api/v1/stories/", BRIEF, format="json", **headers)
    assert good.status_code == 201


def test_preview_and_final_answer_202_with_their_jobs(api, user):
    story = set_status(StoryFactory(owner=user), Status.PLANNED)
    SceneFactory.create_batch(2, story=story)
    response = api.post(f"/api/v1/stories/{story.pk}/generate_preview/")
    assert response.status_code == 202
    jobs = Job.objects.filter(pk__in=response.json()["job_ids"])
    kinds = sorted(jobs.values_list("kind", flat=True))
    assert kinds == sorted(
        ["visual"] * 2 + ["voice"] * 2 + ["music"] + ["scene_render"] * 2 + ["assemble"]
    )
    assert response.json()["story"]["status"] == "PREVIEWING"
    assert response.json()["story"]["is_locked"] is True
    refused = api.post(f"/api/v1/stories/{story.pk}/render_final/")
    assert refused.status_code == 409


def test_cancel_a_preview_goes_back_to_planned(api, user):
    story = set_status(StoryFactory(owner=user), Status.PLANNED)
    SceneFactory(story=story)
    api.post(f"/api/v1/stories/{story.pk}/generate_preview/")
    response = api.post(f"/api/v1/stories/{story.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["story"]["status"] == "PLANNED"
    assert not Job.objects.filter(story=story, status=Job.Status.QUEUED).exists()
    again = api.post(f"/api/v1/stories/{story.pk}/cancel/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "ILLEGAL_TRANSITION"


def test_transition_moves_only_what_a_user_may(api, user):
    story = set_status(StoryFactory(owner=user), Status.PREVIEW_READY)
    refused = api.post(
        f"/api/v1/stories/{story.pk}/transition/", {"to": "COMPLETED"}, format="json"
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["allowed"] == ["ARCHIVED", "FINALIZING", "PLANNED"]
    moved = api.post(
        f"/api/v1/stories/{story.pk}/transition/",
        {"to": "PLANNED", "reason": "rewrite the hook"},
        format="json",
    )
    assert moved.status_code == 200
    assert moved.json()["story"]["status"] == "PLANNED"
    assert story.transitions.get().reason == "rewrite the hook"


def test_archive_lock_unlock(api, user):
    story = StoryFactory(owner=user)
    assert api.post(f"/api/v1/stories/{story.pk}/lock/").json()["is_locked"] is True
    assert api.post(f"/api/v1/stories/{story.pk}/unlock/").json()["is_locked"] is False
    archived = api.post(f"/api/v1/stories/{story.pk}/archive/")
    assert archived.status_code == 200
    assert archived.json()["status"] == "ARCHIVED"
    assert api.post(f"/api/v1/stories/{story.pk}/archive/").status_code == 409


def test_duplicate_copies_the_brief_and_the_plan(api, user):
    story = set_status(StoryFactory(owner=user, style="calm"), Status.PREVIEW_READY)
    scene = SceneFactory(story=story, position=0, narration="First.")
    Prompt.objects.create(scene=scene, kind="narration", text="First.", is_selected=True)
    response = api.post(f"/api/v1/stories/{story.pk}/duplicate/")
    assert response.status_code == 201
    copy = Story.objects.get(pk=response.json()["id"])
    assert copy.pk != story.pk
    assert copy.style == "calm"
    assert copy.status == Status.PLANNED
    assert [s.narration for s in copy.scenes.all()] == ["First."]
    assert copy.scenes.get().prompts.get().is_selected
    story.refresh_from_db()
    assert story.status == Status.PREVIEW_READY


def test_cost_estimate_counts_what_is_left_to_make(api, user):
    draft = StoryFactory(owner=user, duration_s=30)
    lines = {
        line["capability"]: line
        for line in api.get(f"/api/v1/stories/{draft.pk}/cost_estimate/").json()["lines"]
    }
    assert set(lines) == {"writer", "visual", "voice", "render"}
    assert lines["visual"]["units"] == 6
    assert lines["writer"]["units"] > 0
    planned = set_status(StoryFactory(owner=user), Status.PLANNED)
    SceneFactory(story=planned, narration="abcde", duration_ms=3000)
    body = api.get(f"/api/v1/stories/{planned.pk}/cost_estimate/").json()
    lines = {line["capability"]: line for line in body["lines"]}
    assert "writer" not in lines
    assert lines["voice"]["units"] == 5
    assert lines["render"]["units"] == 6
    assert body["currency"] == "USD"


def test_cost_estimate_shows_what_the_story_has_cost_so_far(api, user, client):
    from billing.models import UsageRecord

    story = StoryFactory(owner=user)
    for cost in ("0.250000", "0.015000"):
        UsageRecord.objects.create(
            user=user,
            story=story,
            provider="openai",
            model="gpt-4o-mini",
            unit="tokens",
            units=1000,
            cost_usd=cost,
        )

    body = api.get(f"/api/v1/stories/{story.pk}/cost_estimate/").json()

    assert body["spent_usd"] == "0.265000"
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get(f"/admin/stories/story/{story.pk}/change/")
    assert b"0.265000" in page.content


def test_statistics_are_per_user(api, user, other_user):
    now = timezone.now()
    for took in (10, 20, 30):
        story = set_status(StoryFactory(owner=user), Status.COMPLETED)
        Story.objects.filter(pk=story.pk).update(
            created_at=now - timedelta(seconds=took), completed_at=now
        )
    set_status(StoryFactory(owner=user), Status.FAILED)
    set_status(StoryFactory(owner=other_user), Status.FAILED)
    stats = api.get("/api/v1/stories/statistics/").json()
    assert stats["total"] == 4
    assert stats["by_status"]["COMPLETED"] == 3
    assert stats["success_rate"] == 0.75
    assert stats["time_to_final_s"]["average"] == pytest.approx(20, abs=0.5)
    # percentile_cont: 20 + 0.9 * (30 - 20), the same percentile as the job statistics
    assert stats["time_to_final_s"]["p95"] == pytest.approx(29, abs=0.01)


def test_delete_is_refused_while_working(api, user):
    story = set_status(StoryFactory(owner=user), Status.PLANNING)
    assert api.delete(f"/api/v1/stories/{story.pk}/").status_code == 409
    assert Story.objects.filter(pk=story.pk).exists()
    set_status(story, Status.PLANNED)
    assert api.delete(f"/api/v1/stories/{story.pk}/").status_code == 204
    story.refresh_from_db()
    assert story.deleted_at is not None
