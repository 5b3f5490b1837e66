"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from rest_framework.routers import SimpleRouter

from stories import api

router = SimpleRouter()
router.register("stories", api.StoryViewSet, basename="story")

urlpatterns = router.urls
