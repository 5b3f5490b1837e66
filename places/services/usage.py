"""What a place's writing cost: provider usage recorded against the owner (no story)."""

from __future__ import annotations

from decimal import Decimal

from billing.models import UsageRecord
from billing.pricing import usage_cost
from providers.base import Usage


def record_owner_usage(*, owner, usage: Usage | None) -> UsageRecord | None:
    """Write what one provider call consumed, priced from ProviderPrice; None for no usage."""
    if usage is None:
        return None
    return UsageRecord.objects.create(
        user=owner,
        provider=usage.provider,
        model=usage.model,
        unit=usage.unit,
        units=Decimal(str(usage.units)),
        cost_usd=usage_cost(usage),
    )
