"""The places and song reels a user may see: their own."""

from __future__ import annotations

from django.db.models import QuerySet

from places.models import Place, SongReel


def places_for(*, user) -> QuerySet[Place]:
    return Place.objects.filter(owner=user).prefetch_related("photos__asset")


def song_reels_for(*, user) -> QuerySet[SongReel]:
    return SongReel.objects.filter(owner=user).select_related("song", "video", "place", "story")
