"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from providers import api
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("voices", api.VoiceViewSet, basename="voice")

urlpatterns = router.urls
