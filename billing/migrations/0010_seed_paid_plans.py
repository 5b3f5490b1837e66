"""The paid plans as data: creator and business (free is made from the FREE_PLAN_* settings by
billing.services.free_plan). Their Stripe Prices come from STRIPE_PRICE_CREATOR and
STRIPE_PRICE_BUSINESS at seed time, or are set in admin later. Rows already there are kept."""

import os
from decimal import Decimal

from django.db import migrations

PLANS = [
    {
        "code": "creator",
        "name": "Creator",
        "monthly_price_usd": Decimal("12.00"),
        "reels_per_month": 30,
        "max_duration_s": 90,
        "monthly_budget_usd": Decimal("15.00"),
        "preview_watermark": False,
        "final_watermark": False,
        "final_resolution": "1080p",
        "price_env": "STRIPE_PRICE_CREATOR",
    },
    {
        "code": "business",
        "name": "Business",
        "monthly_price_usd": Decimal("49.00"),
        "reels_per_month": 150,
        "max_duration_s": 180,
        "monthly_budget_usd": Decimal("75.00"),
        "preview_watermark": False,
        "final_watermark": False,
        "final_resolution": "1080p",
        "price_env": "STRIPE_PRICE_BUSINESS",
    },
]


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for row in PLANS:
        fields = dict(row)
        fields["stripe_price_id"] = os.environ.get(fields.pop("price_env"), "")
        Plan.objects.get_or_create(code=fields.pop("code"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("billing", "0009_stripe_billing_and_ledger")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
