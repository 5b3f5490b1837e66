"""Unsplash photo search (documented HTTP API, portrait), with the required download tracking.

GET {base}/search/photos with `Authorization: Client-ID <key>`. When a photo is used, its
`links.download_location` is requested with the same auth (Unsplash API guidelines), and the
credit "Photo by <name> on Unsplash" with UTM links goes on the Asset and in the post caption.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
from django.conf import settings

from providers import http
from providers.base import PermanentProviderError, Usage
from providers.visual.base import VisualResult
from providers.visual.pexels import search_query
from providers.visual.stock import StockHit, fetch_hit

PROVIDER = "unsplash"
LICENCE = "Unsplash License (credit required by the API guidelines)"
CREDIT_IN_CAPTION = True
KEY_SETTING = "UNSPLASH_ACCESS_KEY"
PER_PAGE = 10


def with_utm(url: str) -> str:
    """`url` with the referral parameters Unsplash asks every credit link to carry."""
    utm = urlencode({"utm_source": settings.UNSPLASH_APP_NAME, "utm_medium": "referral"})
    return f"{url}{'&' if urlsplit(url).query else '?'}{utm}"


class UnsplashProvider:
    """Portrait stock photos from Unsplash. Raises Transient/PermanentProviderError."""

    name = PROVIDER
    credit_in_caption = CREDIT_IN_CAPTION

    def __init__(self, *, api_key: str, base_url: str, timeout_s: float, model: str = ""):
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s

    def _client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            timeout=http.timeout(self.timeout_s),
            headers={"Authorization": f"Client-ID {self.api_key}", "Accept-Version": "v1"},
        )

    def make(
        self,
        *,
        prompt: str,
        key_phrase: str,
        style: str,
        language: str,
        index: int,
        width: int,
        height: int,
        out_path: Path,
    ) -> VisualResult:
        """Search, download result `index` (modulo) sized for the frame, track the download."""
        query = search_query(prompt, key_phrase)
        orientation = (
            "portrait" if height > width else "landscape" if width > height else "squarish"
        )
        with self._client() as client:
            response = http.request(
                client,
                "GET",
                "/search/photos",
                provider=PROVIDER,
                key_setting=KEY_SETTING,
                params={"query": query, "orientation": orientation, "per_page": PER_PAGE},
            )
            results = http.json_body(response, provider=PROVIDER).get("results")
            if not isinstance(results, list):
                raise PermanentProviderError(
                    "search answer has no 'results' list", provider=PROVIDER
                )
            if not results:
                raise PermanentProviderError(f"no photos found for {query!r}", provider=PROVIDER)
            photo = results[index % len(results)]
            try:
                raw_url = photo["urls"]["raw"]
                track_url = photo["links"]["download_location"]
                page = photo["links"]["html"]
                user = photo["user"]
                name, profile = str(user["name"]), str(user["links"]["html"])
            except (KeyError, TypeError) as exc:
                raise PermanentProviderError(
                    "a photo in the answer lacks urls, links or user", provider=PROVIDER
                ) from exc
            # Unsplash's image CDN (imgix) sizes and crops on request.
            sized = f"{raw_url}{'&' if urlsplit(raw_url).query else '?'}" + urlencode(
                {"w": width, "h": height, "fit": "crop", "fm": "jpg", "q": 85}
            )
            path = http.download(sized, out_path=out_path.with_suffix(".jpg"), provider=PROVIDER)
            info = http.checked_media(path, provider=PROVIDER, kind="image")
            # The tracking call is part of the API terms: a photo we use is counted as
            # downloaded. It goes to the configured API host with our key, never elsewhere.
            track_path = urlsplit(track_url)
            http.request(
                client,
                "GET",
                track_path.path + (f"?{track_path.query}" if track_path.query else ""),
                provider=PROVIDER,
                key_setting=KEY_SETTING,
            )
        attribution = f"Photo by {name} ({with_utm(profile)}) on Unsplash ({with_utm('https://unsplash.com/')})"
        return VisualResult(
            path=path,
            kind="image",
            width=info.width,
            height=info.height,
            mime=info.mime,
            provider=PROVIDER,
            attribution=attribution[:300],
            licence=LICENCE,
            source_url=with_utm(str(page))[:500],
            usage=Usage(provider=PROVIDER, model="photos", units=1.0, unit="images"),
        )

    def search(self, *, query: str, orientation: str) -> list[StockHit]:
        """Photos for `query` as StockHits, credited as the guidelines ask (one call)."""
        wanted = "squarish" if orientation == "square" else orientation
        with self._client() as client:
            response = http.request(
                client,
                "GET",
                "/search/photos",
                provider=PROVIDER,
                key_setting=KEY_SETTING,
                params={"query": query, "orientation": wanted, "per_page": PER_PAGE},
            )
        results = http.json_body(response, provider=PROVIDER).get("results")
        if not isinstance(results, list):
            raise PermanentProviderError("search answer has no 'results' list", provider=PROVIDER)
        hits = []
        for photo in results:
            try:
                raw_url, user = str(photo["urls"]["raw"]), photo["user"]
                name, profile = str(user["name"]), str(user["links"]["html"])
                track = urlsplit(str(photo["links"]["download_location"]))
                sep = "&" if urlsplit(raw_url).query else "?"
                hits.append(
                    StockHit(
                        provider=PROVIDER,
                        kind="image",
                        id=str(photo["id"]),
                        url=f"{raw_url}{sep}"
                        + urlencode({"w": 1080, "h": 1920, "fit": "crop", "fm": "jpg", "q": 85}),
                        thumbnail_url=str(photo["urls"].get("small") or photo["urls"]["regular"]),
                        width=int(photo.get("width") or 0),
                        height=int(photo.get("height") or 0),
                        attribution=f"Photo by {name} ({with_utm(profile)}) on Unsplash "
                        f"({with_utm('https://unsplash.com/')})",
                        licence=LICENCE,
                        source_url=with_utm(str(photo["links"]["html"])),
                        track_path=track.path + (f"?{track.query}" if track.query else ""),
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
        return hits

    def fetch(self, hit: StockHit, *, out_path: Path, duration_ms: int = 0) -> VisualResult:
        """Download a photo this provider found, then tell Unsplash it was used (API terms:
        the tracking call goes to the configured API host with our key, never elsewhere)."""
        result = fetch_hit(hit, out_path=out_path)
        if hit.track_path:
            with self._client() as client:
                http.request(
                    client, "GET", hit.track_path, provider=PROVIDER, key_setting=KEY_SETTING
                )
        return result
