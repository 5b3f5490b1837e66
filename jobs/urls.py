"""Routes of this app under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from jobs import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("jobs", api.JobViewSet, basename="job")

urlpatterns = [
    path("stories/<int:story_id>/events/", api.StoryEventsView.as_view(), name="story-events"),
    *router.urls,
]
