import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from billing import services as billing_services
from billing.models import Plan, ReelUsage, Subscription
from jobs.models import Job
from stories.models import Story
from stories.states import Status
from tests.factories import StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber():
    user = UserFactory()
    plan = Plan.objects.create(code="starter", name="Starter", reels_per_month=1, max_duration_s=20)
    Subscription.objects.create(user=user, plan=plan)
    return user


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_reel_longer_than_the_plan_allows_is_refused_before_any_work(subscriber):
    story = StoryFactory(owner=subscriber, duration_s=30)

    response = client_for(subscriber).post(
        f"/api/v1/stories/{story.pk}/plan/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "QUOTA_EXCEEDED"
    assert error["details"] == {"max_duration_s": 20, "duration_s": 30}
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert not Job.objects.exists()


def test_the_months_reels_used_up_refuses_the_final_render_in_korean(subscriber):
    counted = StoryFactory(owner=subscriber, duration_s=15, completed_at=timezone.now())
    ReelUsage.objects.create(
        user=subscriber, story=counted, period=billing_services.month_start().date()
    )
    story = StoryFactory(owner=subscriber, duration_s=15)
    Story.objects.filter(pk=story.pk).update(status=Status.PREVIEW_READY)

    response = client_for(subscriber).post(
        f"/api/v1/stories/{story.pk}/render_final/", HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 402
    error = response.json()["error"]
    assert error["details"] == {"reels_per_month": 1, "used": 1}
    assert "릴" in error["message"]
    assert Story.objects.get(pk=story.pk).status == Status.PREVIEW_READY


def test_a_lapsed_subscription_and_no_subscription_are_held_to_the_free_plan(subscriber):
    Plan.objects.filter(code="free").update(max_duration_s=10)
    # Past due with no grace left: the free plan applies ([billing] 3).
    Subscription.objects.filter(user=subscriber).update(status=Subscription.Status.PAST_DUE)
    lapsed = StoryFactory(owner=subscriber, duration_s=15)
    older_user = UserFactory()  # signed up before every user had a plan
    long = StoryFactory(owner=older_user, duration_s=180)

    refused = client_for(subscriber).post(f"/api/v1/stories/{lapsed.pk}/plan/")
    free = client_for(older_user).post(f"/api/v1/stories/{long.pk}/plan/")

    assert refused.status_code == 402
    assert refused.json()["error"]["details"] == {"max_duration_s": 10, "duration_s": 15}
    assert free.status_code == 402
    assert free.json()["error"]["details"] == {"max_duration_s": 10, "duration_s": 180}
    assert Subscription.objects.get(user=older_user).plan.code == "free"
    assert Story.objects.get(pk=long.pk).status == Status.DRAFT


def test_no_plan_limits_staff_yet_their_final_is_still_counted(subscriber):
    # The same subscription: staff (operators) are refused neither a length nor a reel.
    counted = StoryFactory(owner=subscriber, duration_s=15, completed_at=timezone.now())
    ReelUsage.objects.create(
        user=subscriber, story=counted, period=billing_services.month_start().date()
    )
    long_story = StoryFactory(owner=subscriber, duration_s=120)
    with pytest.raises(billing_services.QuotaExceeded):
        billing_services.ensure_quota(user=subscriber, step="final", story=long_story)

    subscriber.is_staff = True
    subscriber.save(update_fields=["is_staff"])

    billing_services.ensure_quota(user=subscriber, step="final", story=long_story)
    with transaction.atomic():
        billing_services.count_final_reel(story=long_story)
    assert billing_services.reels_this_month(user=subscriber) == 2
