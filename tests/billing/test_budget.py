"""[security] 3: provider budgets, metered regenerate and prompt test, a queued-job cap and
throttles a person would use."""

from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from billing.models import Plan, Subscription, UsageRecord
from jobs.models import Job
from providers.models import AIProviderConfig
from scenes.models import Prompt
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, SceneFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    user = UserFactory()
    plan = Plan.objects.create(code="small", name="Small", monthly_budget_usd=Decimal("0.20"))
    Subscription.objects.create(user=user, plan=plan)
    return user


@pytest.fixture
def client(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def paid_images(monkeypatch):
    """gpt-image-1 is what the estimate prices visuals at: $0.063 an image (migration 0005)."""
    monkeypatch.setenv("REELMAKER_KEY_TEST_IMAGES", "sk-test")
    AIProviderConfig.objects.create(
        capability="visual",
        provider="openai",
        model="gpt-image-1",
        api_key_env="REELMAKER_KEY_TEST_IMAGES",
    )


def _spent(owner, usd: str) -> None:
    UsageRecord.objects.create(
        user=owner, provider="openai", unit="images", units=1, cost_usd=Decimal(usd)
    )


def test_a_plan_whose_estimate_is_past_the_budget_left_is_402_naming_both(
    owner, client, paid_images
):
    _spent(owner, "0.15")
    story = StoryFactory(owner=owner, duration_s=30)  # about 6 scenes: ~$0.38 of images

    response = client.post(f"/api/v1/stories/{story.pk}/plan/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "QUOTA_EXCEEDED"
    assert Decimal(error["details"]["estimate_usd"]) > Decimal("0.3")
    assert Decimal(error["details"]["left_usd"]) == Decimal("0.05")
    assert "$0.05" in error["message"]
    assert Story.objects.get(pk=story.pk).status == Status.DRAFT
    assert not Job.objects.exists()


def test_a_preview_past_the_budget_is_refused_in_korean(owner, client, paid_images):
    story = StoryFactory(owner=owner, duration_s=15)
    for position in range(4):
        SceneFactory(story=story, position=position)
    Story.objects.filter(pk=story.pk).update(status=Status.PLANNED)
    _spent(owner, "0.10")

    response = client.post(
        f"/api/v1/stories/{story.pk}/generate_preview/", HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 402
    assert "예산" in response.json()["error"]["message"]
    assert Story.objects.get(pk=story.pk).status == Status.PLANNED


def test_regenerate_is_metered_against_the_budget(owner, client, paid_images):
    scene = SceneFactory(story=StoryFactory(owner=owner))
    Story.objects.filter(pk=scene.story_id).update(status=Status.PLANNED)
    _spent(owner, "0.19")

    response = client.post(f"/api/v1/scenes/{scene.pk}/regenerate/", {"what": "visual"})

    assert response.status_code == 402
    assert response.json()["error"]["details"]["left_usd"] == "0.01"
    assert not Job.objects.exists()


def test_regenerate_while_that_part_is_queued_is_409_already_running(owner, client):
    scene = SceneFactory(story=StoryFactory(owner=owner))
    Story.objects.filter(pk=scene.story_id).update(status=Status.PLANNED)
    JobFactory(story=scene.story, scene=scene, kind=Job.Kind.VISUAL)

    response = client.post(f"/api/v1/scenes/{scene.pk}/regenerate/", {"what": "visual"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ALREADY_RUNNING"
    assert Job.objects.count() == 1


def test_a_prompt_test_is_metered_and_records_nothing_when_refused(owner, client, paid_images):
    scene = SceneFactory(story=StoryFactory(owner=owner))
    prompt = Prompt.objects.create(scene=scene, kind=Prompt.Kind.VISUAL, text="a red bicycle")
    _spent(owner, "0.19")

    response = client.post(f"/api/v1/scenes/{scene.pk}/prompts/{prompt.pk}/test/")

    assert response.status_code == 402
    details = response.json()["error"]["details"]
    assert (Decimal(details["estimate_usd"]), details["left_usd"]) == (Decimal("0.063"), "0.01")
    assert UsageRecord.objects.count() == 1


def test_a_prompt_test_while_the_scene_visual_job_runs_is_409(owner, client):
    scene = SceneFactory(story=StoryFactory(owner=owner))
    prompt = Prompt.objects.create(scene=scene, kind=Prompt.Kind.VISUAL, text="a red bicycle")
    JobFactory(story=scene.story, scene=scene, kind=Job.Kind.VISUAL, status=Job.Status.RUNNING)

    response = client.post(f"/api/v1/scenes/{scene.pk}/prompts/{prompt.pk}/test/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ALREADY_RUNNING"


def test_past_the_queued_job_cap_new_work_is_429(owner, client, settings):
    settings.MAX_QUEUED_JOBS_PER_USER = 2
    busy = StoryFactory(owner=owner)
    JobFactory(story=busy, kind=Job.Kind.VISUAL)
    JobFactory(story=busy, kind=Job.Kind.VOICE, status=Job.Status.RUNNING)
    story = StoryFactory(owner=owner)

    response = client.post(f"/api/v1/stories/{story.pk}/plan/")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "TOO_MANY_QUEUED_JOBS"
    assert response.json()["error"]["details"] == {"open_jobs": 2, "max_open_jobs": 2}
    assert Story.objects.get(pk=story.pk).status == Status.DRAFT


def test_default_throttles_are_what_a_person_would_use():
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    assert (rates["anon"], rates["user"], rates["prompt_test"]) == ("60/min", "600/min", "10/min")


def test_work_that_costs_the_providers_nothing_is_not_refused_past_the_budget(owner, client):
    story = StoryFactory(owner=owner, duration_s=15)  # offline writer, artwork and voice: $0
    _spent(owner, "0.30")

    response = client.post(f"/api/v1/stories/{story.pk}/plan/")

    assert response.status_code == 202
