"""Pexels photo and video search (documented HTTP API, portrait), downloaded behind the guard.

GET {base}/v1/search and GET {base}/videos/search with `Authorization: <key>`. The Pexels
licence needs no credit, but we still store the photographer and page on the Asset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from providers import http
from providers.base import PermanentProviderError, Usage
from providers.video.base import finish_clip
from providers.visual.base import VisualResult
from providers.visual.stock import StockHit, fetch_hit

PROVIDER = "pexels"
VIDEO_PROVIDER = "pexels-video"
LICENCE = "Pexels License (free to use, credit appreciated)"
CREDIT_IN_CAPTION = False
KEY_SETTING = "PEXELS_API_KEY"
PER_PAGE = 10
QUERY_MAX_CHARS = 100


def search_query(prompt: str, key_phrase: str = "") -> str:
    """A short search query from a scene's visual prompt (stock search wants keywords)."""
    text = " ".join((prompt or key_phrase).split())
    return text[:QUERY_MAX_CHARS].rsplit(" ", 1)[0] if len(text) > QUERY_MAX_CHARS else text


def _orientation(width: int, height: int) -> str:
    if height > width:
        return "portrait"
    return "landscape" if width > height else "square"


@dataclass
class PexelsClient:
    """The two search calls; one per provider instance, built from settings or an admin row."""

    api_key: str
    base_url: str
    timeout_s: float

    def search(self, path: str, *, query: str, orientation: str) -> dict:
        with httpx.Client(
            base_url=self.base_url.rstrip("/"),
            timeout=http.timeout(self.timeout_s),
            headers={"Authorization": self.api_key},
        ) as client:
            response = http.request(
                client,
                "GET",
                path,
                provider=PROVIDER,
                key_setting=KEY_SETTING,
                params={"query": query, "orientation": orientation, "per_page": PER_PAGE},
            )
        return http.json_body(response, provider=PROVIDER)


class PexelsPhotoProvider:
    """Portrait stock photos from Pexels. Raises Transient/PermanentProviderError."""

    name = PROVIDER
    credit_in_caption = CREDIT_IN_CAPTION

    def __init__(self, *, api_key: str, base_url: str, timeout_s: float, model: str = ""):
        self.client = PexelsClient(api_key=api_key, base_url=base_url, timeout_s=timeout_s)

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
        """Search, pick result `index` (modulo), download the large portrait rendition."""
        query = search_query(prompt, key_phrase)
        body = self.client.search(
            "/v1/search", query=query, orientation=_orientation(width, height)
        )
        photos = body.get("photos")
        if not isinstance(photos, list):
            raise PermanentProviderError("search answer has no 'photos' list", provider=PROVIDER)
        if not photos:
            raise PermanentProviderError(f"no photos found for {query!r}", provider=PROVIDER)
        photo = photos[index % len(photos)]
        try:
            src = photo["src"]
            url = src.get("large2x") or src.get("portrait") or src["original"]
            photographer = str(photo.get("photographer") or "")
            page = str(photo.get("url") or "")
        except (KeyError, TypeError, AttributeError) as exc:
            raise PermanentProviderError(
                "a photo in the answer has no 'src'", provider=PROVIDER
            ) from exc
        path = http.download(url, out_path=out_path.with_suffix(".jpg"), provider=PROVIDER)
        info = http.checked_media(path, provider=PROVIDER, kind="image")
        return VisualResult(
            path=path,
            kind="image",
            width=info.width,
            height=info.height,
            mime=info.mime,
            provider=PROVIDER,
            attribution=f"Photo by {photographer} on Pexels"[:300] if photographer else "Pexels",
            licence=LICENCE,
            source_url=page[:500],
            usage=Usage(provider=PROVIDER, model="photos", units=1.0, unit="images"),
        )

    def search(self, *, query: str, orientation: str) -> list[StockHit]:
        """Photos for `query` as StockHits (one call). Raises Transient/PermanentProviderError."""
        body = self.client.search("/v1/search", query=query, orientation=orientation)
        photos = body.get("photos")
        if not isinstance(photos, list):
            raise PermanentProviderError("search answer has no 'photos' list", provider=PROVIDER)
        hits = []
        for photo in photos:
            try:
                src = photo["src"]
                name = str(photo.get("photographer") or "")
                hits.append(
                    StockHit(
                        provider=PROVIDER,
                        kind="image",
                        id=str(photo["id"]),
                        url=str(src.get("large2x") or src.get("portrait") or src["original"]),
                        thumbnail_url=str(
                            src.get("medium") or src.get("portrait") or src["original"]
                        ),
                        width=int(photo.get("width") or 0),
                        height=int(photo.get("height") or 0),
                        attribution=f"Photo by {name} on Pexels" if name else "Pexels",
                        licence=LICENCE,
                        source_url=str(photo.get("url") or ""),
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # one malformed item does not spoil the others
        return hits

    def fetch(self, hit: StockHit, *, out_path: Path, duration_ms: int = 0) -> VisualResult:
        """Download a photo this provider found."""
        return fetch_hit(hit, out_path=out_path)


class PexelsVideoProvider:
    """Portrait stock clips from Pexels, behind the video-provider interface."""

    name = VIDEO_PROVIDER
    credit_in_caption = CREDIT_IN_CAPTION

    def __init__(self, *, api_key: str, base_url: str, timeout_s: float, model: str = ""):
        self.client = PexelsClient(api_key=api_key, base_url=base_url, timeout_s=timeout_s)

    def make_clip(
        self,
        *,
        prompt: str,
        width: int,
        height: int,
        duration_ms: int,
        index: int,
        out_path: Path,
    ) -> VisualResult:
        """Search clips; take the file closest to the frame's height; trimmed by the caller."""
        query = search_query(prompt)
        body = self.client.search(
            "/videos/search", query=query, orientation=_orientation(width, height)
        )
        videos = body.get("videos")
        if not isinstance(videos, list):
            raise PermanentProviderError("search answer has no 'videos' list", provider=PROVIDER)
        if not videos:
            raise PermanentProviderError(f"no clips found for {query!r}", provider=PROVIDER)
        video = videos[index % len(videos)]
        try:
            files = [f for f in video["video_files"] if f.get("file_type") == "video/mp4"]
            best = min(files, key=lambda f: abs(int(f.get("height") or 0) - height))
            url = best["link"]
            user = video.get("user") or {}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PermanentProviderError(
                "a clip in the answer has no MP4 file", provider=PROVIDER
            ) from exc
        raw = http.download(url, out_path=out_path.with_suffix(".src.mp4"), provider=PROVIDER)
        clip = finish_clip(
            raw,
            out_path=out_path.with_suffix(".mp4"),
            duration_ms=duration_ms,
            provider=VIDEO_PROVIDER,
        )
        name = str(user.get("name") or "")
        return VisualResult(
            path=clip.path,
            kind="video",
            width=clip.width,
            height=clip.height,
            mime="video/mp4",
            provider=VIDEO_PROVIDER,
            attribution=f"Video by {name} on Pexels"[:300] if name else "Pexels",
            licence=LICENCE,
            source_url=str(video.get("url") or "")[:500],
            usage=Usage(provider=PROVIDER, model="videos", units=1.0, unit="videos"),
        )

    def search(self, *, query: str, orientation: str) -> list[StockHit]:
        """Clips for `query` as StockHits, each the MP4 closest to 1920 high (one call)."""
        body = self.client.search("/videos/search", query=query, orientation=orientation)
        videos = body.get("videos")
        if not isinstance(videos, list):
            raise PermanentProviderError("search answer has no 'videos' list", provider=PROVIDER)
        hits = []
        for video in videos:
            try:
                files = [f for f in video["video_files"] if f.get("file_type") == "video/mp4"]
                best = min(files, key=lambda f: abs(int(f.get("height") or 0) - 1920))
                name = str((video.get("user") or {}).get("name") or "")
                hits.append(
                    StockHit(
                        provider=VIDEO_PROVIDER,
                        kind="video",
                        id=str(video["id"]),
                        url=str(best["link"]),
                        thumbnail_url=str(video.get("image") or ""),
                        width=int(best.get("width") or video.get("width") or 0),
                        height=int(best.get("height") or video.get("height") or 0),
                        attribution=f"Video by {name} on Pexels" if name else "Pexels",
                        licence=LICENCE,
                        source_url=str(video.get("url") or ""),
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
        return hits

    def fetch(self, hit: StockHit, *, out_path: Path, duration_ms: int = 0) -> VisualResult:
        """Download a clip this provider found, cut to `duration_ms`."""
        return fetch_hit(hit, out_path=out_path, duration_ms=duration_ms)
