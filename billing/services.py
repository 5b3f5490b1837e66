"""Usage and cost (one UsageRecord per provider call) and plan quotas."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Subscription, UsageRecord
from billing.pricing import usage_cost
from providers.base import Usage
from reelmaker.errors import QuotaExceeded
from stories.states import Profile


def record_usage(*, usage: Usage | None, story, job=None) -> UsageRecord | None:
    """Write what a provider call consumed against the story's owner, priced from the
    ProviderPrice table. None when nothing was used."""
    if usage is None:
        return None
    return UsageRecord.objects.create(
        user_id=story.owner_id,
        story=story,
        job=job,
        provider=usage.provider,
        model=usage.model,
        unit=usage.unit,
        units=Decimal(str(usage.units)),
        cost_usd=usage_cost(usage),
    )


def ensure_quota(*, user, step: str, story=None) -> None:
    """Raises QuotaExceeded (402) when the user's plan does not allow `step` ("create", "plan",
    "preview", "final") for `story`. A user without a subscription is not limited: the
    offline, no-account use stays free; a plan is what an operator sells."""
    subscription = Subscription.objects.select_related("plan").filter(user=user).first()
    if subscription is None:
        return
    if subscription.status not in (Subscription.Status.ACTIVE, Subscription.Status.TRIALING):
        raise QuotaExceeded(
            _("Your subscription is %(status)s: renew it to make reels.")
            % {"status": subscription.get_status_display()},
            details={"subscription_status": subscription.status},
        )
    plan = subscription.plan
    if story is not None and story.duration_s > plan.max_duration_s:
        raise QuotaExceeded(
            _("Your plan makes reels up to %(max)d s; this one asks for %(asked)d s.")
            % {"max": plan.max_duration_s, "asked": story.duration_s},
            details={"max_duration_s": plan.max_duration_s, "duration_s": story.duration_s},
        )
    if step == Profile.FINAL:
        used = reels_this_month(user=user)
        if used >= plan.reels_per_month:
            raise QuotaExceeded(
                _("Your plan's %(limit)d reels this month are used up.")
                % {"limit": plan.reels_per_month},
                details={"reels_per_month": plan.reels_per_month, "used": used},
            )


def reels_this_month(*, user) -> int:
    """Final renders this calendar month (UTC): completed ones and the ones rendering now."""
    from stories.models import Story
    from stories.states import Status

    month_start = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (
        Story.objects.filter(owner=user)
        .filter(Q(completed_at__gte=month_start) | Q(status=Status.FINALIZING))
        .count()
    )
