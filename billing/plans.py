"""Which plan a subscription gives right now, and changes of plan.

A paid plan applies while Stripe says the subscription is active or trialing, during the grace
period after a failed payment (BILLING_GRACE_DAYS), and after a cancel until the period paid
for ends. Otherwise the free plan applies: a canceled subscription whose period is over is
moved to it for good (a PLAN ledger row notes the change).

Staff are the operators: no plan limits them (`operator_plan`), whatever their subscription
says. `manage.py makereel`'s own user is staff, so reels made on the machine itself are never
refused for a quota; their usage is still recorded."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing import ledger
from billing.models import Plan, Subscription
from render.profiles import DEFAULT_RESOLUTION
from stories.models import MAX_DURATION_S

FREE_PLAN_CODE = "free"
OPERATOR_PLAN_CODE = "operator"
Status = Subscription.Status


def free_plan() -> Plan:
    """The `free` plan row. Migration 0011 seeds it; should it be gone (a flushed database),
    it is made again from the FREE_PLAN_* settings. Safe to repeat and to race: the code is
    unique."""
    plan, _created = Plan.objects.get_or_create(
        code=FREE_PLAN_CODE,
        defaults={
            "name": "Free",
            "monthly_price_usd": Decimal("0"),
            "reels_per_month": settings.FREE_PLAN_REELS_PER_MONTH,
            "max_duration_s": settings.FREE_PLAN_MAX_DURATION_S,
            "monthly_budget_usd": settings.FREE_PLAN_MONTHLY_BUDGET_USD,
            "preview_watermark": settings.FREE_PLAN_PREVIEW_WATERMARK,
            "final_resolution": settings.FREE_PLAN_FINAL_RESOLUTION,
        },
    )
    return plan


def operator_plan() -> Plan:
    """What staff get: every reel length the product makes, reels and provider budget without
    a practical end, no watermark on finals (an unsaved Plan: it is never offered or sold)."""
    return Plan(
        code=OPERATOR_PLAN_CODE,
        name="Operator",
        monthly_price_usd=Decimal("0"),
        reels_per_month=1_000_000,
        max_duration_s=MAX_DURATION_S,
        monthly_budget_usd=Decimal("1000000"),
        preview_watermark=True,
        final_watermark=False,
        final_resolution=DEFAULT_RESOLUTION,
        is_active=False,
    )


def paid_until_passed(subscription: Subscription) -> bool:
    end = subscription.current_period_end
    return end is None or end <= timezone.now()


def effective_plan(subscription: Subscription) -> Plan:
    """The plan the subscription gives now (see the module's note)."""
    if subscription.user.is_staff:
        return operator_plan()
    status = subscription.status
    if status in (Status.ACTIVE, Status.TRIALING):
        return subscription.plan
    grace = subscription.grace_until
    if status == Status.PAST_DUE and grace is not None and grace > timezone.now():
        return subscription.plan
    if status == Status.CANCELED and not paid_until_passed(subscription):
        return subscription.plan
    return free_plan()


def settle_lapsed(subscription: Subscription) -> Subscription:
    """A canceled subscription whose paid period is over goes to the free plan for good."""
    if subscription.status != Status.CANCELED or not paid_until_passed(subscription):
        return subscription
    return change_plan(
        subscription=subscription,
        plan=free_plan(),
        status=Status.ACTIVE,
        reason="subscription ended",
        stripe_subscription_id="",
        current_period_end=None,
        cancel_at_period_end=False,
        grace_until=None,
    )


@transaction.atomic
def change_plan(*, subscription: Subscription, plan: Plan, reason: str, **fields) -> Subscription:
    """Save the subscription on `plan` with `fields` (status, Stripe ids, period end, ...);
    a PLAN ledger row notes a change of plan."""
    # No join in the locking query: PostgreSQL re-checks a joined row after a concurrent
    # plan change against the old plan and finds nothing (two webhooks at once).
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    old = locked.plan
    locked.plan = plan
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    if old.pk != plan.pk:
        ledger.note_plan_change(user=locked.user, old=old, new=plan, reason=reason)
    return locked
