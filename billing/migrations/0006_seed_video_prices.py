"""Default per-second prices of the video providers (list prices, USD); operators change them
in admin. Runway is left out: it reports the credits each task used, and those are priced at
$0.01 a credit. Rows are only added where missing, so an operator's price is kept."""

from decimal import Decimal

from django.db import migrations

VIDEO_PRICES = [
    ("veo", "veo-3.0-generate-001", "seconds", "0.40", "Veo 3 with audio, per generated second"),
    ("sora", "sora-2", "seconds", "0.10", "Sora 2, per generated second"),
]


def seed(apps, schema_editor):
    ProviderPrice = apps.get_model("billing", "ProviderPrice")
    for provider, model, unit, usd, note in VIDEO_PRICES:
        ProviderPrice.objects.get_or_create(
            provider=provider,
            model=model,
            unit=unit,
            defaults={"usd_per_unit": Decimal(usd), "note": note},
        )


def unseed(apps, schema_editor):
    ProviderPrice = apps.get_model("billing", "ProviderPrice")
    for provider, model, unit, _usd, _note in VIDEO_PRICES:
        ProviderPrice.objects.filter(provider=provider, model=model, unit=unit).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_seed_provider_prices")]

    operations = [migrations.RunPython(seed, unseed)]
