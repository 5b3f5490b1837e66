"""Kakao Local keyword search (`GET /v2/local/search/keyword.json`, header
`Authorization: KakaoAK {REST API key}`): documents with id, place_name, category_name,
category_group_code, phone, address_name, road_address_name, x, y, place_url; meta with
total_count, pageable_count and is_end. Also the autocomplete: Kakao has no suggestion API
either, so suggestions are this search with a small size."""

from __future__ import annotations

import httpx

from providers import http
from providers.base import PermanentProviderError
from providers.place_search.base import (
    MAX_ANSWER_BYTES,
    MAX_QUERY_CHARS,
    PlaceResult,
    PlaceResults,
    coordinate,
    our_category,
    plain_text,
    region_of,
)

PROVIDER = "kakao"
DEFAULT_BASE_URL = "https://dapi.kakao.com"
MAX_SIZE, MAX_PAGE = 15, 45  # Kakao's documented limits


class KakaoLocalSearch:
    name = PROVIDER

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = "",
        timeout_s: float = 10.0,
        key_env: str = "KAKAO_REST_API_KEY",
    ):
        self.api_key = api_key
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout_s = float(timeout_s)
        self.key_env = key_env

    @classmethod
    def from_settings(cls, config) -> KakaoLocalSearch | None:
        """Built from a providers.config.ProviderSettings; None (off) without the key."""
        from django.conf import settings

        if not config.api_key:
            return None
        return cls(
            api_key=config.api_key,
            base_url=config.base_url,
            timeout_s=float(config.options.get("timeout_s") or settings.PROVIDER_TIMEOUT_S),
            key_env=config.api_key_env or "KAKAO_REST_API_KEY",
        )

    def search(self, *, query: str, page: int = 1, size: int = 5) -> PlaceResults:
        """Listings matching `query`. Raises TransientProviderError (timeouts, 429, 5xx) or
        PermanentProviderError (a refused key, a garbage answer)."""
        params = {
            "query": query[:MAX_QUERY_CHARS],
            "page": min(max(1, page), MAX_PAGE),
            "size": min(max(1, size), MAX_SIZE),
        }
        with httpx.Client(timeout=http.timeout(self.timeout_s)) as client:
            response = http.request(
                client,
                "GET",
                f"{self.base_url}/v2/local/search/keyword.json",
                params=params,
                headers={"Authorization": f"KakaoAK {self.api_key}"},
                provider=PROVIDER,
                key_setting=self.key_env,
                max_bytes=MAX_ANSWER_BYTES,
            )
        body = http.json_body(response, provider=PROVIDER)
        documents, meta = body.get("documents"), body.get("meta")
        if not isinstance(documents, list) or not isinstance(meta, dict):
            raise PermanentProviderError("answered without documents and meta", provider=PROVIDER)
        results = tuple(r for r in (_result(d) for d in documents) if r is not None)
        return PlaceResults(
            provider=PROVIDER,
            results=results,
            total=_int(meta.get("total_count")),
            is_end=bool(meta.get("is_end", True)),
        )

    def check_connection(self) -> str:
        """One search of a single result: proves the key and the base URL."""
        self.search(query="카페", size=1)
        return f"connected to {self.base_url}; keyword search answers"


def _result(doc: object) -> PlaceResult | None:
    if not isinstance(doc, dict) or not doc.get("id") or not doc.get("place_name"):
        return None  # a listing without an id cannot be imported again without duplicating
    category_path = plain_text(doc.get("category_name"))
    address = plain_text(doc.get("address_name"))
    road = plain_text(doc.get("road_address_name"))
    return PlaceResult(
        source=PROVIDER,
        source_id=str(doc["id"])[:100],
        name=plain_text(doc["place_name"])[:120],
        category=our_category(
            category_path=category_path, group_code=str(doc.get("category_group_code") or "")
        ),
        category_path=category_path[:200],
        region=region_of(address or road),
        address=(road or address)[:300],
        road_address=road[:300],
        phone=plain_text(doc.get("phone"))[:40],
        url=str(doc.get("place_url") or "")[:500],
        longitude=coordinate(doc.get("x")),
        latitude=coordinate(doc.get("y")),
    )


def _int(value: object) -> int:
    try:
        return max(0, int(str(value)))
    except (TypeError, ValueError):
        return 0
