"""Finding a business through an official local search API (Kakao Local, Naver Local Search)
and importing the listing it picked as a Place.

    found = search_places(owner=user, query="연남동 카페")            # not saved yet
    place, created = import_result(owner=user, source="kakao", source_id="26338954")

Results a user saw are kept for an hour (per user, in the cache) so that the import saves
what the service sent, not what a client says it sent. Importing a listing already imported
returns that Place unchanged (created is False): a Place is unique per owner, source and
source id. Without a configured service every call is a 400 NOT_CONFIGURED naming the
settings to set.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status

from places.models import Place
from providers.place_search.base import PlaceResult, PlaceResults
from providers.registry import place_search_providers
from providers.retries import call_with_retries
from reelmaker.errors import DomainError, InvalidRequest

RESULT_TTL_S = 3600
SUGGESTIONS = 5
# Kakao first for suggestions: its search pages and ranks by relevance; Naver has no
# autocomplete API and sends at most five listings.
SUGGESTION_ORDER = ("kakao", "naver")
SETTINGS_NEEDED = {
    "kakao": ["REELMAKER_PLACE_SEARCH", "KAKAO_REST_API_KEY"],
    "naver": ["REELMAKER_PLACE_SEARCH", "NAVER_CLIENT_ID", "NAVER_CLIENT_SECRET"],
}


class PlaceSearchNotConfigured(DomainError):
    """No place search service (or not the one asked for) has its keys set."""

    code = "NOT_CONFIGURED"
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, *, providers: list[str]):
        needed = sorted({name for p in providers for name in SETTINGS_NEEDED[p]})
        super().__init__(
            _(
                "Place search is not configured on this server: set %(settings)s in the "
                "environment and restart, or add the place by its details."
            )
            % {"settings": ", ".join(needed)},
            details={"platforms": providers, "settings": needed},
        )


class SearchResultExpired(InvalidRequest):
    default_message = gettext_lazy(
        "This search result is not among your searches of the last hour: search again and "
        "import a result from the new list."
    )


def _provider(name: str = ""):
    ready = {p.name: p for p in place_search_providers()}
    if name:
        if name not in ready:
            raise PlaceSearchNotConfigured(providers=[name])
        return ready[name]
    if not ready:
        raise PlaceSearchNotConfigured(providers=list(SETTINGS_NEEDED))
    return next(iter(ready.values()))


def _key(owner_id: int, source: str, source_id: str) -> str:
    digest = hashlib.sha256(f"{owner_id}:{source}:{source_id}".encode()).hexdigest()
    return f"place-search:{digest}"


def _remember(owner, found: PlaceResults) -> None:
    cache.set_many(
        {_key(owner.pk, r.source, r.source_id): r.to_json() for r in found.results},
        timeout=RESULT_TTL_S,
    )


def _searched(provider, *, query: str, page: int, size: int) -> PlaceResults:
    """One search, asked again while the service's errors are transient and a short wait is
    enough (providers.retries): a person is waiting."""
    return call_with_retries(
        lambda: provider.search(query=query.strip(), page=page, size=size),
        name=f"place search {provider.name}",
    )


def search_places(*, owner, query: str, provider: str = "", page: int = 1) -> PlaceResults:
    """Listings for `query` from `provider` (default: the first configured), kept an hour for
    import. Raises PlaceSearchNotConfigured, or the service's ProviderError (502)."""
    found = _searched(_provider(provider), query=query, page=page, size=10)
    _remember(owner, found)
    return found


def suggest_places(*, owner, query: str) -> PlaceResults:
    """A few listings for a search box as the user types: Kakao keyword search with a small
    size when Kakao is configured, else Naver's local search (neither service has an
    autocomplete API)."""
    ready = {p.name: p for p in place_search_providers()}
    name = next((n for n in SUGGESTION_ORDER if n in ready), "")
    if not name:
        raise PlaceSearchNotConfigured(providers=list(SETTINGS_NEEDED))
    found = _searched(ready[name], query=query, page=1, size=SUGGESTIONS)
    _remember(owner, found)
    return found


def import_result(*, owner, source: str, source_id: str, language: str = "") -> tuple[Place, bool]:
    """The owner's Place made from a listing they found in the last hour: (place, True), or
    (their existing place, False) when it was imported before. Raises SearchResultExpired."""
    existing = Place.objects.filter(owner=owner, source=source, source_id=source_id).first()
    if existing is not None:
        return existing, False
    data = cache.get(_key(owner.pk, source, source_id))
    if not isinstance(data, dict):
        expired = SearchResultExpired()
        expired.details = {"fields": {"source_id": [str(expired.message)]}}
        raise expired
    result = PlaceResult.from_json(data)
    try:
        with transaction.atomic():
            place = Place.objects.create(
                owner=owner,
                source=source,
                source_id=source_id,
                name=result.name,
                category=result.category,
                region=result.region or result.address[:80],
                detail=result.category_path,
                address=result.address,
                phone=result.phone,
                description=result.description,
                **({"language": language} if language else {}),
            )
    except IntegrityError:
        # A second request importing the same listing won the race: return its place.
        return Place.objects.get(owner=owner, source=source, source_id=source_id), False
    return place, True
