"""[security] 1: every user has a plan; open registration gets the free plan, not unlimited.
The free plan is data seeded by a migration ([billing] 1)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from rest_framework.test import APIClient

from billing import plans
from billing.models import Plan, Subscription
from jobs.models import Job
from stories.models import Story
from stories.states import Status
from tests.conftest import PASSWORD
from tests.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


SEED = importlib.import_module("billing.migrations.0011_seed_free_plan")


@pytest.fixture
def free_settings(settings):
    """The free plan as an operator set it in admin (the migration seeded it already)."""
    Plan.objects.filter(code="free").update(
        reels_per_month=2,
        max_duration_s=30,
        preview_watermark=True,
        monthly_budget_usd=Decimal("0.50"),
    )
    return settings


def test_a_fresh_database_has_the_free_plan_from_settings_after_migrate(settings):
    # Nothing has asked for it yet: the row is the migration's.
    plan = Plan.objects.get(code="free")

    assert (plan.name, plan.monthly_price_usd, plan.is_active) == ("Free", Decimal("0"), True)
    assert (plan.reels_per_month, plan.max_duration_s) == (
        settings.FREE_PLAN_REELS_PER_MONTH,
        settings.FREE_PLAN_MAX_DURATION_S,
    )
    assert plan.monthly_budget_usd == settings.FREE_PLAN_MONTHLY_BUDGET_USD
    assert plan.preview_watermark == settings.FREE_PLAN_PREVIEW_WATERMARK
    assert plan.final_resolution == settings.FREE_PLAN_FINAL_RESOLUTION
    assert not plan.final_watermark


def test_the_seed_makes_a_missing_free_plan_and_keeps_an_edited_one(settings):
    Plan.objects.filter(code="free").delete()
    settings.FREE_PLAN_REELS_PER_MONTH = 7
    settings.FREE_PLAN_FINAL_RESOLUTION = "720p"

    SEED.seed(global_apps, None)
    made = Plan.objects.get(code="free")
    Plan.objects.filter(pk=made.pk).update(reels_per_month=4)  # an operator's edit
    SEED.seed(global_apps, None)  # migrate again (or a second database alias)

    assert Plan.objects.filter(code="free").count() == 1
    kept = Plan.objects.get(code="free")
    assert (kept.pk, kept.reels_per_month, kept.final_resolution) == (made.pk, 4, "720p")


def test_a_flushed_free_plan_is_made_again_from_settings_on_first_use(settings):
    Plan.objects.filter(code="free").delete()
    settings.FREE_PLAN_MAX_DURATION_S = 45

    assert plans.free_plan().max_duration_s == 45
    assert plans.free_plan().pk == Plan.objects.get(code="free").pk


def test_a_new_account_gets_the_free_plan_as_set_in_admin(anon, free_settings):
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
