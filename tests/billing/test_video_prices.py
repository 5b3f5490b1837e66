import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from billing.models import ProviderPrice
from billing.pricing import price_for, usage_cost
from providers.base import Usage

seed_video_prices = importlib.import_module("billing.migrations.0006_seed_video_prices")


@pytest.mark.django_db
def test_video_seconds_are_priced_from_the_table_and_an_operators_price_is_kept():
    ProviderPrice.objects.filter(provider__in=("veo", "sora")).delete()
    ProviderPrice.objects.create(
        provider="sora", model="sora-2", unit="seconds", usd_per_unit=Decimal("0.25")
    )

    seed_video_prices.seed(apps, None)

    assert price_for("veo", "veo-3.0-generate-001", "seconds", 8) == Decimal("3.20")
    assert price_for("sora", "sora-2", "seconds", 4) == Decimal("1.00")


@pytest.mark.django_db
def test_runway_credits_are_priced_at_a_cent_each():
    usage = Usage(
        provider="runway", model="gen4.5", units=5.0, unit="seconds", billed=(("credits", 25.0),)
    )

    assert usage_cost(usage) == Decimal("0.25")
