"""Rights before posting: each reel's licence ledger, refusals that name the asset, and the
owner's confirmation for uploaded music through the API."""

from __future__ import annotations

import pytest

from media.models import Asset
from provenance.ledger import record_ledger, reel_inputs, rights_problems
from provenance.models import LicenceEntry, RightsConfirmation
from tests.factories import SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db


def _asset(story, kind, source, **fields):
    return Asset.objects.create(
        owner=story.owner,
        story=story,
        kind=kind,
        file=f"stories/{story.pk}/{kind}/{source}-{Asset.objects.count()}",
        source_provider=source,
        **fields,
    )


@pytest.fixture
def story(user):
    story = StoryFactory(owner=user)
    SceneFactory(
        story=story,
        position=0,
        visual=_asset(story, "image", "unsplash", attribution="Photo by Ana on Unsplash"),
        voice=_asset(story, "audio", "elevenlabs"),
    )
    SceneFactory(
        story=story,
        position=1,
        visual=_asset(story, "video", "sora"),
        voice=_asset(story, "audio", "elevenlabs"),
    )
    story.final = _asset(story, "video", "render")
    story.save(update_fields=["final"])
    return story


def test_a_reel_of_licensed_and_generated_parts_may_be_published(story):
    assert rights_problems(story, use="publish") == []
    rows = LicenceEntry.objects.filter(output=story.final).order_by("id")
    assert [(r.role, r.source) for r in rows] == [
        ("visual", "unsplash"),
        ("voice", "elevenlabs"),
        ("clip", "sora"),
        ("voice", "elevenlabs"),
    ]
    assert rows[0].credit == "Photo by Ana on Unsplash"
    assert rows[0].licence.startswith("Unsplash License")


def test_uploaded_music_nobody_confirmed_is_refused_by_name(story):
    music = _asset(story, "music", "upload")

    problems = rights_problems(story, use="publish")

    assert [p.code for p in problems] == ["rights_unconfirmed"]
    assert problems[0].details["asset_id"] == music.pk
    assert problems[0].details["role"] == "music"
    assert str(music.pk) in problems[0].message
    assert rights_problems(story, use="download") == []


def test_an_asset_from_a_source_with_no_known_licence_is_refused(story):
    scene = story.scenes.get(position=1)
    scene.visual = _asset(story, "image", "somewhere")
    scene.save(update_fields=["visual"])
    record_ledger(output=story.final, inputs=reel_inputs(story))

    problems = rights_problems(story)

    assert [p.code for p in problems] == ["licence_forbids"]
    assert problems[0].details["position"] == 2
    assert problems[0].details["source"] == "somewhere"


def test_a_story_with_no_reel_has_one_problem():
    story = StoryFactory()

    assert [p.code for p in rights_problems(story)] == ["no_reel"]


def test_confirming_the_upload_through_the_api_clears_the_refusal(api, story):
    music = _asset(story, "music", "upload")
    before = api.get(f"/api/v1/stories/{story.pk}/licences/").json()

    confirmed = api.post(
        f"/api/v1/uploads/{music.pk}/confirm_rights/", {"statement": "I made this track"}
    )
    again = api.post(f"/api/v1/uploads/{music.pk}/confirm_rights/", {"statement": "other"})
    after = api.get(f"/api/v1/stories/{story.pk}/licences/").json()

    assert [p["code"] for p in before["problems"]] == ["rights_unconfirmed"]
    assert before["output"] == story.final.pk
    assert before["entries"][-1]["role"] == "music"
    assert before["entries"][-1]["allowed_uses"] == ["download"]
    assert confirmed.status_code == 200
    assert confirmed.json()["statement"] == "I made this track"
    assert again.json()["statement"] == "I made this track"  # the first word stays
    assert after["problems"] == []
    assert after["entries"][-1]["allowed_uses"] == ["download", "publish"]
    assert RightsConfirmation.objects.get(asset=music).confirmed_by == story.owner


def test_only_the_owners_own_uploads_can_be_confirmed(api, other_api, story):
    music = _asset(story, "music", "upload")
    generated = story.scenes.get(position=0).visual

    strangers = other_api.post(f"/api/v1/uploads/{music.pk}/confirm_rights/", {})
    not_upload = api.post(f"/api/v1/uploads/{generated.pk}/confirm_rights/", {})

    assert strangers.status_code == 404
    assert not_upload.status_code == 404
    assert not RightsConfirmation.objects.exists()


def test_another_users_licences_are_404(other_api, story):
    response = other_api.get(f"/api/v1/stories/{story.pk}/licences/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_uploaded_images_need_no_word_unless_settings_say_so(story, settings):
    _asset(story, "image", "upload")
    scene = story.scenes.get(position=0)
    scene.visual = story.assets.get(kind="image", source_provider="upload")
    scene.save(update_fields=["visual"])
    record_ledger(output=story.final, inputs=reel_inputs(story))

    assert rights_problems(story) == []
    settings.RIGHTS_CONFIRM_UPLOAD_KINDS = ["music", "image"]
    assert [p.code for p in rights_problems(story)] == ["rights_unconfirmed"]
