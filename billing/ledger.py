"""The usage ledger (ReelUsage rows): a final render's reel and budget are reserved when it
starts, captured when it completes and released when it fails or is canceled, so a failed reel
costs the user nothing. Staff grants and plan changes are rows too. Rows are only ever added.

Reels left this month = the plan's reels + the sum of `reels` of the month's rows; budget left
= the plan's budget + the sum of `budget_usd` - what the month's provider calls cost."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from billing.models import Plan, ReelUsage, UsageRecord

Kind = ReelUsage.Kind


def month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of the current calendar month (UTC): quotas count from here."""
    now = now or timezone.now()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    start = month_start(now)
    return (start + datetime.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class MonthTotals:
    used: int  # reels reserved or made (not given back)
    granted_reels: int
    granted_budget_usd: Decimal
    budget_change_usd: Decimal  # holds (negative), grants and refunds (positive)


def month_totals(*, user, period: datetime.date | None = None) -> MonthTotals:
    period = period or month_start().date()
    rows = ReelUsage.objects.filter(user=user, period=period)
    sums = rows.aggregate(
        used=Sum("reels", filter=Q(kind__in=(Kind.FINAL, Kind.CAPTURE, Kind.RELEASE))),
        granted=Sum("reels", filter=Q(kind=Kind.GRANT)),
        granted_budget=Sum("budget_usd", filter=Q(kind=Kind.GRANT)),
        budget=Sum("budget_usd"),
    )
    return MonthTotals(
        used=-(sums["used"] or 0),
        granted_reels=sums["granted"] or 0,
        granted_budget_usd=sums["granted_budget"] or Decimal("0"),
        budget_change_usd=sums["budget"] or Decimal("0"),
    )


def open_reservation(story) -> ReelUsage | None:
    """The story's final-render reservation not yet captured or released, if any."""
    reservation = ReelUsage.objects.filter(story=story, kind=Kind.FINAL).order_by("-id").first()
    if reservation is None:
        return None
    settled = ReelUsage.objects.filter(
        story=story, kind__in=(Kind.CAPTURE, Kind.RELEASE), id__gt=reservation.pk
    ).exists()
    return None if settled else reservation


def reserve(*, story, estimate_usd: Decimal) -> ReelUsage:
    """Hold one reel and the render's estimated provider cost. The caller holds the owner's
    subscription lock and has checked the plan."""
    return ReelUsage.objects.create(
        user_id=story.owner_id,
        story=story,
        kind=Kind.FINAL,
        period=month_start().date(),
        reels=-1,
        budget_usd=-max(Decimal(estimate_usd), Decimal("0")),
        reason=f"final render of story {story.pk} started",
    )


def capture(*, story) -> ReelUsage | None:
    """The final render completed: the reel stays used; the budget hold ends (what the render
    really cost is in UsageRecord). None when nothing was reserved."""
    reservation = open_reservation(story)
    if reservation is None:
        return None
    return ReelUsage.objects.create(
        user_id=reservation.user_id,
        story=story,
        kind=Kind.CAPTURE,
        period=reservation.period,
        reels=0,
        budget_usd=-reservation.budget_usd,
        reason=f"final render of story {story.pk} completed",
    )


def release(*, story, reason: str) -> ReelUsage | None:
    """The final render failed or was canceled: the reel, the hold and what the story's
    provider calls cost since the reservation come back, in the month they were taken from.
    None when nothing was reserved."""
    reservation = open_reservation(story)
    if reservation is None:
        return None
    spent = UsageRecord.objects.filter(
        story=story, created_at__gte=reservation.created_at
    ).aggregate(total=Sum("cost_usd"))["total"] or Decimal("0")
    return ReelUsage.objects.create(
        user_id=reservation.user_id,
        story=story,
        kind=Kind.RELEASE,
        period=reservation.period,
        reels=1,
        budget_usd=-reservation.budget_usd + spent,
        reason=reason[:300],
    )


def grant(*, user, reels: int = 0, budget_usd: Decimal = Decimal("0"), reason: str, by=None):
    """Extra reels and provider budget for this month, given by staff with a reason."""
    if not reason.strip():
        raise ValueError("a grant needs a reason")
    return ReelUsage.objects.create(
        user=user,
        kind=Kind.GRANT,
        period=month_start().date(),
        reels=reels,
        budget_usd=Decimal(budget_usd),
        reason=reason[:300],
        created_by=by,
    )


def note_plan_change(*, user, old: Plan, new: Plan, reason: str) -> ReelUsage:
    return ReelUsage.objects.create(
        user=user,
        kind=Kind.PLAN,
        period=month_start().date(),
        reels=0,
        budget_usd=Decimal("0"),
        reason=f"{old.code} → {new.code}: {reason}"[:300],
    )
