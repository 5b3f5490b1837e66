"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from places import api
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("places", api.PlaceViewSet, basename="place")
router.register("song-reels", api.SongReelViewSet, basename="song-reel")

urlpatterns = router.urls
