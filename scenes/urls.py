"""Routes of this app under /api/v1/ (the trailing slash is optional)."""

from rest_framework.routers import SimpleRouter

from scenes import api

router = SimpleRouter(trailing_slash="/?")  # type: ignore[arg-type]  # a regex, as DRF allows
router.register(r"stories/(?P<story_pk>[0-9]+)/scenes", api.StorySceneViewSet, "story-scene")
router.register("scenes", api.SceneViewSet, basename="scene")
router.register(r"scenes/(?P<scene_pk>[0-9]+)/prompts", api.PromptViewSet, basename="prompt")

urlpatterns = router.urls
