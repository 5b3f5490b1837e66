"""Routes of this app under /api/v1/ (the trailing slash is optional, as for stories)."""

from django.urls import re_path

from jobs import api
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("jobs", api.JobViewSet, basename="job")

urlpatterns = [
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/events/?$",
        api.StoryEventsView.as_view(),
        name="story-events",
    ),
    *router.urls,
]
