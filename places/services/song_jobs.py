"""A song reel's song and lyric video as jobs of its story (places.services.song_requests
queues them): jobs.handlers runs `run_song_job` and `run_lyric_video_job` under the jobs
machinery (leases, retries, the reaper, the admin's retry, progress and status events), and
jobs.pipeline.advance_story moves the story on when one succeeded.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework import status

from jobs.models import Job
from places.models import SongReel
from places.services import lyric_video, song_reels
from providers.song.suno import SongRefused, SongTimedOut
from reelmaker.errors import DomainError
from stories.events import record_event
from stories.models import Event
from stories.states import Profile


class SongRefusedByPolicy(DomainError):
    code = "SONG_REFUSED"
    http_status = status.HTTP_400_BAD_REQUEST
    default_message = gettext_lazy(
        "The song service refused these lyrics under its content policy. Edit the lyrics and "
        "make the song again."
    )


class SongTimeout(DomainError):
    code = "SONG_TIMEOUT"
    http_status = status.HTTP_504_GATEWAY_TIMEOUT
    default_message = gettext_lazy(
        "The song service did not finish the song in time. Retry: the same song is waited "
        "for again, not ordered twice."
    )


# ---------------------------------------------------------------- a worker runs the job


def reel_of(job: Job) -> SongReel:
    return SongReel.objects.select_related("place", "owner", "story").get(
        story_id=job.step_story_id
    )


def run_song_job(job: Job, *, on_progress=None) -> dict:
    """The SONG job: make the song (polling a gateway inside the job, resuming the task an
    earlier try started). A content-policy refusal is SONG_REFUSED and a timeout SONG_TIMEOUT
    (the job fails; a retry polls the same task); a transient error is retried by the job."""
    reel = reel_of(job)
    if reel.song_id is not None:  # made by an earlier run whose result was not recorded
        return {"provider": reel.provider, "output": reel.song}
    try:
        reel = song_reels.make_song(reel=reel, job=job, on_progress=on_progress)
    except SongRefused as exc:
        raise SongRefusedByPolicy(
            gettext_lazy("The song service refused these lyrics under its content policy: %s")
            % exc.message
        ) from exc
    except SongTimedOut as exc:
        raise SongTimeout() from exc
    cost = sum((r.cost_usd for r in job.usage.all()), Decimal("0"))
    return {"provider": reel.provider, "cost_usd": cost, "output": reel.song}


def run_lyric_video_job(job: Job) -> dict:
    """The LYRIC_VIDEO job: render and judge the lyric video, then make it the story's preview
    or final with a thumbnail and captions; the QC verdict is a `qc` event of the story
    either way."""
    reel = reel_of(job)
    try:
        reel = lyric_video.render_song_reel(
            reel=reel,
            profile=job.profile or Profile.PREVIEW,
            aspect=reel.story.aspect if reel.story else "9:16",
            to_story=True,
        )
    finally:
        _record_qc(job, SongReel.objects.values_list("qc", flat=True).get(pk=reel.pk))
    return {"provider": reel.provider, "output": reel.video}


def _record_qc(job: Job, qc: dict) -> None:
    if not qc:
        return
    record_event(
        story_id=job.story_id,
        kind=Event.Kind.QC,
        payload={
            "profile": job.profile,
            "status": qc.get("status", ""),
            "failed": list(qc.get("failed", [])),
            "warned": [c["name"] for c in qc.get("checks", []) if c.get("status") == "WARN"],
            "rerendered": False,
        },
    )
