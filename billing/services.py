"""Usage and cost: one UsageRecord per provider call."""

from __future__ import annotations

from decimal import Decimal

from billing.models import UsageRecord
from scenes.providers_base import Usage


def record_usage(*, usage: Usage | None, story, job=None) -> UsageRecord | None:
    """Write what a provider call consumed against the story's owner. None when nothing was used."""
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
        cost_usd=usage.cost_usd,
    )
