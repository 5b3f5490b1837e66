"""A song reel's lyrics from the configured writer: OpenAI (structured output, checked by the
offline writer's sizing rules, asked again once) when the writer is OpenAI, else the offline
templates (providers.writer.song_lyrics)."""

from __future__ import annotations

from billing import services as billing_services
from places.models import MarketingBrief, Place
from places.services.places import place_facts
from providers.base import ProviderError
from providers.registry import get_song_writer
from providers.writer.song_lyrics import Lyrics, song_shape, write_lyrics
from reelmaker.errors import ExternalApiError


def write_reel_lyrics(*, place: Place, language: str, duration_s: float, bpm: int) -> Lyrics:
    """Lyrics of `place` for a song of `duration_s` at `bpm`. Raises PermanentProviderError
    for a length or tempo no line fits (the caller's 400, before any call) and
    ExternalApiError (502) when the model fails or breaks the rules twice."""
    facts = place_facts(place)
    writer = get_song_writer()
    if writer is None:
        return write_lyrics(place=facts, language=language, duration_s=duration_s, bpm=bpm)
    song_shape(duration_s=duration_s, bpm=bpm)  # a length no line fits fails before any call
    brief = MarketingBrief.objects.filter(place=place, language=language).first()
    try:
        lyrics, usage = writer.write_lyrics(
            place=facts,
            language=language,
            duration_s=duration_s,
            bpm=bpm,
            brief=brief.data if brief else None,
        )
    except ProviderError as exc:
        billing_services.record_usage(user_id=place.owner_id, usage=getattr(exc, "usage", None))
        # A DomainError, not a ProviderError: callers that turn the offline writer's refusals
        # into 400s must still show a failing model as the outside failure it is.
        raise ExternalApiError(details={"provider": exc.provider, "reason": exc.message}) from exc
    billing_services.record_usage(user_id=place.owner_id, usage=usage)
    return lyrics
