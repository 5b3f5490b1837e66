"""The studio's "song reel" page: a place, its song reels, lyrics to edit before the song is
made, and the buttons that call the API (same services, same rules)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from places import selectors
from places.models import Language
from places.services import song_reels


@login_required
def song_reel_flow(request: HttpRequest, place_id: int) -> HttpResponse:
    place = get_object_or_404(selectors.places_for(user=request.user), pk=place_id)
    reels = selectors.song_reels_for(user=request.user).filter(place=place)
    rows = [
        {
            "reel": reel,
            "lyrics": "\n\n".join(
                f"[{s['name']}]\n" + "\n".join(s["lines"]) for s in reel.lyrics.get("sections", [])
            ),
            "syllables": song_reels.syllables(reel),
        }
        for reel in reels
    ]
    context = {
        "place": place,
        "rows": rows,
        "sketch_note": song_reels.SKETCH_NOTE,
        "languages": Language.choices,
    }
    return render(request, "places/song_reel.html", context)
