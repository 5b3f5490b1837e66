"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from provenance import api
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register(r"stories/(?P<story_id>[0-9]+)/seo", api.StorySeoViewSet, "story-seo")
router.register(
    r"stories/(?P<story_id>[0-9]+)/licences", api.StoryLicencesViewSet, "story-licences"
)
router.register("uploads", api.UploadRightsViewSet, basename="upload-rights")

urlpatterns = router.urls
