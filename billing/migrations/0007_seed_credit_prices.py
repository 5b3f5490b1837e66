"""Prices that used to live in provider code: Runway bills credits ($0.01 each) and Pexels
videos are free. Providers now report units only; billing prices them. Rows are only added
where missing, so an operator's price is kept."""

from decimal import Decimal

from django.db import migrations

PRICES = [
    ("runway", "", "credits", "0.01", "$0.01 per Runway credit"),
    ("pexels", "", "videos", "0", "free API"),
]


def seed(apps, schema_editor):
    ProviderPrice = apps.get_model("billing", "ProviderPrice")
    for provider, model, unit, usd, note in PRICES:
        ProviderPrice.objects.get_or_create(
            provider=provider,
            model=model,
            unit=unit,
            defaults={"usd_per_unit": Decimal(usd), "note": note},
        )


def unseed(apps, schema_editor):
    ProviderPrice = apps.get_model("billing", "ProviderPrice")
    for provider, model, unit, _usd, _note in PRICES:
        ProviderPrice.objects.filter(provider=provider, model=model, unit=unit).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0006_seed_video_prices")]

    operations = [migrations.RunPython(seed, unseed)]
