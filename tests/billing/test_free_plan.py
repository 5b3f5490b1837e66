"""[security] 1: every user has a plan; open registration gets the free plan, not unlimited."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from billing.models import Subscription
from jobs.models import Job
from stories.models import Story
from stories.states import Status
from tests.conftest import PASSWORD
from tests.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def free_settings(settings):
    settings.FREE_PLAN_REELS_PER_MONTH = 2
    settings.FREE_PLAN_MAX_DURATION_S = 30
    settings.FREE_PLAN_PREVIEW_WATERMARK = True
    settings.FREE_PLAN_MONTHLY_BUDGET_USD = Decimal("0.50")
    return settings


def test_a_new_account_gets_the_free_plan_from_settings(anon, free_settings):
    response = anon.post(
        "/api/v1/auth/register/", {"email": "new@example.com", "password": PASSWORD}
    )

    assert response.status_code == 201
    subscription = Subscription.objects.select_related("plan").get(user__email="new@example.com")
    plan = subscription.plan
    assert subscription.status == Subscription.Status.ACTIVE
    assert (plan.code, plan.monthly_price_usd) == ("free", Decimal("0"))
    assert (plan.reels_per_month, plan.max_duration_s, plan.preview_watermark) == (2, 30, True)
    assert plan.monthly_budget_usd == Decimal("0.50")


def test_a_user_without_a_subscription_is_held_to_the_free_plan_not_unlimited(free_settings):
    older = UserFactory()  # an account from before plans were given at sign-up
    story = StoryFactory(owner=older, duration_s=60)
    client = APIClient()
    client.force_authenticate(older)

    response = client.post(f"/api/v1/stories/{story.pk}/plan/")

    assert response.status_code == 402
    assert response.json()["error"]["details"] == {"max_duration_s": 30, "duration_s": 60}
    assert Subscription.objects.get(user=older).plan.code == "free"
    assert Story.objects.get(pk=story.pk).status == Status.DRAFT
    assert not Job.objects.exists()


def test_two_accounts_share_one_free_plan_row(anon, free_settings):
    for email in ("a@example.com", "b@example.com"):
        anon.post("/api/v1/auth/register/", {"email": email, "password": PASSWORD})

    plans = set(Subscription.objects.values_list("plan__code", flat=True))

    assert plans == {"free"}
