"""Finding a business through an official local search API (Kakao Local, Naver Local Search)
and importing the listing it picked as a Place.

    found = search_places(query="연남동 카페")                        # not saved yet
    token = import_token(owner=user, result=found.results[0])      # sent with each result
    place, created = import_result(owner=user, token=token)

Each result a user sees carries a token signed with the server's key: the listing as the
service sent it, for that user, good for an hour. The import saves what the token holds, not
what a client says the service sent, and needs no state on the server, so a search answered
by one web process imports through any other. Importing a listing already imported returns
that Place unchanged (created is False): a Place is unique per owner, source and source id.
Without a configured service every call is a 400 NOT_CONFIGURED naming the settings to set.
"""

from __future__ import annotations

from django.core import signing
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
SIGNING_SALT = "places.search-result"  # keeps these signatures apart from any other use of the key
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


def import_token(*, owner, result: PlaceResult) -> str:
    """The token that imports `result` for `owner` within RESULT_TTL_S (see import_result)."""
    return signing.dumps(
        {"owner": owner.pk, "listing": result.to_json()}, salt=SIGNING_SALT, compress=True
    )


def _searched(provider, *, query: str, page: int, size: int) -> PlaceResults:
    """One search, asked again while the service's errors are transient and a short wait is
    enough (providers.retries): a person is waiting."""
    return call_with_retries(
        lambda: provider.search(query=query.strip(), page=page, size=size),
        name=f"place search {provider.name}",
    )


def search_places(*, query: str, provider: str = "", page: int = 1) -> PlaceResults:
    """Listings for `query` from `provider` (default: the first configured); each imports with
    its import_token. Raises PlaceSearchNotConfigured, or the service's ProviderError (502)."""
    return _searched(_provider(provider), query=query, page=page, size=10)


def suggest_places(*, query: str) -> PlaceResults:
    """A few listings for a search box as the user types: Kakao keyword search with a small
    size when Kakao is configured, else Naver's local search (neither service has an
    autocomplete API)."""
    ready = {p.name: p for p in place_search_providers()}
    name = next((n for n in SUGGESTION_ORDER if n in ready), "")
    if not name:
        raise PlaceSearchNotConfigured(providers=list(SETTINGS_NEEDED))
    return _searched(ready[name], query=query, page=1, size=SUGGESTIONS)


def import_result(*, owner, token: str, language: str = "") -> tuple[Place, bool]:
    """The owner's Place made from the listing `token` holds (import_token, at most an hour
    old, made for this owner): (place, True), or (their existing place, False) when it was
    imported before. Raises SearchResultExpired."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=RESULT_TTL_S)
    except signing.BadSignature:  # tampered, cut short or expired (SignatureExpired)
        data = None
    if not isinstance(data, dict) or data.get("owner") != owner.pk:
        expired = SearchResultExpired()
        expired.details = {"fields": {"token": [str(expired.message)]}}
        raise expired
    result = PlaceResult.from_json(data["listing"])
    source, source_id = result.source, result.source_id
    existing = Place.objects.filter(owner=owner, source=source, source_id=source_id).first()
    if existing is not None:
        return existing, False
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
