"""The local Stripe (tests/billing/stripe_server.py) for the billing tests: one server process
for the module, emptied before each test, with the creator and business plans selling
through Prices made on it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from billing.models import Plan
from tests.billing.stripe_server import API_KEY, WEBHOOK_SECRET, LocalStripe


@pytest.fixture(scope="session")
def local_stripe_server():
    server = LocalStripe().start()
    yield server
    server.stop()


@pytest.fixture
def paid_plans(db):
    """The plans the data migration seeds: a transactional test before this one flushed the
    tables, so seed them again the migration's own way (rows already there are kept)."""
    migration = importlib.import_module("billing.migrations.0010_seed_paid_plans")
    migration.seed(apps, None)


@pytest.fixture
def local_stripe(local_stripe_server, settings, paid_plans):
    local_stripe_server.flush()
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_API_BASE = local_stripe_server.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.BILLING_RETURN_ORIGIN = "https://reels.example.com"
    client = local_stripe_server.client()
    product = client.v1.products.create(params={"name": "reelmaker"})
    for code, cents in (("creator", 1200), ("business", 4900)):
        price = client.v1.prices.create(
            params={
                "product": product.id,
                "unit_amount": cents,
                "currency": "usd",
                "recurring": {"interval": "month"},
            }
        )
        Plan.objects.filter(code=code).update(stripe_price_id=price.id)
    return local_stripe_server
