"""Prices per unit of provider work, read from the ProviderPrice table operators edit.
Providers report units (providers.base.Usage); only billing turns them into money."""

from __future__ import annotations

import logging
from decimal import Decimal

from billing.models import ProviderPrice
from providers.base import Usage

log = logging.getLogger(__name__)

COST_PLACES = Decimal("0.000001")  # UsageRecord.cost_usd keeps 6 decimal places


def unit_price(*, provider: str, model: str, unit: str) -> Decimal | None:
    """USD per unit: the model's own row, else the provider's row with an empty model."""
    rows = ProviderPrice.objects.filter(provider=provider, unit=unit, model__in=[model, ""])
    prices = dict(rows.values_list("model", "usd_per_unit"))
    if model in prices:
        return prices[model]
    return prices.get("")


def price_for(provider: str, model: str, unit: str, units: float | int | Decimal) -> Decimal:
    """Cost in USD of `units` of `unit`; 0 (and a warning in the log) when no price is set."""
    per_unit = unit_price(provider=provider, model=model, unit=unit)
    if per_unit is None:
        log.warning("no ProviderPrice for %s %s %s; counted as free", provider, model, unit)
        return Decimal("0")
    return (per_unit * Decimal(str(units))).quantize(COST_PLACES)


def usage_cost(usage: Usage) -> Decimal:
    """Cost in USD of what one provider call consumed: each billed unit at its price."""
    billed = usage.billed or ((usage.unit, usage.units),)
    return sum(
        (price_for(usage.provider, usage.model, unit, units) for unit, units in billed),
        Decimal("0"),
    )
