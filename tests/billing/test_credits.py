"""[billing] 4: a final render reserves its reel and budget when it starts, captures them when
it completes and releases them when it fails or is canceled, in an append-only ledger that
admin shows with a running balance; staff grant extra reels or budget with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from rest_framework.test import APIClient

from billing import ledger
from billing import services as billing_services
from billing.models import Plan, ProviderPrice, ReelUsage, Subscription
from jobs import pipeline
from jobs.models import Job
from reelmaker.celery import app as celery_app
from scenes import services as scene_services
from stories import services as story_services
from stories.models import Story
from stories.states import Status
from tests.billing.test_stripe_checkout import _deliver, _subscribe
from tests.factories import StoryFactory, UserFactory

BRIEF = {"keyword": "harbour sunrise", "language": "en", "duration_s": 5, "aspect": "9:16"}


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def _on_plan(user, *, reels: int, budget: str = "5.00") -> Plan:
    plan = Plan.objects.create(
        code=f"p{user.pk}", name="Plan", reels_per_month=reels, monthly_budget_usd=Decimal(budget)
    )
    Subscription.objects.update_or_create(user=user, defaults={"plan": plan})
    return plan


def _rows(user) -> list[tuple[str, int]]:
    return list(ReelUsage.objects.filter(user=user).order_by("id").values_list("kind", "reels"))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_failed_final_costs_nothing_through_the_pipeline(api, user, eager_celery, monkeypatch):
    _on_plan(user, reels=1, budget="5.00")
    # The final's own provider calls cost something, so giving them back shows.
    ProviderPrice.objects.create(provider="artwork", unit="images", usd_per_unit=Decimal("0.04"))
    ProviderPrice.objects.create(
        provider="offline", unit="characters", usd_per_unit=Decimal("0.0001")
    )
    budget_before = billing_services.budget_left(user=user)

    def disk_full(**kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(scene_services, "assemble_story", disk_full)
    response = api.post("/api/v1/stories/", {**BRIEF, "autopilot": "final"}, format="json")

    assert response.status_code == 201, response.json()
    story = Story.objects.get(pk=response.json()["id"])
    assert story.status == Status.FAILED
    assert Job.objects.filter(story=story, kind=Job.Kind.ASSEMBLE, status="failed").exists()
    assert _rows(user) == [("final", -1), ("release", 1)]
    release = ReelUsage.objects.get(user=user, kind="release")
    spent = story.usage.aggregate(total=Sum("cost_usd"))
    assert spent["total"] > 0  # the render's assets were paid for ...
    assert billing_services.budget_left(user=user) >= budget_before  # ... and given back
    assert release.budget_usd > 0
    usage = api.get("/api/v1/billing/usage/").json()
    assert (usage["reels_used"], usage["reels_left"], usage["reels_made"]) == (0, 1, 0)
    assert Decimal(usage["budget_left_usd"]) >= budget_before.quantize(Decimal("0.01"))

    monkeypatch.undo()  # the disk has room again: the retry reserves anew and completes
    final = Job.objects.get(story=story, kind=Job.Kind.ASSEMBLE, profile="final")
    retried = api.post(f"/api/v1/jobs/{final.pk}/retry/")
    assert retried.status_code in (200, 202), retried.json()
    assert Story.objects.get(pk=story.pk).status == Status.COMPLETED
    assert _rows(user) == [("final", -1), ("release", 1), ("final", -1), ("capture", 0)]
    assert billing_services.reels_this_month(user=user) == 1


@pytest.mark.django_db
def test_staff_grant_extra_reels_and_budget_with_a_reason_in_admin():
    user = UserFactory()
    _on_plan(user, reels=2, budget="1.00")
    subscription = Subscription.objects.get(user=user)
    staff = UserFactory(is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(staff)
    url = "/admin/billing/subscription/"
    base = {"action": "grant_extra", "_selected_action": [subscription.pk], "apply": "1"}

    no_reason = admin.post(url, {**base, "reels": "3", "budget_usd": "0", "reason": ""})
    granted = admin.post(
        url, {**base, "reels": "3", "budget_usd": "2.50", "reason": "launch promotion"}
    )

    assert no_reason.status_code == 200  # the form again, nothing granted
    assert granted.status_code == 302
    row = ReelUsage.objects.get(user=user)
    assert (row.kind, row.reels, row.budget_usd, row.reason) == (
        "grant",
        3,
        Decimal("2.50"),
        "launch promotion",
    )
    assert row.created_by == staff
    assert billing_services.reels_allowed(user=user) == 5
    assert billing_services.budget_left(user=user) == Decimal("3.50")


@pytest.mark.django_db
def test_the_ledger_in_admin_shows_each_users_running_balance_and_cannot_be_edited():
    user, other = UserFactory(), UserFactory()
    _on_plan(user, reels=3)
    done, failed = StoryFactory(owner=user), StoryFactory(owner=user)
    ledger.reserve(story=done, estimate_usd=Decimal("0.20"))
    ledger.reserve(story=failed, estimate_usd=Decimal("0.10"))
    ledger.capture(story=done)
    ledger.release(story=failed, reason="failed")
    ledger.grant(user=user, reels=2, budget_usd=Decimal("1"), reason="support ticket 12")
    ledger.grant(user=other, reels=9, reason="someone else")
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = admin.get(f"/admin/billing/reelusage/?user__id__exact={user.pk}")
    edit = admin.get(f"/admin/billing/reelusage/{ReelUsage.objects.first().pk}/delete/")

    assert page.status_code == 200
    rows = sorted(page.context["cl"].result_list, key=lambda row: row.pk)
    assert [(row.kind, row.running_reels) for row in rows] == [
        ("final", -1),
        ("final", -2),
        ("capture", -2),
        ("release", -1),
        ("grant", 1),
    ]
    assert [row.running_budget for row in rows] == [
        Decimal("-0.2"),
        Decimal("-0.3"),
        Decimal("-0.1"),
        Decimal("0"),
        Decimal("1"),
    ]
    assert edit.status_code == 403


@pytest.mark.slow
def test_walk_one_user_from_free_to_creator_and_back(local_stripe, user, capsys):
    """The closing note of issue 15: the ledger rows one user's month writes."""
    client = APIClient()
    client.force_authenticate(user)
    ProviderPrice.objects.create(provider="artwork", unit="images", usd_per_unit=Decimal("0.04"))
    made = StoryFactory(owner=user, duration_s=15)
    Story.objects.filter(pk=made.pk).update(status=Status.PREVIEW_READY)
    pipeline.render_final(story_id=made.pk, inline=True)  # on free
    story_services.transition_story(story_id=made.pk, to=Status.COMPLETED, reason="rendered")

    subscription = _subscribe(local_stripe, user, plan="creator")
    broken = StoryFactory(owner=user, duration_s=80)
    Story.objects.filter(pk=broken.pk).update(status=Status.PREVIEW_READY)
    pipeline.render_final(story_id=broken.pk, inline=True)  # on creator: 80 s is allowed
    job = Job.objects.filter(story=broken, kind=Job.Kind.ASSEMBLE).first()
    pipeline.fail_job(job_id=job.pk, error=OSError("No space left on device"))

    stripe = local_stripe.client()
    stripe.v1.subscriptions.update(
        subscription.stripe_subscription_id, params={"cancel_at_period_end": True}
    )
    _deliver(local_stripe)
    local_stripe.end_period(subscription.stripe_subscription_id)
    _deliver(local_stripe)

    rows = ReelUsage.objects.filter(user=user).order_by("id")
    with capsys.disabled():
        print("\nledger of", user.email)
        for row in rows:
            print(f"  {row.kind:8} reels {row.reels:+d} budget {row.budget_usd:+.4f}  {row.reason}")
        print("  usage now:", client.get("/api/v1/billing/usage/").json())
    assert [(row.kind, row.story_id) for row in rows] == [
        ("final", made.pk),
        ("capture", made.pk),
        ("plan", None),
        ("final", broken.pk),
        ("release", broken.pk),
        ("plan", None),
    ]
    assert Subscription.objects.get(user=user).plan.code == "free"
    assert billing_services.reels_this_month(user=user) == 1
