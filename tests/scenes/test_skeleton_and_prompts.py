"""bulk_create with an empty body makes a skeleton; generate_prompts fills visual prompts."""

import pytest

from scenes.models import Prompt
from stories.models import Story
from stories.states import Status
from tests.factories import SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db


def with_status(story, status):
    Story.objects.filter(pk=story.pk).update(status=status)
    story.refresh_from_db()
    return story


def test_an_empty_bulk_create_makes_a_skeleton_timed_to_the_target(api, user):
    story = StoryFactory(owner=user, duration_s=30, keyword="night market")

    response = api.post(f"/api/v1/stories/{story.pk}/scenes/bulk_create/", {}, format="json")

    assert response.status_code == 201, response.json()
    scenes = response.json()
    assert len(scenes) == 6  # a 30 s reel: hook, four body scenes, call to action
    stored = list(story.scenes.order_by("position").values_list("duration_ms", flat=True))
    assert sum(stored) == 30_000
    # The API gives each scene its length on the reel's timeline: whole frames at 30 fps.
    durations = [scene["duration_ms"] for scene in scenes]
    assert abs(sum(durations) - 30_000) <= 34
    assert abs(durations[0] - durations[-1]) <= 40  # the last scene takes the rounding
    assert max(durations[0], durations[-1]) < min(durations[1:-1])
    assert scenes[0]["narration"].startswith("Hook:")
    assert "night market" in scenes[0]["narration"]
    assert scenes[2]["narration"].startswith("Scene 3:")
    assert scenes[-1]["narration"].startswith("Call to action:")
    assert [scene["position"] for scene in scenes] == list(range(6))


def test_a_korean_skeleton_speaks_korean_and_a_short_one_has_four_scenes(api, user):
    story = StoryFactory(owner=user, duration_s=12, language="ko", keyword="제주 감귤")

    response = api.post(f"/api/v1/stories/{story.pk}/scenes/bulk_create/")

    assert response.status_code == 201
    scenes = response.json()
    assert len(scenes) == 4
    assert sum(scene["duration_ms"] for scene in scenes) == 12_000
    assert "제주 감귤" in scenes[0]["narration"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in scenes[-1]["narration"])


def test_a_skeleton_is_refused_when_the_story_has_scenes(api, user):
    story = StoryFactory(owner=user)
    SceneFactory(story=story, position=0)

    response = api.post(f"/api/v1/stories/{story.pk}/scenes/bulk_create/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert response.json()["error"]["details"] == {"existing": 1}
    assert story.scenes.count() == 1


def test_an_empty_scene_list_is_still_refused(api, user):
    story = StoryFactory(owner=user)

    response = api.post(
        f"/api/v1/stories/{story.pk}/scenes/bulk_create/", {"scenes": []}, format="json"
    )

    assert response.status_code == 400
    assert not story.scenes.exists()


def test_a_skeleton_waits_while_the_plan_is_locked(api, user):
    story = StoryFactory(owner=user, is_locked=True)

    response = api.post(f"/api/v1/stories/{story.pk}/scenes/bulk_create/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "PLAN_LOCKED"
    assert not story.scenes.exists()


def test_generate_prompts_writes_only_the_missing_visual_prompts(api, user):
    story = StoryFactory(owner=user, style="food")
    created = api.post(f"/api/v1/stories/{story.pk}/scenes/bulk_create/", {}, format="json")
    assert created.status_code == 201
    scenes = list(story.scenes.order_by("position"))
    kept = "my own shot"
    api.patch(f"/api/v1/scenes/{scenes[1].pk}/", {"visual_prompt": kept}, format="json")

    response = api.post(f"/api/v1/stories/{story.pk}/scenes/generate_prompts/")

    assert response.status_code == 200, response.json()
    written = {scene["id"]: scene["visual_prompt"] for scene in response.json()}
    assert set(written) == {scene.pk for scene in scenes} - {scenes[1].pk}
    first = written[scenes[0].pk]
    assert first.startswith("eye-catching opening shot of morning coffee")
    assert "appetising close-up food photography" in first
    assert scenes[0].narration[:40] in first
    assert written[scenes[-1].pk].startswith("hero shot of morning coffee")
    for scene in story.scenes.filter(pk__in=written):
        selected = scene.prompts.get(kind=Prompt.Kind.VISUAL, is_selected=True)
        assert selected.text == scene.visual_prompt
    assert story.scenes.get(pk=scenes[1].pk).visual_prompt == kept
    again = api.post(f"/api/v1/stories/{story.pk}/scenes/generate_prompts/")
    assert again.json() == []


def test_generate_prompts_moves_a_previewed_story_back_to_planned(api, user):
    story = with_status(StoryFactory(owner=user), Status.PREVIEW_READY)
    SceneFactory(story=story, position=0, visual_prompt="")

    response = api.post(f"/api/v1/stories/{story.pk}/scenes/generate_prompts/")

    assert len(response.json()) == 1
    story.refresh_from_db()
    assert story.status == Status.PLANNED


def test_generate_prompts_on_a_strangers_story_is_404(api, other_user):
    story = StoryFactory(owner=other_user)
    SceneFactory(story=story, position=0, visual_prompt="")

    response = api.post(f"/api/v1/stories/{story.pk}/scenes/generate_prompts/")

    assert response.status_code == 404
    assert story.scenes.get().visual_prompt == ""
