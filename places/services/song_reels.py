"""Song reels: lyrics written (and editable) first, then the song, then the lyric video.

reel = start_song_reel(owner=user, place=place, language="th", duration_s=15)
edit_lyrics(reel=reel, lyrics={...})        # until the song is made
make_song(reel=reel)                        # offline: the chanted sketch (providers.song)
render_song_reel(reel=reel)                 # places.services.lyric_video
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status

from billing.models import UsageRecord
from billing.pricing import usage_cost
from media.models import Asset
from media.services import sha256_of
from places.models import Place, SongReel
from places.services.lyrics import write_reel_lyrics
from providers.base import PermanentProviderError, ProviderError, Usage
from providers.registry import get_song_provider
from providers.song.base import SongRequest
from providers.writer.song_lyrics import Lyrics, count_syllables, song_shape
from reelmaker.errors import DomainError, InvalidRequest
from render.lyric_video import END_CARD_MS

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


def song_ms(reel: SongReel) -> int:
    """The song's length: the reel's, plus the end card the song rings out under."""
    return reel.duration_s * 1000 + END_CARD_MS


def start_song_reel(*, owner, place: Place, **attributes) -> SongReel:
    """A new song reel of `place` with lyrics for its language, length and tempo, from the
    configured writer (places.services.lyrics: OpenAI, else the offline templates)."""
    reel = SongReel(owner=owner, place=place, **attributes)
    reel.language = reel.language or place.language
    try:
        lyrics = write_reel_lyrics(
            place=place, language=reel.language, duration_s=reel.duration_s, bpm=reel.tempo
        )
    except PermanentProviderError as exc:
        raise InvalidRequest(exc.message) from None
    reel.lyrics = lyrics.to_json()
    reel.save()
    return reel


def lyrics_problems(lyrics: Lyrics, *, duration_s: int) -> list[str]:
    """What keeps edited lyrics from being sung in time: too many lines, an empty or
    over-long line. (Syllables outside 8-12 are allowed: the chant fits any line.)"""
    shape = song_shape(duration_s=duration_s, bpm=lyrics.bpm)
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


@transaction.atomic
def edit_lyrics(*, reel: SongReel, sections: list[dict]) -> SongReel:
    """Replace the lyrics' sections; refused once the song is made (409)."""
    reel = SongReel.objects.select_for_update().get(pk=reel.pk)
    if reel.song_id is not None:
        raise SongAlreadyMade()
    lyrics = Lyrics.from_json({"language": reel.language, "bpm": reel.tempo, "sections": sections})
    problems = lyrics_problems(lyrics, duration_s=reel.duration_s)
    if problems:
        raise InvalidRequest(" ".join(problems), details={"fields": {"sections": problems}})
    reel.lyrics = lyrics.to_json()
    reel.status, reel.error = SongReel.Status.LYRICS, ""
    reel.save(update_fields=["lyrics", "status", "error", "updated_at"])
    return reel


def syllables(reel: SongReel) -> list[int]:
    """Syllables per line, for the editor to show beside each line."""
    lyrics = Lyrics.from_json(reel.lyrics)
    return [count_syllables(line, lyrics.language) for _s, line in lyrics.lines()]


def make_song(*, reel: SongReel) -> SongReel:
    """Make the song (the configured provider; offline, the chanted sketch) and store it; the
    reel's status says SONG. A failure (a refusal, a timeout) leaves the lyrics as they were,
    says why in `error` and raises the provider's error (400 refusal, 502 otherwise)."""
    if reel.song_id is not None:
        raise SongAlreadyMade()
    request = SongRequest(
        lyrics=Lyrics.from_json(reel.lyrics),
        genre=reel.genre,
        vocal=reel.vocal,
        mood=reel.mood,
        duration_ms=song_ms(reel),
    )
    with tempfile.TemporaryDirectory(prefix="song-") as tmp:
        try:
            result = get_song_provider().make(request, out_dir=Path(tmp))
        except ProviderError as exc:
            reel.status, reel.error = SongReel.Status.FAILED, exc.message
            reel.save(update_fields=["status", "error", "updated_at"])
            raise
        asset = store_file(
            owner=reel.owner,
            path=result.audio_path,
            kind=Asset.Kind.MUSIC,
            mime_type="audio/wav",
            name=f"song-reels/{reel.pk}/song",
            duration_ms=result.duration_ms,
            source_provider=result.provider,
        )
    _record_usage(reel, result.usage)
    reel.song = asset
    reel.provider = result.provider
    reel.sketch = result.sketch
    reel.words = [w.to_json() for w in result.words]
    reel.lines = [line.to_json() for line in result.lines]
    reel.status, reel.error = SongReel.Status.SONG, ""
    reel.save()
    return reel


def _record_usage(reel: SongReel, usage: Usage | None) -> None:
    """What the song cost, priced from ProviderPrice (a song reel has no story)."""
    if usage is None:
        return
    UsageRecord.objects.create(
        user=reel.owner,
        provider=usage.provider,
        model=usage.model,
        unit=usage.unit,
        units=Decimal(str(usage.units)),
        cost_usd=usage_cost(usage),
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
