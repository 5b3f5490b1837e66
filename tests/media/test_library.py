"""GET media/library: every picture, clip and track a user uploaded or a reel used, found by
words; PATCH media/library/{id} retags one."""

from __future__ import annotations

import pytest

from media.models import Asset
from media.services import save_asset
from tests.factories import StoryFactory
from tests.media.test_api import png_bytes, upload
from tests.scenes.render_fixtures import make_still

pytestmark = pytest.mark.django_db

LIBRARY = "/api/v1/media/library"


def _asset(story, tmp_path, *, seed, kind="image", provider="pexels", **words):
    asset = save_asset(
        owner=story.owner,
        story=story,
        kind=kind,
        path=make_still(tmp_path / f"a{seed}-{story.pk}.png", seed=seed),
        mime_type="image/png",
        source_provider=provider,
        **{k: v for k, v in words.items() if k in ("attribution", "prompt")},
    )
    if "tags" in words:
        Asset.objects.filter(pk=asset.pk).update(tags=words["tags"])
    return asset


def test_an_upload_is_in_the_library_under_the_words_of_its_name(api):
    created = upload(api, "Seoul_night-market.png", png_bytes()).json()

    found = api.get(LIBRARY, {"q": "night market"}).json()
    missed = api.get(LIBRARY, {"q": "beach"}).json()

    assert [a["id"] for a in found] == [created["id"]]
    assert found[0]["tags"] == "Seoul night market"
    assert found[0]["provider"] == "upload"
    assert found[0]["url"]
    assert missed == []


def test_every_word_must_match_the_prompt_the_credit_or_the_tags(api, user, tmp_path):
    story = StoryFactory(owner=user)
    latte = _asset(story, tmp_path, seed=1, prompt="latte art in a cafe")
    credited = _asset(story, tmp_path, seed=2, attribution="Photo by Mina Park on Pexels")
    _asset(story, tmp_path, seed=3, prompt="latte on a beach")

    cafe = api.get(LIBRARY, {"q": "LATTE cafe"}).json()
    by_credit = api.get(LIBRARY, {"q": "mina"}).json()

    assert [a["id"] for a in cafe] == [latte.pk]
    assert [a["id"] for a in by_credit] == [credited.pk]
    assert by_credit[0]["credit"] == "Photo by Mina Park on Pexels"


def test_the_library_has_pictures_clips_and_music_but_not_reels_or_voices(
    api, user, other_user, tmp_path
):
    story = StoryFactory(owner=user)
    picture = _asset(story, tmp_path, seed=1)
    _asset(story, tmp_path, seed=2, kind="video", provider="render")  # the reel itself
    _asset(story, tmp_path, seed=3, kind="audio", provider="offline")  # a voice
    _asset(StoryFactory(owner=other_user), tmp_path, seed=4)

    listed = api.get(LIBRARY).json()
    images = api.get(LIBRARY, {"kind": "image"}).json()
    music = api.get(LIBRARY, {"kind": "music"}).json()

    assert [a["id"] for a in listed] == [picture.pk]
    assert [a["id"] for a in images] == [picture.pk]
    assert music == []


def test_one_file_used_by_two_reels_is_listed_once(api, user, tmp_path):
    first = _asset(StoryFactory(owner=user), tmp_path, seed=1)
    again = _asset(StoryFactory(owner=user), tmp_path, seed=1)

    listed = api.get(LIBRARY).json()

    assert first.sha256 == again.sha256
    assert [a["id"] for a in listed] == [again.pk]


def test_retagging_changes_what_finds_it(api, user, tmp_path):
    asset = _asset(StoryFactory(owner=user), tmp_path, seed=1, tags="old")

    response = api.patch(f"{LIBRARY}/{asset.pk}", {"tags": "harbour, boats  dawn"}, format="json")

    assert response.status_code == 200
    assert response.json()["tags"] == "harbour boats dawn"
    assert [a["id"] for a in api.get(LIBRARY, {"q": "boats"}).json()] == [asset.pk]
    assert api.get(LIBRARY, {"q": "old"}).json() == []


def test_another_users_file_cannot_be_retagged(api, other_user, tmp_path):
    theirs = _asset(StoryFactory(owner=other_user), tmp_path, seed=1, tags="mine")

    response = api.patch(f"{LIBRARY}/{theirs.pk}", {"tags": "stolen"}, format="json")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.tags == "mine"


def test_an_unknown_kind_is_400(api):
    response = api.get(LIBRARY, {"kind": "subtitle"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
