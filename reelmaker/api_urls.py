"""/api/v1/: each app owns its routes in its own urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("stories.urls")),
    path("", include("scenes.urls")),
    path("", include("media.urls")),
    path("", include("jobs.urls")),
    path("", include("providers.urls")),
    path("", include("billing.urls")),
    path("", include("publishing.urls")),
    path("", include("provenance.urls")),
    path("", include("places.urls")),
    path("", include("practice.urls")),
]
