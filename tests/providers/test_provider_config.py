from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from billing.models import ProviderPrice, UsageRecord
from billing.pricing import price_for
from billing.selectors import story_cost
from providers.base import PermanentProviderError
from providers.models import AIProviderConfig
from providers.registry import get_voice_provider, get_writer
from providers.voice.elevenlabs import ElevenLabsVoice
from providers.voice.offline import OfflineVoiceProvider
from providers.writer.base import Brief
from providers.writer.openai_writer import OpenAIWriter
from providers.writer.template import TemplateWriter
from tests.factories import StoryFactory, UserFactory

CHANGELIST = "/admin/providers/aiproviderconfig/"


@pytest.mark.django_db
def test_offline_providers_are_the_default(settings):
    settings.REELMAKER_WRITER = "template"
    settings.REELMAKER_VOICE = "offline"

    assert isinstance(get_writer(), TemplateWriter)
    assert isinstance(get_voice_provider(), OfflineVoiceProvider)


@pytest.mark.django_db
def test_enabled_admin_rows_override_settings_by_priority(fake_openai, monkeypatch):
    monkeypatch.setenv("REELMAKER_KEY_LOCAL_LLM_KEY", "key-from-row-env")
    fake_openai.plan["title"] = "From the admin row"
    AIProviderConfig.objects.create(
        capability="writer", provider="openai", model="disabled-model", priority=1,
        is_enabled=False,
    )  # fmt: skip
    AIProviderConfig.objects.create(
        capability="writer", provider="openai", model="local-llama", priority=5,
        api_key_env="REELMAKER_KEY_LOCAL_LLM_KEY", base_url=f"{fake_openai.url}/v1",
        options={"api": "responses"},
    )  # fmt: skip
    AIProviderConfig.objects.create(capability="writer", provider="template", priority=9)

    writer = get_writer()
    plan = writer.write(brief=Brief(keyword="coffee", language="en", duration_s=8))

    assert isinstance(writer, OpenAIWriter)
    assert plan.title == "From the admin row"
    (sent,) = fake_openai.posts()
    assert sent.path == "/v1/responses"
    assert sent.body["model"] == "local-llama"
    assert sent.headers["authorization"] == "Bearer key-from-row-env"


@pytest.mark.django_db
def test_a_row_without_key_or_url_falls_back_to_the_providers_settings(fake_elevenlabs):
    AIProviderConfig.objects.create(
        capability="voice", provider="elevenlabs", model="eleven_turbo_v2_5",
        options={"voice_id": "ROWVOICE"},
    )  # fmt: skip

    voice = get_voice_provider()

    assert isinstance(voice, ElevenLabsVoice)
    assert voice.api_key == "xi-test-key"
    assert voice.base_url == fake_elevenlabs.url
    assert voice.voice_and_model("") == ("ROWVOICE", "eleven_turbo_v2_5")


@pytest.mark.django_db
def test_an_unknown_provider_in_a_row_is_a_permanent_error_naming_the_row():
    row = AIProviderConfig.objects.create(capability="writer", provider="gpt-by-mail")

    with pytest.raises(PermanentProviderError, match=f"AIProviderConfig #{row.pk}: no writer"):
        get_writer()


def post_test_connection(client, rows):
    return client.post(
        CHANGELIST,
        {"action": "test_connection", "index": 0, "_selected_action": [r.pk for r in rows]},
        follow=True,
    )


@pytest.mark.django_db
def test_admin_test_connection_reports_success_and_errors_plainly(
    client, fake_openai, fake_elevenlabs, monkeypatch
):
    monkeypatch.setenv("REELMAKER_KEY_BAD_OPENAI_KEY", "sk-revoked")
    good = AIProviderConfig.objects.create(
        capability="writer", provider="openai", model="gpt-4o-mini", priority=1
    )
    missing_model = AIProviderConfig.objects.create(
        capability="writer", provider="openai", model="gpt-9", priority=2
    )
    revoked = AIProviderConfig.objects.create(
        capability="writer", provider="openai", model="gpt-4o", priority=3,
        api_key_env="REELMAKER_KEY_BAD_OPENAI_KEY",
    )  # fmt: skip
    voice = AIProviderConfig.objects.create(capability="voice", provider="elevenlabs")
    # The writer rows are checked in priority order: good, missing_model, revoked.
    fake_openai.modes[:] = ["ok", "ok", "401"]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = post_test_connection(client, [good, missing_model, revoked, voice])

    shown = [str(m) for m in response.context["messages"]]
    assert any("OK" in m and "model 'gpt-4o-mini' is available" in m for m in shown)
    assert any("does not offer model 'gpt-9'" in m for m in shown)
    assert any(
        "refused the API key (HTTP 401): check REELMAKER_KEY_BAD_OPENAI_KEY" in m for m in shown
    )
    assert any("voice 'Fake George'" in m for m in shown)
    assert fake_openai.requests[-1].headers["authorization"] == "Bearer sk-revoked"
    assert fake_elevenlabs.requests[0].path == "/v1/voices/JBFqnCBsd6RMkjVDRZzb"


@pytest.mark.django_db
def test_test_connection_is_refused_to_non_staff_and_calls_nothing(client, fake_openai):
    row = AIProviderConfig.objects.create(capability="writer", provider="openai")
    client.force_login(UserFactory(is_staff=False))

    response = post_test_connection(client, [row])

    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert fake_openai.requests == []


# ---------------------------------------------------------------- prices and cost


@pytest.mark.django_db
def test_price_for_prefers_the_models_row_then_the_providers_row_then_zero():
    ProviderPrice.objects.all().delete()
    ProviderPrice.objects.create(provider="acme", model="big", unit="images", usd_per_unit="0.5")
    ProviderPrice.objects.create(provider="acme", model="", unit="images", usd_per_unit="0.1")

    assert price_for("acme", "big", "images", 3) == Decimal("1.5")
    assert price_for("acme", "small", "images", 3) == Decimal("0.3")
    assert price_for("acme", "big", "seconds", 3) == Decimal("0")
    assert price_for("other", "big", "images", 3) == Decimal("0")


@pytest.mark.django_db
def test_an_operator_price_change_applies_to_the_next_call():
    ProviderPrice.objects.update_or_create(
        provider="elevenlabs", model="eleven_multilingual_v2", unit="characters",
        defaults={"usd_per_unit": Decimal("0.0003")},
    )  # fmt: skip

    assert price_for("elevenlabs", "eleven_multilingual_v2", "characters", 1000) == Decimal("0.3")


@pytest.mark.django_db
def test_the_seed_migration_adds_documented_prices_and_keeps_operator_changes():
    seed = import_module("billing.migrations.0005_seed_provider_prices")
    ProviderPrice.objects.all().delete()
    ProviderPrice.objects.create(
        provider="openai", model="gpt-4o-mini", unit="input_tokens", usd_per_unit="0.000001"
    )

    seed.seed(apps, None)

    assert ProviderPrice.objects.count() == len(seed.DEFAULT_PRICES)
    assert ProviderPrice.objects.get(
        provider="openai", model="gpt-4o-mini", unit="input_tokens"
    ).usd_per_unit == Decimal("0.000001")
    assert ProviderPrice.objects.get(
        provider="elevenlabs", model="eleven_multilingual_v2", unit="characters"
    ).usd_per_unit == Decimal("0.0001")


@pytest.mark.django_db
def test_story_cost_sums_the_storys_usage_only():
    story, other = StoryFactory(), StoryFactory()
    for target, cost in [(story, "0.25"), (story, "0.005"), (other, "9")]:
        UsageRecord.objects.create(
            user=target.owner, story=target, provider="openai", unit="tokens", units=1,
            cost_usd=Decimal(cost),
        )  # fmt: skip

    assert story_cost(story) == Decimal("0.255")
    assert story_cost(StoryFactory()) == Decimal("0")


@pytest.mark.django_db
def test_price_table_is_editable_in_admin(client):
    price = ProviderPrice.objects.create(
        provider="acme", model="m", unit="images", usd_per_unit="0.2"
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get("/admin/billing/providerprice/")
    response = client.post(
        f"/admin/billing/providerprice/{price.pk}/change/",
        {"provider": "acme", "model": "m", "unit": "images", "usd_per_unit": "0.3", "note": ""},
    )

    assert listing.status_code == 200
    assert response.status_code == 302
    assert price_for("acme", "m", "images", 10) == Decimal("3")


@pytest.mark.django_db
def test_test_connection_on_an_offline_row_says_there_is_nothing_to_connect_to(client):
    row = AIProviderConfig.objects.create(capability="voice", provider="offline")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = post_test_connection(client, [row])

    assert [str(m) for m in response.context["messages"]] == [
        f"{row}: OK, works offline; nothing to connect to"
    ]


@pytest.mark.django_db
def test_test_connection_on_a_stock_row_names_the_missing_key(monkeypatch):
    from providers.registry import check_connection

    monkeypatch.delenv("REELMAKER_KEY_MY_PEXELS_KEY", raising=False)
    row = AIProviderConfig.objects.create(
        capability="visual", provider="pexels", api_key_env="REELMAKER_KEY_MY_PEXELS_KEY"
    )

    with pytest.raises(PermanentProviderError, match="check REELMAKER_KEY_MY_PEXELS_KEY"):
        check_connection(config_id=row.pk)

    monkeypatch.setenv("REELMAKER_KEY_MY_PEXELS_KEY", "px-123")
    assert check_connection(config_id=row.pk) == (
        "configured: pexels will be called with the key in REELMAKER_KEY_MY_PEXELS_KEY; "
        "it offers no free test call"
    )


@pytest.mark.parametrize("name", ["SECRET_KEY", "DATABASE_URL", "AWS_SECRET_ACCESS_KEY", "PATH"])
@pytest.mark.django_db
def test_a_row_cannot_name_a_variable_off_the_key_allowlist(name):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    row = AIProviderConfig(capability="writer", provider="openai", api_key_env=name)

    with pytest.raises(ValidationError, match="cannot hold a provider key"):
        row.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        row.save()
    assert not AIProviderConfig.objects.exists()


@pytest.mark.django_db
def test_provider_key_variables_and_the_prefix_are_allowed():
    from providers.config import PROVIDER_ENV

    for key_variable, _url in PROVIDER_ENV.values():
        AIProviderConfig(capability="writer", provider="p", api_key_env=key_variable).full_clean()
    AIProviderConfig.objects.create(
        capability="writer", provider="openai", api_key_env="REELMAKER_KEY_LOCAL_LLM"
    )


def test_read_secret_refuses_other_settings(settings):
    from providers.config import read_secret

    settings.OPENAI_API_KEY = "sk-test"

    assert read_secret("OPENAI_API_KEY") == "sk-test"
    with pytest.raises(PermanentProviderError, match="SECRET_KEY is not a provider key"):
        read_secret("SECRET_KEY")


@pytest.mark.django_db
def test_only_a_superuser_may_change_key_variable_and_base_url(client, admin_client):
    from django.contrib.auth.models import Permission

    row = AIProviderConfig.objects.create(capability="writer", provider="openai")
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="aiproviderconfig"))
    client.force_login(staff)
    form = {
        "capability": "writer",
        "provider": "openai",
        "priority": 1,
        "is_enabled": "on",
        "options": "{}",
        "api_key_env": "REELMAKER_KEY_X",
        "base_url": "https://attacker.example/v1",
    }

    client.post(f"{CHANGELIST}{row.pk}/change/", form)
    row.refresh_from_db()
    assert (row.api_key_env, row.base_url, row.priority) == ("", "", 1)

    admin_client.post(f"{CHANGELIST}{row.pk}/change/", {**form, "priority": 2})
    row.refresh_from_db()
    assert (row.api_key_env, row.base_url, row.priority) == (
        "REELMAKER_KEY_X",
        "https://attacker.example/v1",
        2,
    )
