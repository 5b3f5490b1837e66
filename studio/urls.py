"""The studio's pages, at the site root (the API lives under /api/v1/)."""

from django.urls import path

from studio import views

app_name = "studio"

urlpatterns = [
    path("", views.home, name="home"),
]
