"""Options on generate_preview and render_final: quality, include_captions, watermark."""

import pytest

from billing.models import Plan, ReelUsage, Subscription
from jobs import dispatch
from jobs.models import Job
from stories.models import Story
from stories.states import Status
from tests.factories import SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db

RENDER_KINDS = (Job.Kind.SCENE_RENDER, Job.Kind.ASSEMBLE)


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(dispatch, "queue_story", lambda *, story_id: None)


def planned(owner):
    story = StoryFactory(owner=owner)
    Story.objects.filter(pk=story.pk).update(status=Status.PLANNED)
    SceneFactory.create_batch(2, story=story)
    return story


def render_options(story) -> list[dict]:
    return list(
        Job.objects.filter(story=story, kind__in=RENDER_KINDS).values_list("options", flat=True)
    )


def on_paid_plan(user):
    plan = Plan.objects.create(code="pro", name="Pro", preview_watermark=False)
    Subscription.objects.create(user=user, plan=plan)


def test_preview_options_reach_every_render_job(api, user):
    on_paid_plan(user)
    story = planned(user)

    response = api.post(
        f"/api/v1/stories/{story.pk}/generate_preview/",
        {"quality": "draft", "include_captions": False, "watermark": False},
        format="json",
    )

    assert response.status_code == 202, response.json()
    wanted = {"quality": "draft", "include_captions": False, "watermark": False}
    assert render_options(story) == [wanted] * 3  # two clips and the assembly


def test_a_plan_that_watermarks_previews_keeps_the_watermark(api, user):
    story = planned(user)  # the free plan watermarks previews

    response = api.post(
        f"/api/v1/stories/{story.pk}/generate_preview/", {"watermark": False}, format="json"
    )

    assert response.status_code == 202
    assert {options["watermark"] for options in render_options(story)} == {True}


def test_a_final_straight_from_planned_with_a_watermark_and_high_quality(api, user):
    on_paid_plan(user)
    story = planned(user)

    response = api.post(
        f"/api/v1/stories/{story.pk}/render_final/",
        {"quality": "high", "watermark": True},
        format="json",
    )

    assert response.status_code == 202, response.json()
    assert response.json()["story"]["status"] == "FINALIZING"
    assert (
        render_options(story)
        == [{"quality": "high", "include_captions": True, "watermark": True}] * 3
    )
    assert set(
        Job.objects.filter(story=story, kind__in=RENDER_KINDS).values_list("profile", flat=True)
    ) == {"final"}
    assert ReelUsage.objects.filter(story=story).count() == 1


def test_without_a_body_the_defaults_are_stored(api, user):
    on_paid_plan(user)
    story = planned(user)

    api.post(f"/api/v1/stories/{story.pk}/render_final/")

    assert render_options(story)[0] == {"quality": "standard", "include_captions": True}


@pytest.mark.parametrize(
    "body",
    [{"quality": "ultra"}, {"include_captions": "maybe"}, {"watermark": "sometimes"}],
)
def test_bad_options_are_400_and_start_nothing(api, user, body):
    story = planned(user)

    response = api.post(f"/api/v1/stories/{story.pk}/generate_preview/", body, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert set(error["details"]["fields"]) == set(body)
    story.refresh_from_db()
    assert story.status == Status.PLANNED
    assert not Job.objects.filter(story=story).exists()
