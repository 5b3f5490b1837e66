"""Practice routes under /api/v1/ (the trailing slash is optional)."""

from django.urls import re_path

from practice import api
from reelmaker.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("practice/lines", api.LineViewSet, basename="practice-line")
router.register("practice/takes", api.TakeViewSet, basename="practice-take")

urlpatterns = [
    re_path(r"^practice/me/?$", api.MyPracticeView.as_view(), name="practice-me"),
    re_path(
        r"^practice/scenes/(?P<scene_id>[0-9]+)/voice/?$",
        api.MyVoiceView.as_view(),
        name="practice-scene-voice",
    ),
    *router.urls,
]
