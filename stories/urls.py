"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from reelmaker.routers import OptionalSlashRouter
from stories import api

router = OptionalSlashRouter()
router.register("stories", api.StoryViewSet, basename="story")

urlpatterns = router.urls
