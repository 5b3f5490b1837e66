"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from django.urls import re_path

from provenance import api
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("uploads", api.UploadRightsViewSet, basename="upload-rights")

urlpatterns = [
    re_path(r"^stories/(?P<story_id>[0-9]+)/seo/?$", api.StorySeoView.as_view(), name="story-seo"),
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/seo/propose/?$",
        api.StorySeoProposeView.as_view(),
        name="story-seo-propose",
    ),
    re_path(
        r"^stories/(?P<story_id>[0-9]+)/licences/?$",
        api.StoryLicencesView.as_view(),
        name="story-licences",
    ),
    *router.urls,
]
