"""What the user sees of their plan this month: reels made and left, minutes, provider cost
and budget left, the period's end and the subscription's state."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from billing import ledger
from billing.models import Plan, ReelUsage, UsageRecord
from billing.plans import effective_plan, free_plan
from billing.services import subscription_for


def plans_for_sale():
    """Every active plan, cheapest first (the free one made if missing)."""
    free_plan()
    return Plan.objects.filter(is_active=True).order_by("monthly_price_usd", "code")


def usage_summary(*, user) -> dict:
    subscription = subscription_for(user=user)
    plan = effective_plan(subscription)
    start = ledger.month_start()
    totals = ledger.month_totals(user=user, period=start.date())
    spent = UsageRecord.objects.filter(user=user, created_at__gte=start).aggregate(
        total=Sum("cost_usd")
    )["total"] or Decimal("0")
    made = ReelUsage.objects.filter(user=user, kind=ReelUsage.Kind.CAPTURE, period=start.date())
    seconds = made.aggregate(total=Sum("story__duration_s"))["total"] or 0
    allowed = plan.reels_per_month + totals.granted_reels
    budget = plan.monthly_budget_usd + totals.budget_change_usd
    return {
        "plan": plan,
        "status": subscription.status,
        "cancel_at_period_end": subscription.cancel_at_period_end,
        "grace_until": subscription.grace_until,
        "paid_until": subscription.current_period_end,
        "period_start": start,
        "period_end": ledger.next_month_start(),
        "reels_allowed": allowed,
        "reels_granted": totals.granted_reels,
        "reels_used": totals.used,
        "reels_left": max(allowed - totals.used, 0),
        "reels_made": made.count(),
        "minutes_made": round(seconds / 60, 1),
        "provider_cost_usd": spent.quantize(Decimal("0.0001")),
        "budget_usd": (plan.monthly_budget_usd + totals.granted_budget_usd).quantize(
            Decimal("0.01")
        ),
        "budget_left_usd": max(budget - spent, Decimal("0")).quantize(Decimal("0.01")),
        "has_billing_account": bool(subscription.stripe_customer_id),
    }
