"""Reads over usage and cost."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from billing.models import UsageRecord


def story_cost(story) -> Decimal:
    """What the story's provider calls have cost so far, in USD (0 before any call)."""
    total = UsageRecord.objects.filter(story=story).aggregate(total=Sum("cost_usd"))["total"]
    return total if total is not None else Decimal("0")
