"""Naver Local Search (`GET /v1/search/local.json`, headers X-Naver-Client-Id and
X-Naver-Client-Secret): items with title (query words in <b> tags), link, category ("A>B"),
description, telephone, address, roadAddress, mapx, mapy (WGS84 degrees x 10^7).

Naver sends at most 5 items (display) from the first page only (start=1), and no id: a
listing's source_id is made from its coordinates and name, which stay put between searches.
Naver offers no autocomplete API; suggestions come from Kakao, or from this search."""

from __future__ import annotations

import hashlib

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

PROVIDER = "naver"
DEFAULT_BASE_URL = "https://openapi.naver.com"
MAX_DISPLAY = 5  # Naver's documented limit for local search
COORDINATE_SCALE = 10_000_000


class NaverLocalSearch:
    name = PROVIDER

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        base_url: str = "",
        timeout_s: float = 10.0,
        key_env: str = "NAVER_CLIENT_SECRET",
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout_s = float(timeout_s)
        self.key_env = key_env

    @classmethod
    def from_settings(cls, config) -> NaverLocalSearch | None:
        """Built from a providers.config.ProviderSettings (the key is the client secret; the
        client id is options.client_id or NAVER_CLIENT_ID); None (off) without both."""
        from django.conf import settings

        client_id = str(config.options.get("client_id") or settings.NAVER_CLIENT_ID)
        if not config.api_key or not client_id:
            return None
        return cls(
            client_id=client_id,
            client_secret=config.api_key,
            base_url=config.base_url,
            timeout_s=float(config.options.get("timeout_s") or settings.PROVIDER_TIMEOUT_S),
            key_env=f"NAVER_CLIENT_ID and {config.api_key_env or 'NAVER_CLIENT_SECRET'}",
        )

    def search(self, *, query: str, page: int = 1, size: int = 5) -> PlaceResults:
        """Listings matching `query` (only the first page exists). Raises
        TransientProviderError (timeouts, 429, 5xx) or PermanentProviderError."""
        if page > 1:
            return PlaceResults(provider=PROVIDER)
        params = {
            "query": query[:MAX_QUERY_CHARS],
            "display": min(max(1, size), MAX_DISPLAY),
            "start": 1,
            "sort": "random",  # Naver's "accuracy" order
        }
        with httpx.Client(timeout=http.timeout(self.timeout_s)) as client:
            response = http.request(
                client,
                "GET",
                f"{self.base_url}/v1/search/local.json",
                params=params,
                headers={
                    "X-Naver-Client-Id": self.client_id,
                    "X-Naver-Client-Secret": self.client_secret,
                },
                provider=PROVIDER,
                key_setting=self.key_env,
                max_bytes=MAX_ANSWER_BYTES,
            )
        body = http.json_body(response, provider=PROVIDER)
        items = body.get("items")
        if not isinstance(items, list):
            raise PermanentProviderError("answered without items", provider=PROVIDER)
        results = tuple(r for r in (_result(i) for i in items) if r is not None)
        try:
            total = max(0, int(body.get("total") or 0))
        except (TypeError, ValueError):
            total = len(results)
        return PlaceResults(provider=PROVIDER, results=results, total=total, is_end=True)

    def check_connection(self) -> str:
        """One search of a single result: proves the client id, secret and base URL."""
        self.search(query="카페", size=1)
        return f"connected to {self.base_url}; local search answers"


def _result(item: object) -> PlaceResult | None:
    if not isinstance(item, dict):
        return None
    name = plain_text(item.get("title"))
    if not name:
        return None
    category_path = " > ".join(p.strip() for p in plain_text(item.get("category")).split(">"))
    address = plain_text(item.get("address"))
    road = plain_text(item.get("roadAddress"))
    return PlaceResult(
        source=PROVIDER,
        source_id=source_id(name=name, mapx=item.get("mapx"), mapy=item.get("mapy")),
        name=name[:120],
        category=our_category(category_path=category_path),
        category_path=category_path[:200],
        region=region_of(address or road),
        address=(road or address)[:300],
        road_address=road[:300],
        phone=plain_text(item.get("telephone"))[:40],
        url=str(item.get("link") or "")[:500],
        description=plain_text(item.get("description"))[:2000],
        longitude=coordinate(item.get("mapx"), scale=COORDINATE_SCALE),
        latitude=coordinate(item.get("mapy"), scale=COORDINATE_SCALE),
    )


def source_id(*, name: str, mapx: object, mapy: object) -> str:
    """A stable id for a Naver listing, which has none: its position and a digest of its name."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{mapx or 0},{mapy or 0}:{digest}"[:100]
