"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from reelmaker.routers import OptionalSlashRouter
from scenes import api

router = OptionalSlashRouter()
router.register(r"stories/(?P<story_id>[0-9]+)/scenes", api.StorySceneViewSet, "story-scene")
router.register("scenes", api.SceneViewSet, basename="scene")
router.register(r"scenes/(?P<scene_id>[0-9]+)/prompts", api.PromptViewSet, basename="prompt")

urlpatterns = router.urls
