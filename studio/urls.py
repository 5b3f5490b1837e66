"""The studio's pages, at the site root (the API lives under /api/v1/)."""

from django.urls import path

from studio import publishing, views

app_name = "studio"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("reels/new/", views.new_reel, name="new-reel"),
    path("reels/<int:story_id>/", views.reel, name="reel"),
    path("library/", views.library, name="library"),
    path("quick-clip/", views.quick_clip, name="quick-clip"),
    path("pronunciations/", views.pronunciations, name="pronunciations"),
    path("stories/<int:story_id>/publish/", publishing.publish, name="publish"),
    path(
        "stories/<int:story_id>/publish/connect/<str:platform>/",
        publishing.connect,
        name="publish-connect",
    ),
]
