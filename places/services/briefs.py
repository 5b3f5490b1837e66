"""The stored marketing brief of a place, one per language, (re)generated on request: by
OpenAI (structured output, checked against the brief's schema) when the writer is OpenAI,
else from the offline rules and templates."""

from __future__ import annotations

from billing import services as billing_services
from places.models import MarketingBrief, Place
from providers.base import ProviderError
from providers.registry import get_song_writer
from providers.writer import marketing


def place_info(place: Place) -> marketing.PlaceInfo:
    return marketing.PlaceInfo(
        name=place.name,
        category=place.category,
        region=place.region,
        detail=place.detail,
        description=place.description,
        facilities=tuple(str(f) for f in place.facilities),
        offer=place.offer,
    )


def generate_brief(*, place: Place, language: str) -> MarketingBrief:
    """Write (or rewrite) the place's brief in `language`; the stored one is replaced only
    once a new one is written (a provider's failure keeps it and raises the ProviderError)."""
    writer = get_song_writer()
    if writer is None:
        report = marketing.offline_brief(place_info(place), language=language)
        provider = marketing.PROVIDER
    else:
        try:
            report, usage = writer.write_brief(place=place_info(place), language=language)
        except ProviderError as exc:
            billing_services.record_usage(user_id=place.owner_id, usage=getattr(exc, "usage", None))
            raise
        billing_services.record_usage(user_id=place.owner_id, usage=usage)
        provider = usage.provider
    brief, _ = MarketingBrief.objects.update_or_create(
        place=place,
        language=language,
        defaults={"data": report, "provider": provider},
    )
    return brief


def brief_for(*, place: Place, language: str) -> MarketingBrief:
    """The stored brief in `language`, written now when there is none yet."""
    found = MarketingBrief.objects.filter(place=place, language=language).first()
    return found or generate_brief(place=place, language=language)
