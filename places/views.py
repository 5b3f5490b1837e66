"""The studio's place pages. A new place: a form and photos, saved through the API. The
"song reel" flow from a place: its marketing brief, then per reel the lyrics and the song's
attributes (editable until the song is made), the song and the lyric video as jobs followed
live on the story's event stream (static/studio/js/events.js, as on the reel page), then
watch, download and publish. The buttons call the API (same services, same rules)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from jobs.models import Job
from media.downloads import signed_media_url
from places import selectors
from places.models import Language, MarketingBrief, Place, SongReel
from places.services import song_reels
from providers.registry import place_search_providers
from stories.states import Status


def _row(request: HttpRequest, reel: SongReel) -> dict:
    job = song_reels.latest_job(reel)
    sections = reel.lyrics.get("sections", [])
    return {
        "reel": reel,
        "status": SongReel.Status(song_reels.status_of(reel)).label,
        "lyrics": "\n\n".join(f"[{s['name']}]\n" + "\n".join(s["lines"]) for s in sections),
        "syllables": song_reels.syllables(reel),
        "job": job if job is not None and job.status not in Job.FINISHED else None,
        "failed_job": job if job is not None and job.status == Job.Status.FAILED else None,
        "song_url": signed_media_url(reel.song, request) if reel.song else "",
        "video_url": signed_media_url(reel.video, request) if reel.video else "",
        "publishable": reel.story is not None and reel.story.status == Status.COMPLETED,
    }


@login_required
def song_reel_flow(request: HttpRequest, place_id: int) -> HttpResponse:
    place = get_object_or_404(selectors.places_for(user=request.user), pk=place_id)
    reels = selectors.song_reels_for(user=request.user).filter(place=place)
    context = {
        "place": place,
        "brief": MarketingBrief.objects.filter(place=place, language=place.language).first(),
        "rows": [_row(request, reel) for reel in reels],
        "offline_song": settings.REELMAKER_SONG != "suno",
        "sketch_note": song_reels.SKETCH_NOTE,
        "languages": Language.choices,
        "genres": SongReel.Genre.choices,
        "vocals": SongReel.Vocal.choices,
        "moods": SongReel.Mood.choices,
        "strings": {
            "song": _("Making the song: %(progress)s of 100"),
            "lyric_video": _("Rendering the lyric video: %(progress)s of 100"),
        },
    }
    return render(request, "places/song_reel.html", context)


@login_required
def new_place(request: HttpRequest) -> HttpResponse:
    """A place from a form and photos, saved through the API (static/studio/js/new_place.js)."""
    labels = {
        "name": _("Name"),
        "region": _("Region (a city or a neighbourhood)"),
        "detail": _('Detail, e.g. "ocean view" (optional)'),
        "address": _("Address (optional)"),
        "phone": _("Phone (optional)"),
        "offer": _('Offer, e.g. "a free drink with a review" (optional)'),
    }
    # Required and length as the model has them, so the form never disagrees with the API.
    model_fields = {field.name: field for field in Place._meta.concrete_fields}
    context = {
        "fields": [
            (name, label, not model_fields[name].blank, model_fields[name].max_length)
            for name, label in labels.items()
        ],
        "categories": Place.Category.choices,
        "languages": Language.choices,
        "language": "ko" if request.LANGUAGE_CODE == "ko" else "en",
        "search_services": [p.name for p in place_search_providers()],
        "strings": {
            "uploading": _("Uploading %(name)s"),
            "required": _("This field is required."),
            "import": _("Use %(name)s"),
            "imported": _("%(name)s is saved: add its photos, then save."),
            "none": _("Nothing found. Try another name, or enter its details below."),
        },
    }
    return render(request, "places/new_place.html", context)
