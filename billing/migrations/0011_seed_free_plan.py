"""The free plan as data, like the paid ones: a fresh deployment has it after `migrate`, so
admin shows it and operators edit it before the first user signs up. Its values come from the
FREE_PLAN_* settings at migrate time; a row already there (made on first use by an older
version, or edited in admin) is kept as it is."""

from decimal import Decimal

from django.conf import settings
from django.db import migrations

FREE_PLAN_CODE = "free"


def free_plan_fields() -> dict:
    return {
        "name": "Free",
        "monthly_price_usd": Decimal("0"),
        "reels_per_month": settings.FREE_PLAN_REELS_PER_MONTH,
        "max_duration_s": settings.FREE_PLAN_MAX_DURATION_S,
        "monthly_budget_usd": settings.FREE_PLAN_MONTHLY_BUDGET_USD,
        "preview_watermark": settings.FREE_PLAN_PREVIEW_WATERMARK,
        "final_watermark": False,
        "final_resolution": settings.FREE_PLAN_FINAL_RESOLUTION,
    }


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    Plan.objects.get_or_create(code=FREE_PLAN_CODE, defaults=free_plan_fields())


class Migration(migrations.Migration):
    dependencies = [("billing", "0010_seed_paid_plans")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
