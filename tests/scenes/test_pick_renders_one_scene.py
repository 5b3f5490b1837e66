"""A visual picked in the studio (POST scenes/{id}/visual) is an edit like any other: only
that scene, and the dissolve into the next, are rendered again; the story goes back to
PLANNED once it had a preview."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from stories.models import Story
from tests.scenes.render_fixtures import make_still
from tests.scenes.test_rendering_edits import _render_all, story  # noqa: F401  (fixture)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_a_picked_library_visual_renders_its_scene_and_the_dissolve_after_it(
    story,  # noqa: F811
    monkeypatch,
    tmp_path,
    settings,
):
    settings.REELMAKER_VISUALS = []
    _render_all(story, monkeypatch)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.PREVIEW_READY)
    api = APIClient()
    api.force_authenticate(story.owner)
    upload = api.post(
        "/api/v1/media/uploads",
        {"file": make_still(tmp_path / "mine.png", seed=9).open("rb")},
        format="multipart",
    ).json()
    first = story.scenes.get(position=1)

    response = api.post(f"/api/v1/scenes/{first.pk}/visual", {"asset": upload["id"]}, format="json")
    encoded = _render_all(story, monkeypatch)

    assert response.status_code == 200, response.json()
    assert encoded == [1, 2]
    story.refresh_from_db()
    assert story.status == Story.Status.PLANNED
