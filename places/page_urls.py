"""The studio pages of this app (under /places/)."""

from django.urls import path

from places import views

app_name = "places"

urlpatterns = [
    path("new/", views.new_place, name="new"),
    path("<int:place_id>/song-reel/", views.song_reel_flow, name="song-reel"),
]
