"""Practice routes under /api/v1/ (the trailing slash is optional)."""

from django.urls import re_path

from practice import api, api_events
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("practice/lines", api.LineViewSet, basename="practice-line")
router.register("practice/takes", api.TakeViewSet, basename="practice-take")

urlpatterns = [
    re_path(r"^practice/me/?$", api.MyPracticeView.as_view(), name="practice-me"),
    re_path(
        r"^practice/scenes/(?P<scene_id>[0-9]+)/voice/?$",
        api.MyVoiceView.as_view(),
        name="practice-scene-voice",
    ),
    re_path(
        r"^practice/stories/(?P<story_id>[0-9]+)/voice/?$",
        api.StoryVoiceView.as_view(),
        name="practice-story-voice",
    ),
    re_path(
        r"^practice/takes/(?P<take_id>[0-9]+)/events/?$",
        api_events.TakeEventsView.as_view(),
        name="practice-take-events",
    ),
    re_path(
        r"^practice/takes/(?P<take_id>[0-9]+)/events/stream/?$",
        api_events.TakeEventStreamView.as_view(),
        name="practice-take-events-stream",
    ),
    re_path(
        r"^practice/takes/(?P<take_id>[0-9]+)/events/ticket/?$",
        api_events.TakeEventTicketView.as_view(),
        name="practice-take-events-ticket",
    ),
    *router.urls,
]
