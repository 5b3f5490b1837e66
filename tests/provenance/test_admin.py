"""Operators see each reel's licence ledger in admin: on the reel's Asset page and as a list."""

from __future__ import annotations

import pytest

from media.models import Asset
from provenance.ledger import ReelInput, record_ledger
from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reel():
    story = StoryFactory()
    photo = Asset.objects.create(
        owner=story.owner,
        story=story,
        kind="image",
        file="a.jpg",
        source_provider="unsplash",
        attribution="Photo by Ana Lee on Unsplash",
    )
    output = Asset.objects.create(owner=story.owner, story=story, kind="video", file="r.mp4")
    record_ledger(output=output, inputs=[ReelInput("visual", 1, photo)])
    return output


def test_the_reels_asset_page_shows_its_ledger(admin_client, reel):
    response = admin_client.get(f"/admin/media/asset/{reel.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Photo by Ana Lee on Unsplash" in page
    assert "Unsplash License" in page


def test_the_ledger_list_is_read_only(admin_client, reel):
    listed = admin_client.get("/admin/provenance/licenceentry/")
    add = admin_client.get("/admin/provenance/licenceentry/add/")

    assert listed.status_code == 200
    assert "Photo by Ana Lee on Unsplash" in listed.content.decode()
    assert add.status_code == 403


def test_post_texts_and_confirmations_have_admin_pages(admin_client):
    assert admin_client.get("/admin/provenance/posttext/").status_code == 200
    assert admin_client.get("/admin/provenance/rightsconfirmation/").status_code == 200
