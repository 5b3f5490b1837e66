"""Routes of this app under /api/v1/ (the trailing slash is optional, as for stories)."""

from django.urls import re_path

from jobs import api, events_api
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("jobs", api.JobViewSet, basename="job")

urlpatterns = [
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/events/?$",
        events_api.StoryEventsView.as_view(),
        name="story-events",
    ),
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/events/stream/?$",
        events_api.StoryEventStreamView.as_view(),
        name="story-events-stream",
    ),
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/events/ticket/?$",
        events_api.EventTicketView.as_view(),
        name="story-events-ticket",
    ),
    *router.urls,
]
