"""/api/v1/: each app owns its routes in its own urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("reelmaker.auth_urls")),
    path("", include("stories.urls")),
    path("", include("scenes.urls")),
    path("", include("scenes.media_urls")),
    path("", include("jobs.urls")),
    path("", include("billing.urls")),
]
