"""A story that used a fallback says so: is_degraded and its reasons in the API, the event
stream, the webhook payload and admin; on_fallback="fail" refuses the fallback instead."""

import pytest

from jobs.webhooks import story_payload
from reelmaker.errors import FallbackRefused
from stories import services as story_services
from stories.models import Event, Story
from tests.factories import SceneFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

BRIEF = {"keyword": "morning coffee", "language": "en", "duration_s": 15}
REASON = "the image from pexels failed (HTTP 500); the offline artwork is shown instead"


def degraded_events(story):
    return [e.payload for e in Event.objects.filter(story=story, kind=Event.Kind.DEGRADED)]


def test_a_fallback_marks_the_story_degraded_with_one_event_per_reason_added():
    scene = SceneFactory()
    story = scene.story

    story_services.record_degradation(
        story_id=story.pk, step="visual", scene_id=scene.pk, reasons=[REASON]
    )
    story_services.record_degradation(  # a rerun of the same job adds nothing
        story_id=story.pk, step="visual", scene_id=scene.pk, reasons=[REASON]
    )

    story.refresh_from_db()
    entry = {"step": "visual", "scene": scene.pk, "reason": REASON}
    assert story.is_degraded is True
    assert story.degradation == [entry]
    assert degraded_events(story) == [entry]


def test_a_step_that_no_longer_falls_back_clears_its_own_entries_only():
    scene = SceneFactory()
    story = scene.story
    story_services.record_degradation(
        story_id=story.pk, step="visual", scene_id=scene.pk, reasons=[REASON]
    )
    story_services.record_degradation(story_id=story.pk, step="render", reasons=["libx264"])

    story_services.record_degradation(
        story_id=story.pk, step="visual", scene_id=scene.pk, reasons=[]
    )

    story.refresh_from_db()
    assert story.degradation == [{"step": "render", "scene": None, "reason": "libx264"}]
    assert story.is_degraded is True
    story_services.record_degradation(story_id=story.pk, step="render", reasons=[])
    story.refresh_from_db()
    assert story.degradation == []
    assert story.is_degraded is False


def test_a_new_plan_resets_the_degradation_and_deleted_scenes_lose_theirs():
    scene = SceneFactory()
    story = scene.story
    story_services.record_degradation(
        story_id=story.pk, step="voice", scene_id=scene.pk, reasons=["en-espeak spoke"]
    )
    other = SceneFactory(story=story, position=5)
    story_services.record_degradation(
        story_id=story.pk, step="visual", scene_id=other.pk, reasons=[REASON]
    )
    other.delete()

    story_services.record_degradation(story_id=story.pk, step="render", reasons=["libx264"])
    story.refresh_from_db()
    assert [e["step"] for e in story.degradation] == ["voice", "render"]

    story_services.record_degradation(
        story_id=story.pk, step="plan", reasons=["hashtags cut"], reset=True
    )
    story.refresh_from_db()
    assert story.degradation == [{"step": "plan", "scene": None, "reason": "hashtags cut"}]


def test_on_fallback_fail_refuses_the_fallback_naming_it_and_changes_nothing():
    scene = SceneFactory(story=StoryFactory(on_fallback="fail"))
    story = scene.story

    with pytest.raises(FallbackRefused) as caught:
        story_services.record_degradation(
            story_id=story.pk, step="visual", scene_id=scene.pk, reasons=[REASON]
        )

    assert caught.value.code == "FALLBACK_REFUSED"
    assert 'on_fallback "fail"' in str(caught.value.message)
    assert "visual step would have fallen back" in str(caught.value.message)
    assert REASON in str(caught.value.message)
    assert caught.value.details == {"step": "visual", "scene": scene.pk, "reason": REASON}
    story.refresh_from_db()
    assert story.degradation == []
    assert story.is_degraded is False
    assert degraded_events(story) == []


def test_the_api_takes_on_fallback_and_shows_the_degradation(api, user):
    response = api.post("/api/v1/stories/", {**BRIEF, "on_fallback": "fail"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["on_fallback"] == "fail"
    assert body["is_degraded"] is False
    assert body["degradation"] == []

    story = StoryFactory(owner=user)
    story_services.record_degradation(story_id=story.pk, step="render", reasons=["libx264"])
    shown = api.get(f"/api/v1/stories/{story.pk}/").json()

    assert shown["on_fallback"] == "degrade"
    assert shown["is_degraded"] is True
    assert shown["degradation"] == [{"step": "render", "scene": None, "reason": "libx264"}]


def test_the_api_refuses_an_unknown_on_fallback(api):
    response = api.post("/api/v1/stories/", {**BRIEF, "on_fallback": "ignore"}, format="json")

    assert response.status_code == 400
    assert "on_fallback" in response.json()["error"]["details"]["fields"]
    assert Story.objects.count() == 0


def test_the_api_edits_on_fallback(api, user):
    story = StoryFactory(owner=user)

    response = api.patch(f"/api/v1/stories/{story.pk}/", {"on_fallback": "fail"}, format="json")

    assert response.status_code == 200, response.json()
    story.refresh_from_db()
    assert story.on_fallback == "fail"


def test_the_event_stream_carries_a_degraded_event(api, user):
    story = StoryFactory(owner=user)
    story_services.record_degradation(story_id=story.pk, step="render", reasons=["libx264"])

    events = api.get(f"/api/v1/stories/{story.pk}/events/").json()["results"]

    degraded = [e for e in events if e["kind"] == "degraded"]
    assert degraded == [
        {
            "id": degraded[0]["id"],
            "kind": "degraded",
            "payload": {"step": "render", "scene": None, "reason": "libx264"},
            "created_at": degraded[0]["created_at"],
        }
    ]


def test_the_webhook_payload_says_whether_and_why_the_reel_is_degraded():
    story = StoryFactory()
    assert story_payload(story)["is_degraded"] is False
    assert story_payload(story)["degradation"] == []

    story_services.record_degradation(story_id=story.pk, step="render", reasons=["libx264"])
    story.refresh_from_db()

    payload = story_payload(story)
    assert payload["is_degraded"] is True
    assert payload["degradation"] == [{"step": "render", "scene": None, "reason": "libx264"}]


def test_admin_lists_filters_and_shows_degraded_stories(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    plain = StoryFactory(keyword="plain coffee")
    degraded = StoryFactory(keyword="degraded coffee")
    story_services.record_degradation(story_id=degraded.pk, step="render", reasons=["libx264"])

    listing = client.get("/admin/stories/story/?is_degraded__exact=1")
    page = client.get(f"/admin/stories/story/{degraded.pk}/change/")

    assert listing.status_code == 200
    text = listing.content.decode()
    assert "degraded coffee" in text
    assert "plain coffee" not in text
    assert "is_degraded" in client.get("/admin/stories/story/").content.decode()
    assert page.status_code == 200
    assert "render: libx264" in page.content.decode()
    assert plain.pk != degraded.pk
