"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from django.urls import re_path

from publishing import api
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("linked-accounts", api.LinkedAccountViewSet, basename="linked-account")
router.register("publications", api.PublicationViewSet, basename="publication")

urlpatterns = [
    re_path(
        r"^linked-accounts/callback/?$",
        api.LinkCallbackView.as_view(),
        name="linked-account-callback",
    ),
    re_path(r"^publishing/platforms/?$", api.PlatformsView.as_view(), name="publishing-platforms"),
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/publish/?$",
        api.StoryPublishView.as_view(),
        name="story-publish",
    ),
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/publications/?$",
        api.StoryPublicationsView.as_view(),
        name="story-publications",
    ),
    *router.urls,
]
