import base64

import pytest

from scenes.models import Prompt, Scene
from stories.models import Story
from stories.states import Status
from tests.factories import SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(user):
    story = StoryFactory(owner=user, language="en")
    Story.objects.filter(pk=story.pk).update(status=Status.PREVIEW_READY)
    scene = SceneFactory(story=story, position=0, narration="Old line.", visual_prompt="old")
    Prompt.objects.create(scene=scene, kind="narration", text="Old line.", is_selected=True)
    return scene


def url(scene, *rest):
    return "/".join([f"/api/v1/scenes/{scene.pk}/prompts", *map(str, rest)]) + "/"


def test_create_list_and_select_a_prompt(api, scene):
    created = api.post(url(scene), {"kind": "narration", "text": "New line."}, format="json")
    assert created.status_code == 201
    assert created.json()["is_selected"] is False
    assert api.get(url(scene)).json()["count"] == 2
    prompt_id = created.json()["id"]
    selected = api.post(url(scene, prompt_id, "select"))
    assert selected.status_code == 200
    assert selected.json()["is_selected"] is True
    chosen = Prompt.objects.filter(scene=scene, kind="narration", is_selected=True)
    assert list(chosen.values_list("pk", flat=True)) == [prompt_id]
    scene.refresh_from_db()
    assert scene.narration == "New line."
    assert Story.objects.get(pk=scene.story_id).status == Status.PLANNED


def test_select_while_locked_is_409_and_changes_nothing(api, scene):
    other = Prompt.objects.create(scene=scene, kind="narration", text="Other.")
    Story.objects.filter(pk=scene.story_id).update(is_locked=True)
    response = api.post(url(scene, other.pk, "select"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "PLAN_LOCKED"
    other.refresh_from_db()
    scene.refresh_from_db()
    assert not other.is_selected
    assert scene.narration == "Old line."


def test_editing_the_selected_prompt_edits_the_scene(api, scene):
    prompt = scene.prompts.get()
    response = api.patch(url(scene, prompt.pk), {"text": "Edited."}, format="json")
    assert response.status_code == 200
    scene.refresh_from_db()
    assert scene.narration == "Edited."


def test_another_users_prompts_are_404(other_api, scene):
    assert other_api.get(url(scene)).status_code == 404
    prompt = scene.prompts.get()
    assert other_api.post(url(scene, prompt.pk, "select")).status_code == 404
    assert other_api.delete(url(scene, prompt.pk)).status_code == 404
    assert Prompt.objects.filter(pk=prompt.pk).exists()


def test_testing_a_visual_prompt_returns_an_image_and_keeps_the_scene(api, scene):
    prompt = Prompt.objects.create(scene=scene, kind="visual", text="a red bicycle by the sea")
    before = Scene.objects.values().get(pk=scene.pk)
    response = api.post(url(scene, prompt.pk, "test"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["kind"] == "visual"
    assert body["mime_type"] == "image/jpeg"
    header, data = body["data_url"].split(",", 1)
    assert header == "data:image/jpeg;base64"
    assert base64.b64decode(data)[:3] == b"\xff\xd8\xff"
    assert (body["width"], body["height"]) == (540, 960)
    assert Scene.objects.values().get(pk=scene.pk) == before


def test_testing_a_narration_prompt_speaks_it(api, scene):
    prompt = scene.prompts.get()
    response = api.post(url(scene, prompt.pk, "test"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["mime_type"] == "audio/wav"
    assert body["duration_ms"] > 0
    assert [w["text"] for w in body["words"]][:2] == ["Old", "line."]
    assert base64.b64decode(body["data_url"].split(",", 1)[1])[:4] == b"RIFF"
