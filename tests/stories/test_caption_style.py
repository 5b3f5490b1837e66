"""A story's caption style: one of the render presets, chosen in the brief, classic by default."""

from __future__ import annotations

import pytest

from render.caption_styles import DEFAULT_PRESET, PRESETS
from stories.models import CaptionPreset, Story

pytestmark = pytest.mark.django_db

BRIEF = {"keyword": "morning coffee ritual", "language": "en", "duration_s": 20}


def test_every_choice_names_a_render_preset_and_the_default_is_the_old_look():
    assert sorted(CaptionPreset.values) == sorted(PRESETS)
    assert Story._meta.get_field("caption_style").default == DEFAULT_PRESET == "classic"


def test_create_takes_a_caption_style_and_shows_it(api, user):
    response = api.post("/api/v1/stories/", {**BRIEF, "caption_style": "karaoke"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["caption_style"] == "karaoke"
    assert Story.objects.get(pk=response.json()["id"]).caption_style == "karaoke"


def test_a_story_without_one_gets_classic(api, user):
    response = api.post("/api/v1/stories/", BRIEF, format="json")

    assert response.json()["caption_style"] == "classic"


def test_edit_changes_it_and_refuses_an_unknown_one_leaving_it_unchanged(api, user):
    story_id = api.post("/api/v1/stories/", BRIEF, format="json").json()["id"]

    changed = api.patch(f"/api/v1/stories/{story_id}/", {"caption_style": "bold"}, format="json")
    refused = api.patch(f"/api/v1/stories/{story_id}/", {"caption_style": "wavy"}, format="json")

    assert changed.status_code == 200, changed.json()
    assert changed.json()["caption_style"] == "bold"
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "INVALID_REQUEST"
    assert "caption_style" in refused.json()["error"]["details"]["fields"]
    assert Story.objects.get(pk=story_id).caption_style == "bold"
