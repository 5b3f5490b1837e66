"""Default prices (list prices in USD, mid 2025); operators change them in admin.

The README's provider table names each entry. Rows are only added where missing, so a
price an operator already changed is kept.
"""

from decimal import Decimal

from django.db import migrations

DEFAULT_PRICES = [
    # (provider, model, unit, usd_per_unit, note)
    ("openai", "gpt-4o-mini", "input_tokens", "0.00000015", "$0.15 per 1M input tokens"),
    ("openai", "gpt-4o-mini", "output_tokens", "0.0000006", "$0.60 per 1M output tokens"),
    ("openai", "gpt-4o", "input_tokens", "0.0000025", "$2.50 per 1M input tokens"),
    ("openai", "gpt-4o", "output_tokens", "0.00001", "$10 per 1M output tokens"),
    ("openai", "gpt-4.1-mini", "input_tokens", "0.0000004", "$0.40 per 1M input tokens"),
    ("openai", "gpt-4.1-mini", "output_tokens", "0.0000016", "$1.60 per 1M output tokens"),
    ("openai", "gpt-image-1", "images", "0.063", "one 1024x1536 image, medium quality"),
    ("elevenlabs", "eleven_multilingual_v2", "characters", "0.0001", "$0.10 per 1K characters"),
    ("elevenlabs", "eleven_v3", "characters", "0.0001", "$0.10 per 1K characters"),
    ("elevenlabs", "eleven_flash_v2_5", "characters", "0.00005", "$0.05 per 1K characters"),
    ("elevenlabs", "eleven_turbo_v2_5", "characters", "0.00005", "$0.05 per 1K characters"),
    ("pexels", "", "images", "0", "free API"),
    ("unsplash", "", "images", "0", "free API"),
]


def seed(apps, schema_editor):
    ProviderPrice = apps.get_model("billing", "ProviderPrice")
    for provider, model, unit, usd, note in DEFAULT_PRICES:
        ProviderPrice.objects.get_or_create(
            provider=provider,
            model=model,
            unit=unit,
            defaults={"usd_per_unit": Decimal(usd), "note": note},
        )


def unseed(apps, schema_editor):
    ProviderPrice = apps.get_model("billing", "ProviderPrice")
    for provider, model, unit, _usd, _note in DEFAULT_PRICES:
        ProviderPrice.objects.filter(provider=provider, model=model, unit=unit).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_providerprice")]

    operations = [migrations.RunPython(seed, unseed)]
