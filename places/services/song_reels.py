"""Song reels: lyrics written (and editable) first, then the song, then the lyric video.

reel = start_song_reel(owner=user, place=place, language="th", duration_s=15)
edit_lyrics(reel=reel, sections=[...], mood="calm")  # until the song is made
make_song(reel=reel)                        # offline: the chanted sketch (providers.song)
render_song_reel(reel=reel)                 # places.services.lyric_video

Each reel has a story of its own (start_song_reel makes it): the API and the studio run the
song and the render as jobs of that story (places.services.song_jobs), so its events,
webhooks, final media, billing and publishing work as for a narrated reel.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status

from billing import services as billing_services
from jobs.models import Job
from jobs.services import OPEN
from media.models import Asset
from media.services import save_asset, sha256_of
from places.models import Place, SongReel
from places.services.lyrics import write_reel_lyrics
from providers.base import PermanentProviderError, ProviderError, TransientProviderError
from providers.registry import get_song_provider
from providers.song.base import SongRequest
from providers.song.suno import SongTimedOut
from providers.writer.song_lyrics import Lyrics, count_syllables, song_shape
from reelmaker.errors import DomainError, InvalidRequest
from render.lyric_video import END_CARD_MS
from stories.models import Story

SKETCH_NOTE = gettext_lazy(
    "This song is a sketch: each line is chanted by a speech voice on the chord's root, not "
    "sung. Configure a song provider for a sung vocal."
)
MAX_LINE_CHARS = 60


class SongAlreadyMade(DomainError):
    code = "ILLEGAL_TRANSITION"
    http_status = status.HTTP_409_CONFLICT
    default_message = gettext_lazy(
        "The song is made; lyrics can no longer change. Start a new song reel."
    )


class SongReelBusy(DomainError):
    code = "ALREADY_RUNNING"
    http_status = status.HTTP_409_CONFLICT
    default_message = gettext_lazy(
        "The song or the video of this reel is being made. Wait until it finishes."
    )


def song_ms(reel: SongReel) -> int:
    """The song's length: the reel's, as asked; its last END_CARD_MS ring out under the end
    card (see sung_s)."""
    return reel.duration_s * 1000


def sung_s(duration_s: int) -> float:
    """The seconds of a reel of `duration_s` its lyrics are sung in: the end card takes the
    rest, so the reel is as long as asked."""
    return duration_s - END_CARD_MS / 1000


@transaction.atomic
def start_song_reel(
    *, owner, place: Place, aspect: str = "9:16", callback_url: str = "", **attributes
) -> SongReel:
    """A new song reel of `place` with lyrics for its language, length and tempo (from the
    configured writer, places.services.lyrics: OpenAI, else the offline templates), and
    the story that will carry its jobs (told to `callback_url` when it completes or fails).
    Raises QuotaExceeded (402) as a new story would."""
    billing_services.ensure_quota(user=owner, step="create")
    reel = SongReel(owner=owner, place=place, **attributes)
    reel.language = reel.language or place.language
    try:
        lyrics = write_reel_lyrics(
            place=place, language=reel.language, duration_s=sung_s(reel.duration_s), bpm=reel.tempo
        )
    except PermanentProviderError as exc:
        raise InvalidRequest(exc.message) from None
    reel.lyrics = lyrics.to_json()
    reel.story = story_for(reel, aspect=aspect, callback_url=callback_url)
    reel.save()
    return reel


def story_for(reel: SongReel, *, aspect: str, callback_url: str = "") -> Story:
    """The reel's story: the place's name as its keyword. Made here rather than by
    stories.services.create_story, whose brief check knows only the narrated reels' languages
    (ko, en): a song reel's story speaks any of the six song languages."""
    return Story.objects.create(
        owner=reel.owner,
        keyword=reel.place.name[:200],
        title=reel.place.name[:200],
        language=reel.language,
        duration_s=reel.duration_s,
        aspect=aspect,
        caption_style="karaoke",
        callback_url=callback_url,
    )


def open_job(reel: SongReel) -> Job | None:
    """The reel's queued or running job (its song or its render), if any."""
    if reel.story_id is None:
        return None
    return Job.objects.filter(story_id=reel.story_id, status__in=OPEN).order_by("-pk").first()


def latest_job(reel: SongReel) -> Job | None:
    """The reel's latest song or render job."""
    if reel.story_id is None:
        return None
    kinds = (Job.Kind.SONG, Job.Kind.LYRIC_VIDEO)
    return Job.objects.filter(story_id=reel.story_id, kind__in=kinds).order_by("-pk").first()


def status_of(reel: SongReel) -> str:
    """The stored status, or MAKING / RENDERING while a job works on the reel, or FAILED when
    its last job failed or was canceled (a lost worker, a cancel: no chance to say so)."""
    job = latest_job(reel)
    if job is None:
        return reel.status
    if job.status in OPEN:
        making = job.kind == Job.Kind.SONG
        return SongReel.Status.MAKING if making else SongReel.Status.RENDERING
    if job.status in (Job.Status.FAILED, Job.Status.CANCELED):
        return SongReel.Status.FAILED
    return reel.status


def lyrics_problems(lyrics: Lyrics, *, duration_s: int) -> list[str]:
    """What keeps edited lyrics from being sung in time in a reel of `duration_s`: too many
    lines, an empty or over-long line. (Syllables outside 8-12 are allowed: the chant fits
    any line.)"""
    shape = song_shape(duration_s=sung_s(duration_s), bpm=lyrics.bpm)
    lines = lyrics.lines()
    problems = []
    if not lines:
        problems.append(_("The lyrics have no lines."))
    if len(lines) > shape.lines:
        problems.append(
            _("%(count)d lines do not fit: at most %(max)d at this tempo and length.")
            % {"count": len(lines), "max": shape.lines}
        )
    for _section, line in lines:
        if not line.strip() or len(line) > MAX_LINE_CHARS:
            problems.append(
                _("Each line needs 1 to %(max)d characters: %(line)r.")
                % {"max": MAX_LINE_CHARS, "line": line}
            )
    return problems


SONG_ATTRIBUTES = ("genre", "vocal", "tempo", "mood")


@transaction.atomic
def edit_lyrics(*, reel: SongReel, sections: list[dict] | None = None, **attributes) -> SongReel:
    """Replace the lyrics' sections and/or the song's attributes (genre, vocal, tempo, mood):
    the lyrics are checked again at the new tempo. Refused once the song is made, or while it
    is being made (409)."""
    reel = SongReel.objects.select_for_update().get(pk=reel.pk)
    if reel.song_id is not None:
        raise SongAlreadyMade()
    if open_job(reel) is not None:
        raise SongReelBusy()
    for name, value in attributes.items():
        if name not in SONG_ATTRIBUTES:
            raise TypeError(f"not a song attribute: {name}")
        setattr(reel, name, value)
    if sections is None:
        sections = reel.lyrics.get("sections", [])
    lyrics = Lyrics.from_json({"language": reel.language, "bpm": reel.tempo, "sections": sections})
    problems = lyrics_problems(lyrics, duration_s=reel.duration_s)
    if problems:
        raise InvalidRequest(" ".join(problems), details={"fields": {"sections": problems}})
    reel.lyrics = lyrics.to_json()
    reel.status, reel.error = SongReel.Status.LYRICS, ""
    reel.gateway_task_id = ""  # new words or sound: a task for the old ones must not be resumed
    reel.save()
    return reel


def syllables(reel: SongReel) -> list[int]:
    """Syllables per line, for the editor to show beside each line."""
    lyrics = Lyrics.from_json(reel.lyrics)
    return [count_syllables(line, lyrics.language) for _s, line in lyrics.lines()]


def make_song(*, reel: SongReel, job: Job | None = None, on_progress=None) -> SongReel:
    """Make the song (the configured provider; offline, the chanted sketch) and store it; the
    reel's status says SONG. A gateway's task id is kept on the reel as soon as it is accepted,
    so a retry polls that task again. A failure (a refusal, a timeout) leaves the lyrics as
    they were, says why in `error` and raises the provider's error (400 refusal, 502
    otherwise); a transient one (the job retries it) changes nothing."""
    if reel.song_id is not None:
        raise SongAlreadyMade()
    request = SongRequest(
        lyrics=Lyrics.from_json(reel.lyrics),
        genre=reel.genre,
        vocal=reel.vocal,
        mood=reel.mood,
        duration_ms=song_ms(reel),
    )

    def keep_task(task_id: str) -> None:
        reel.gateway_task_id = task_id[:100]
        SongReel.objects.filter(pk=reel.pk).update(gateway_task_id=reel.gateway_task_id)

    with tempfile.TemporaryDirectory(prefix="song-") as tmp:
        try:
            result = get_song_provider().make(
                request,
                out_dir=Path(tmp),
                task_id=reel.gateway_task_id,
                on_task=keep_task,
                on_progress=on_progress,
            )
        except ProviderError as exc:
            _song_failed(reel, exc)
            raise
        asset = _store_song(reel, result)
    if reel.story_id is not None:
        billing_services.record_usage(usage=result.usage, story=reel.story, job=job)
    reel.song = asset
    reel.provider = result.provider
    reel.sketch = result.sketch
    reel.words = [w.to_json() for w in result.words]
    reel.lines = [line.to_json() for line in result.lines]
    reel.status, reel.error = SongReel.Status.SONG, ""
    reel.save()
    return reel


def _song_failed(reel: SongReel, exc: ProviderError) -> None:
    """Say why on the reel. A timeout keeps the gateway's task (a retry polls it again); a
    refusal or a failed task drops it, so edited lyrics make a new one."""
    if isinstance(exc, TransientProviderError) and not isinstance(exc, SongTimedOut):
        return
    if not isinstance(exc, SongTimedOut):
        reel.gateway_task_id = ""
    reel.status, reel.error = SongReel.Status.FAILED, exc.message
    reel.save(update_fields=["status", "error", "gateway_task_id", "updated_at"])


def _store_song(reel: SongReel, result) -> Asset:
    if reel.story is not None:
        return save_asset(
            owner=reel.owner,
            story=reel.story,
            kind=Asset.Kind.MUSIC,
            path=result.audio_path,
            mime_type="audio/wav",
            duration_ms=result.duration_ms,
            source_provider=result.provider,
        )
    return store_file(
        owner=reel.owner,
        path=result.audio_path,
        kind=Asset.Kind.MUSIC,
        mime_type="audio/wav",
        name=f"song-reels/{reel.pk}/song",
        duration_ms=result.duration_ms,
        source_provider=result.provider,
    )


def store_file(
    *,
    owner,
    path: Path,
    kind: str,
    mime_type: str,
    name: str,
    duration_ms: int | None = None,
    source_provider: str = "",
) -> Asset:
    """Store a file this app made as an Asset of `owner` (no story)."""
    digest = sha256_of(path)
    with path.open("rb") as fh:
        stored = default_storage.save(f"{name}-{digest[:16]}{path.suffix}", File(fh))
    return Asset.objects.create(
        owner=owner,
        kind=kind,
        file=stored,
        mime_type=mime_type,
        bytes=path.stat().st_size,
        sha256=digest,
        duration_ms=duration_ms,
        source_provider=source_provider,
    )
