"""Routes of this app under /api/v1/."""

from rest_framework.routers import SimpleRouter

from providers import api

router = SimpleRouter()
router.register("voices", api.VoiceViewSet, basename="voice")

urlpatterns = router.urls
