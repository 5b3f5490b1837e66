"""The cost estimate prices the providers the registry will actually run."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from providers.models import AIProviderConfig
from tests.factories import StoryFactory, UserFactory


def _writer_line(client: APIClient, story_id: int) -> dict:
    body = client.get(f"/api/v1/stories/{story_id}/cost_estimate/").json()
    return next(line for line in body["lines"] if line["capability"] == "writer")


@pytest.mark.django_db
def test_an_enabled_openai_writer_row_is_what_the_estimate_prices(settings):
    settings.REELMAKER_WRITER = "template"
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    story = StoryFactory(owner=user, duration_s=30)
    before = _writer_line(client, story.pk)

    AIProviderConfig.objects.create(capability="writer", provider="openai", model="gpt-4o-mini")
    after = _writer_line(client, story.pk)

    assert (before["provider"], Decimal(before["cost_usd"])) == ("template", Decimal("0"))
    assert (after["provider"], after["model"]) == ("openai", "gpt-4o-mini")
    assert after["units"] == before["units"]
    assert Decimal(after["cost_usd"]) > 0


@pytest.mark.django_db
def test_a_disabled_row_leaves_the_estimate_on_the_settings(settings):
    settings.REELMAKER_WRITER = "template"
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    story = StoryFactory(owner=user, duration_s=30)
    AIProviderConfig.objects.create(
        capability="writer", provider="openai", model="gpt-4o-mini", is_enabled=False
    )

    line = _writer_line(client, story.pk)

    assert (line["provider"], Decimal(line["cost_usd"])) == ("template", Decimal("0"))
