"""A user asks for a song reel's song or its lyric video: each is one job of the reel's story,
queued after commit (places.services.song_jobs does the work on a worker):

    request_song   DRAFT (or FAILED) -> PLANNING, one SONG job     -> PLANNED once made
    request_render PLANNED / PREVIEW_READY -> PREVIEWING or FINALIZING, one LYRIC_VIDEO job
                   -> PREVIEW_READY or COMPLETED with the story's preview or final

A final is counted and charged like any reel's (billing.receivers settles it when the story
leaves FINALIZING), and costs nothing when it fails.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy

from billing import services as billing_services
from billing.pricing import usage_cost
from jobs import dispatch, metering
from jobs import services as job_services
from jobs.models import Job
from places.models import SongReel
from places.services import song_reels
from providers.base import Usage
from reelmaker.errors import InvalidRequest
from stories import services as story_services
from stories.models import Story
from stories.states import PROFILE_STEP, Profile, Status

SONG_RENDER_STEP = {str(p): step for p, step in PROFILE_STEP.items()}


def request_song(*, reel: SongReel, by=None) -> Job:
    """The reel's story -> PLANNING and one SONG job, queued after commit. Raises
    SongAlreadyMade or SongReelBusy (409), QuotaExceeded (402), TooManyQueuedJobs (429);
    nothing changes then."""
    if reel.song_id is not None:
        raise song_reels.SongAlreadyMade()
    story = ensure_story(reel)
    metering.ensure_allowed(story=story, step="plan", estimate_usd=_song_estimate(), song_reel=True)
    with transaction.atomic():
        reel = SongReel.objects.select_for_update().get(pk=reel.pk)
        if song_reels.open_job(reel) is not None:
            raise song_reels.SongReelBusy()
        story_services.transition_story(
            story_id=story.pk, to=Status.PLANNING, by=by, reason="song requested"
        )
        job = job_services.create_job(story=story, kind=Job.Kind.SONG)
        reel.error = ""
        reel.save(update_fields=["error", "updated_at"])
    dispatch.queue_story(story_id=story.pk)
    return job


def request_render(*, reel: SongReel, profile: str = Profile.PREVIEW, by=None) -> Job:
    """The reel's story -> PREVIEWING or FINALIZING and one LYRIC_VIDEO job at `profile`,
    queued after commit; a final takes one of the month's reels. Raises InvalidRequest (no
    song or no photo), SongReelBusy or IllegalTransition (409), QuotaExceeded (402)."""
    if reel.song_id is None or not reel.words:
        raise InvalidRequest(gettext_lazy("Make the song before rendering the lyric video."))
    if not reel.place.photos.exists():
        raise InvalidRequest(gettext_lazy("Add at least one photo to the place first."))
    story = ensure_story(reel)
    metering.ensure_allowed(
        story=story, step=str(profile), estimate_usd=Decimal("0"), song_reel=True
    )
    with transaction.atomic():
        reel = SongReel.objects.select_for_update().get(pk=reel.pk)
        if song_reels.open_job(reel) is not None:
            raise song_reels.SongReelBusy()
        story = story_services.transition_story(
            story_id=story.pk, to=SONG_RENDER_STEP[profile], by=by, reason=f"{profile} requested"
        )
        if profile == Profile.FINAL:
            billing_services.count_final_reel(story=story)
        job = job_services.create_job(story=story, kind=Job.Kind.LYRIC_VIDEO, profile=profile)
    dispatch.queue_story(story_id=story.pk)
    return job


def ensure_story(reel: SongReel) -> Story:
    """The reel's story; a reel made before song reels had stories gets one now."""
    if reel.story is not None:
        return reel.story
    with transaction.atomic():
        locked = SongReel.objects.select_for_update().get(pk=reel.pk)
        if locked.story is None:
            locked.story = song_reels.story_for(locked, aspect="9:16")
            locked.save(update_fields=["story", "updated_at"])
            if locked.song_id is not None:  # its song was made in a request back then
                for step in (Status.PLANNING, Status.PLANNED):
                    story_services.transition_story(
                        story_id=locked.story.pk, to=step, reason="song made before"
                    )
        reel.story = locked.story
        return locked.story


def _song_estimate() -> Decimal:
    """One song from the configured gateway, priced from ProviderPrice (offline: nothing)."""
    if settings.REELMAKER_SONG != "suno":
        return Decimal("0")
    return usage_cost(Usage(provider="suno", model=settings.SUNO_MODEL, units=1, unit="songs"))
