"""Routes of this app under /api/v1/ (the trailing slash is optional, as for stories)."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from jobs import api

router = SimpleRouter()
router.register("jobs", api.JobViewSet, basename="job")

urlpatterns = [
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/events/?$",
        api.StoryEventsView.as_view(),
        name="story-events",
    ),
    *router.urls,
]
