"""POST /stories/{id}/scenes/{id}/visual: a visual picked by hand (the studio's swap)."""

import pytest

from media.models import Asset
from scenes.models import Scene
from stories.models import Story
from stories.states import Status
from tests.scenes.test_api import story_with_scenes

pytestmark = pytest.mark.django_db


def url(story, scene):
    return f"/api/v1/stories/{story.pk}/scenes/{scene.pk}/visual/"


def test_a_picked_upload_replaces_only_that_scenes_visual_and_reopens_the_preview(api, user):
    story, scenes = story_with_scenes(user, Status.PREVIEW_READY)
    old = Asset.objects.create(owner=user, story=story, kind="image", file="old.jpg")
    Scene.objects.filter(story=story).update(visual=old)
    picked = Asset.objects.create(owner=user, kind="video", file="mine.mp4")

    response = api.post(url(story, scenes[1]), {"asset": picked.pk}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["visual_url"]
    visuals = dict(story.scenes.values_list("pk", "visual_id"))
    assert visuals == {scenes[0].pk: old.pk, scenes[1].pk: picked.pk, scenes[2].pk: old.pk}
    story.refresh_from_db()
    assert story.status == Status.PLANNED


@pytest.mark.parametrize("whose", ["stranger", "audio"])
def test_another_users_asset_or_a_sound_is_refused_and_nothing_changes(
    api, user, other_user, whose
):
    story, scenes = story_with_scenes(user)
    owner, kind = (other_user, "image") if whose == "stranger" else (user, "audio")
    asset = Asset.objects.create(owner=owner, kind=kind, file="x.bin")

    response = api.post(url(story, scenes[0]), {"asset": asset.pk}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert "asset" in error["details"]["fields"]
    assert Scene.objects.get(pk=scenes[0].pk).visual_id is None


def test_a_locked_plan_refuses_the_swap(api, user):
    story, scenes = story_with_scenes(user)
    Story.objects.filter(pk=story.pk).update(is_locked=True)
    asset = Asset.objects.create(owner=user, kind="image", file="mine.jpg")

    response = api.post(url(story, scenes[0]), {"asset": asset.pk}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "PLAN_LOCKED"
    assert Scene.objects.get(pk=scenes[0].pk).visual_id is None
