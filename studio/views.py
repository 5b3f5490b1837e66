"""The studio's pages: thin views over the same services and selectors the API uses.

Pages are rendered here; what they change goes through the API (the page's scripts call it
with the session cookie and the CSRF token), so the studio and API clients share one set of
rules, errors and events."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.api import register_user
from places import selectors as place_selectors
from stories import selectors
from stories.models import Aspect, CaptionPreset, Language
from stories.serializers import STYLES
from stories.states import Status
from studio import social
from studio.forms import SignInForm, SignUpForm, next_url
from studio.reels import plan_left, reel_rows, voice_rows
from studio.strings import library_strings, pronunciation_strings, reel_strings

LIST_LIMIT = 60
BUSINESS_FIELDS = [
    ("name", gettext_lazy("Business name")),
    ("place", gettext_lazy("Place")),
    ("product", gettext_lazy("Product")),
    ("offer", gettext_lazy("Offer")),
    ("contact", gettext_lazy("Contact")),
]


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(next_url(request))
    context = {"form": form, "next": next_url(request), "social": social.buttons()}
    return render(request, "studio/sign_in.html", context)


def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = register_user(
            email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("studio:new-reel")
    return render(request, "studio/sign_up.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("studio:sign-in")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My reels, filtered by status; `?status=TRASH` lists the trash."""
    wanted = request.GET.get("status", "")
    if wanted == "TRASH":
        stories = selectors.trashed_stories_for(user=request.user)
    else:
        stories = selectors.stories_for(user=request.user).order_by("-created_at")
        if wanted in Status.values:
            stories = stories.filter(status=wanted)
    context = {
        "reels": reel_rows(stories[:LIST_LIMIT], request=request),
        "statuses": Status.choices,
        "wanted": wanted,
        "in_trash": wanted == "TRASH",
        # Each place opens its song reel flow (brief, lyrics, song, lyric video).
        "places": place_selectors.places_for(user=request.user)[:LIST_LIMIT],
    }
    return render(request, "studio/home.html", context)


@login_required
def new_reel(request: HttpRequest) -> HttpResponse:
    language = "ko" if request.LANGUAGE_CODE == "ko" else "en"
    context = {
        "languages": Language.choices,
        "language": language,
        "aspects": Aspect.choices,
        "styles": STYLES,
        "captions": CaptionPreset.choices,
        "voices": voice_rows(request=request),
        "left": plan_left(user=request.user),
        "business_fields": BUSINESS_FIELDS,
        "strings": {"uploading": _("Uploading %(name)s"), "free": _("free")},
    }
    return render(request, "studio/new_reel.html", context)


@login_required
def reel(request: HttpRequest, story_id: int) -> HttpResponse:
    story = selectors.story_for(user=request.user, story_id=story_id)
    song_reel = getattr(story, "song_reel", None)
    if song_reel is not None:  # a song reel's story has no scenes: its own page runs it
        return redirect("places:song-reel", place_id=song_reel.place_id)
    return render(request, "studio/reel.html", {"story": story, "strings": reel_strings()})


@login_required
def pronunciations(request: HttpRequest) -> HttpResponse:
    context = {"languages": Language.choices, "strings": pronunciation_strings()}
    return render(request, "studio/pronunciations.html", context)


@login_required
def library(request: HttpRequest) -> HttpResponse:
    reels = reel_rows(selectors.stories_for(user=request.user).order_by("-created_at")[:LIST_LIMIT])
    return render(request, "studio/library.html", {"reels": reels, "strings": library_strings()})


@login_required
def quick_clip(request: HttpRequest) -> HttpResponse:
    context = {
        "aspects": Aspect.choices,
        "languages": Language.choices,
        "language": "ko" if request.LANGUAGE_CODE == "ko" else "en",
    }
    return render(request, "studio/quick_clip.html", context)
