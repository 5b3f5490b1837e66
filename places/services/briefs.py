"""The stored marketing brief of a place, one per language, (re)generated on request."""

from __future__ import annotations

from places.models import MarketingBrief, Place
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
    """Write (or rewrite) the place's brief in `language`; the stored one is replaced."""
    report = marketing.offline_brief(place_info(place), language=language)
    brief, _ = MarketingBrief.objects.update_or_create(
        place=place,
        language=language,
        defaults={"data": report, "provider": marketing.PROVIDER},
    )
    return brief


def brief_for(*, place: Place, language: str) -> MarketingBrief:
    """The stored brief in `language`, written now when there is none yet."""
    found = MarketingBrief.objects.filter(place=place, language=language).first()
    return found or generate_brief(place=place, language=language)
