"""Stock search results the user picks from (the studio's "swap this visual"), and fetching
the one picked: plain values in, a VisualResult on disk out. No ORM, no app.

A StockHit carries everything needed to fetch and credit the item later without searching
again; media.stock signs it, so a client can hand it back but not change it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Literal

from providers import http
from providers.base import PermanentProviderError, Usage
from providers.video.base import finish_clip
from providers.visual.base import VisualResult

ORIENTATIONS = ("portrait", "landscape", "square")


@dataclass(frozen=True)
class StockHit:
    """One search result: where to download it, its preview, and its credit and licence."""

    provider: str
    kind: Literal["image", "video"]
    id: str
    url: str
    thumbnail_url: str
    width: int
    height: int
    attribution: str
    licence: str
    source_url: str
    # Unsplash: the API path to request when the photo is used (their API terms).
    track_path: str = ""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> StockHit:
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or not names - {"track_path"} <= set(data):
            raise PermanentProviderError("not a stock search result", provider="stock")
        return cls(**{k: v for k, v in data.items() if k in names})


def fetch_hit(hit: StockHit, *, out_path: Path, duration_ms: int = 0) -> VisualResult:
    """Download a picked hit through the SSRF guard and check it is what it says (an image, or
    a playable clip cut to `duration_ms`). Raises Transient/PermanentProviderError."""
    if hit.kind == "video":
        raw = http.download(
            hit.url, out_path=out_path.with_suffix(".src.mp4"), provider=hit.provider
        )
        clip = finish_clip(
            raw,
            out_path=out_path.with_suffix(".mp4"),
            duration_ms=duration_ms,
            provider=hit.provider,
        )
        path, width, height, mime = clip.path, clip.width, clip.height, "video/mp4"
        unit = "videos"
    else:
        path = http.download(hit.url, out_path=out_path.with_suffix(".jpg"), provider=hit.provider)
        info = http.checked_media(path, provider=hit.provider, kind="image")
        path, width, height, mime = path, info.width, info.height, info.mime
        unit = "images"
    return VisualResult(
        path=path,
        kind=hit.kind,
        width=width,
        height=height,
        mime=mime,
        provider=hit.provider,
        attribution=hit.attribution[:300],
        licence=hit.licence[:200],
        source_url=hit.source_url[:500],
        usage=Usage(provider=hit.provider.split("-")[0], model=unit, units=1.0, unit=unit),
    )
