"""Routes of this app under /api/v1/. They end in a slash; a GET without it is redirected
(APPEND_SLASH). SimpleRouter takes only True or False here: "/?" used to read as True."""

from rest_framework.routers import SimpleRouter

from scenes import api

router = SimpleRouter()
router.register(r"stories/(?P<story_pk>[0-9]+)/scenes", api.StorySceneViewSet, "story-scene")
router.register("scenes", api.SceneViewSet, basename="scene")
router.register(r"scenes/(?P<scene_pk>[0-9]+)/prompts", api.PromptViewSet, basename="prompt")
router.register("pronunciations", api.PronunciationViewSet, basename="pronunciation")

urlpatterns = router.urls
