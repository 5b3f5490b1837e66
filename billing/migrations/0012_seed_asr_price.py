"""Speech recognition's price: OpenAI bills whisper-1 at $0.006 a minute of audio sent. Added
only where missing, so an operator's price is kept."""

from decimal import Decimal

from django.db import migrations

PRICES = [
    ("openai", "whisper-1", "seconds", "0.0001", "$0.006 per minute of audio transcribed"),
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
    dependencies = [("billing", "0011_seed_free_plan")]

    operations = [migrations.RunPython(seed, unseed)]
