"""Usage and cost (one UsageRecord per provider call) and plan quotas.

Every user has a plan: `subscription_for` gives a user found without a subscription the
`free` plan (seeded by migration 0011 from the FREE_PLAN_* settings). Quotas are checked before
work starts: the plan's longest reel, its reels a month (counted from the ReelUsage ledger,
written under the subscription's row lock when a final render starts) and its monthly
provider budget (the cost estimate against this month's UsageRecord cost)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from billing import ledger
from billing.estimates import cost_estimate
from billing.ledger import month_start
from billing.models import Plan, ReelUsage, Subscription, UsageRecord
from billing.plans import FREE_PLAN_CODE, effective_plan, free_plan, settle_lapsed
from billing.pricing import usage_cost
from providers.base import Usage
from reelmaker.errors import InvalidRequest, QuotaExceeded
from render.profiles import DEFAULT_RESOLUTION
from stories.states import Profile

__all__ = ["FREE_PLAN_CODE", "free_plan", "month_start"]

USD_PLACES = Decimal("0.01")


def record_usage(
    *, usage: Usage | None, story=None, job=None, user_id: int | None = None
) -> UsageRecord | None:
    """Write what a provider call consumed against the story's owner (or `user_id`, for work
    without a story), priced from the ProviderPrice table. None when nothing was used."""
    owner_id = story.owner_id if story is not None else user_id
    if usage is None or owner_id is None:
        return None
    return UsageRecord.objects.create(
        user_id=owner_id,
        story=story,
        job=job,
        provider=usage.provider,
        model=usage.model,
        unit=usage.unit,
        units=Decimal(str(usage.units)),
        cost_usd=usage_cost(usage),
    )


# ---------------------------------------------------------------- every user has a plan


def subscription_for(*, user) -> Subscription:
    """The user's subscription; a user without one is put on the free plan (new accounts at
    sign-up, older ones on their first check). Safe to repeat and to race."""
    subscription = Subscription.objects.select_related("plan", "user").filter(user=user).first()
    if subscription is not None:
        return settle_lapsed(subscription)
    subscription, _created = Subscription.objects.select_related("plan", "user").get_or_create(
        user=user, defaults={"plan": free_plan()}
    )
    return subscription


def _active_plan(*, user) -> Plan:
    return _plan_of(subscription_for(user=user))


def _plan_of(subscription: Subscription) -> Plan:
    """The plan the subscription gives now: the free plan once a paid one lapsed."""
    return effective_plan(subscription)


# ---------------------------------------------------------------- checks before work starts


def ensure_quota(*, user, step: str, story=None, estimate_usd: Decimal | None = None) -> None:
    """Raises QuotaExceeded (402) when the user's plan does not allow `step` ("create", "plan",
    "preview", "final", "regenerate", "prompt_test") for `story`: a lapsed subscription, a
    reel longer than the plan's, the month's reels used up (final) or a cost estimate past
    what is left of the month's provider budget. Reads only; the final render's slot is taken
    by `count_final_reel`."""
    plan = _active_plan(user=user)
    if story is not None and story.duration_s > plan.max_duration_s:
        raise QuotaExceeded(
            _("Your plan makes reels up to %(max)d s; this one asks for %(asked)d s.")
            % {"max": plan.max_duration_s, "asked": story.duration_s},
            details={"max_duration_s": plan.max_duration_s, "duration_s": story.duration_s},
        )
    if step == Profile.FINAL and not _counted_this_month(story):
        _ensure_reel_left(user=user, plan=plan)
    if estimate_usd is not None:
        ensure_budget(user=user, plan=plan, estimate_usd=estimate_usd)


def ensure_budget(*, user, estimate_usd: Decimal, plan: Plan | None = None) -> None:
    """Raises QuotaExceeded (402) naming the estimate and what is left when `estimate_usd` is
    more than the plan's monthly provider budget less this month's provider cost."""
    plan = plan or _active_plan(user=user)
    left = budget_left(user=user, plan=plan)
    estimate = Decimal(estimate_usd)
    # Work that costs the providers nothing (an offline step, a render) is never refused here.
    if estimate > 0 and estimate > left:
        shown_estimate = estimate.quantize(USD_PLACES)
        shown_left = max(left, Decimal("0")).quantize(USD_PLACES)
        raise QuotaExceeded(
            _(
                "This would cost about $%(estimate)s; $%(left)s of your plan's monthly "
                "provider budget is left."
            )
            % {"estimate": shown_estimate, "left": shown_left},
            details={"estimate_usd": _usd(estimate), "left_usd": _usd(max(left, Decimal("0")))},
        )


def _usd(amount: Decimal) -> str:
    """An amount as plain decimal text without trailing zeros ("0.063", "0.01", "2")."""
    return format(amount.normalize(), "f")


def budget_left(*, user, plan: Plan | None = None) -> Decimal:
    """The plan's monthly provider budget, with the ledger's holds, grants and refunds, less
    what the user's provider calls cost this month (negative once overspent)."""
    plan = plan or _active_plan(user=user)
    spent = UsageRecord.objects.filter(user=user, created_at__gte=month_start()).aggregate(
        total=Sum("cost_usd")
    )["total"] or Decimal("0")
    return plan.monthly_budget_usd + ledger.month_totals(user=user).budget_change_usd - spent


def ensure_reel_length(*, story, duration_ms: int) -> None:
    """Raises QuotaExceeded naming both numbers when the reel as voiced (`duration_ms`) runs
    past the owner's plan's longest reel (and REEL_DURATION_GRACE_S)."""
    plan = _active_plan(user=story.owner)
    limit_ms = (plan.max_duration_s + settings.REEL_DURATION_GRACE_S) * 1000
    if duration_ms > limit_ms:
        seconds = round(duration_ms / 1000, 1)
        raise QuotaExceeded(
            _("The narration runs %(asked)s s; your plan makes reels up to %(max)d s.")
            % {"asked": seconds, "max": plan.max_duration_s},
            details={"max_duration_s": plan.max_duration_s, "duration_s": seconds},
        )


def render_options(*, user, profile: str, options: dict) -> dict:
    """The options a render runs with (render.profiles.with_options): the user's, except that
    a plan with `preview_watermark` puts the watermark on every preview, one with
    `final_watermark` the brand mark on every final, and a final is made at the plan's
    `final_resolution` (`resolution` is set only below 1080p, so a 1080p final's options, and
    the clips it can reuse, stay as they were)."""
    options = {key: value for key, value in options.items() if value is not None}
    options.pop("resolution", None)  # the plan's to choose, never the caller's
    plan = _active_plan(user=user)
    if profile == Profile.PREVIEW and plan.preview_watermark:
        options["watermark"] = True
    if profile == Profile.FINAL and plan.final_watermark:
        options["watermark"] = True
    if profile == Profile.FINAL and plan.final_resolution != DEFAULT_RESOLUTION:
        options["resolution"] = plan.final_resolution
    return options


def max_narration_chars(*, user) -> int:
    """The most narration one story may hold: the plan's longest reel at a generous speaking
    rate (NARRATION_CHARS_PER_S)."""
    plan = _active_plan(user=user)
    return plan.max_duration_s * settings.NARRATION_CHARS_PER_S


def ensure_narration_fits(*, user, narration_chars: int) -> None:
    """Raises InvalidRequest (400) naming the cap when a story's narration would be longer
    than `max_narration_chars`."""
    cap = max_narration_chars(user=user)
    if narration_chars > cap:
        raise InvalidRequest(
            _(
                "The story's narration would be %(chars)d characters; your plan allows "
                "%(cap)d (its longest reel spoken)."
            )
            % {"chars": narration_chars, "cap": cap},
            details={"max_narration_chars": cap, "narration_chars": narration_chars},
        )


# ---------------------------------------------------------------- the monthly reels ledger


def reels_this_month(*, user) -> int:
    """Reels used this calendar month (UTC) from the ledger: final renders reserved or made;
    one that failed or was canceled was given back."""
    return ledger.month_totals(user=user).used


def reels_allowed(*, user, plan: Plan | None = None) -> int:
    """The plan's reels this month plus those staff granted."""
    plan = plan or _active_plan(user=user)
    return plan.reels_per_month + ledger.month_totals(user=user).granted_reels


def _counted_this_month(story) -> bool:
    return story is not None and ledger.open_reservation(story) is not None


def _ensure_reel_left(*, user, plan: Plan) -> None:
    used = reels_this_month(user=user)
    if used >= reels_allowed(user=user, plan=plan):
        raise QuotaExceeded(
            _("Your plan's %(limit)d reels this month are used up.")
            % {"limit": plan.reels_per_month},
            details={"reels_per_month": plan.reels_per_month, "used": used},
        )


def count_final_reel(*, story) -> ReelUsage:
    """Reserve one of the month's reels and the render's estimated provider cost for the
    story's final render (billing.ledger): locks the owner's subscription row (so parallel
    renders count one at a time), checks the plan and writes the FINAL ledger row. A story
    still holding a reservation reuses it. The reservation is captured when the render
    completes and released when it fails or is canceled (billing.receivers). Call inside the
    transaction that moves the story to FINALIZING. Raises QuotaExceeded."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("count_final_reel must run inside the render's transaction")
    subscription_for(user=story.owner)  # a user without one gets the free plan first
    # No join in the locking query (see billing.plans.change_plan).
    subscription = Subscription.objects.select_for_update().get(user=story.owner)
    existing = ledger.open_reservation(story)
    if existing is not None:
        return existing
    _ensure_reel_left(user=story.owner, plan=_plan_of(subscription))
    return ledger.reserve(story=story, estimate_usd=cost_estimate(story=story)["total_usd"])
