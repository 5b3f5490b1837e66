"""The studio's pages, at the site root (the API lives under /api/v1/)."""

from django.urls import path

from studio import publishing, views

app_name = "studio"

urlpatterns = [
    path("", views.home, name="home"),
    path("stories/<int:story_id>/publish/", publishing.publish, name="publish"),
    path(
        "stories/<int:story_id>/publish/connect/<str:platform>/",
        publishing.connect,
        name="publish-connect",
    ),
]
