"""Stock search for the studio's "swap this visual": the configured Pexels and Unsplash
searches, cached for an hour; with none configured (offline), artwork variants of the words and
the user's own library.

Each result carries a signed `choice`: the client hands it back to pick the result
(scenes.services.visual_choice), and the signature keeps it from being pointed elsewhere. The
download still goes through the SSRF guard.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _
from PIL import Image

from media import selectors
from media.models import Asset
from providers import registry
from providers.base import ProviderError
from providers.visual.artwork import PROVIDER as ARTWORK
from providers.visual.artwork import ArtworkProvider
from providers.visual.stock import StockHit
from reelmaker.errors import InvalidRequest

log = logging.getLogger(__name__)

SEARCH_CACHE_S = 3600
CHOICE_SALT = "media.stock.choice"
CHOICE_MAX_AGE_S = 24 * 3600
ARTWORK_VARIANTS = 6
ARTWORK_LICENCE = "Generated artwork (yours to use)"
THUMB_SIZE = (108, 192)
KINDS = ("image", "video")


@dataclass
class SearchOutcome:
    """What a search found: stock or artwork hits (each with its signed choice), matching
    library assets, where they came from, and the providers that failed this time."""

    hits: list[tuple[StockHit, str]] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    source: str = "stock"
    failed: list[str] = field(default_factory=list)


def search_providers(kind: str) -> list:
    """The configured providers that can search `kind` (image or video), best first."""
    found = registry.visual_providers() if kind == "image" else registry.video_providers()
    return [p for p in found if hasattr(p, "search")]


def sign_choice(hit: StockHit, *, prompt: str = "") -> str:
    """The token a client sends back to pick `hit` (without its preview: it can be long)."""
    data = {**hit.to_json(), "thumbnail_url": ""}
    return signing.dumps({"hit": data, "prompt": prompt}, salt=CHOICE_SALT)


def read_choice(token: str) -> tuple[StockHit, str]:
    """The hit and prompt a `choice` token names. Raises InvalidRequest when it was changed,
    is not ours or is older than a day (search again)."""
    try:
        data = signing.loads(token, salt=CHOICE_SALT, max_age=CHOICE_MAX_AGE_S)
        return StockHit.from_json(data["hit"]), str(data.get("prompt") or "")
    except (signing.BadSignature, ProviderError, KeyError, TypeError):
        raise InvalidRequest(
            details={"fields": {"choice": [_("This choice is not valid any more; search again.")]}}
        ) from None


def search_media(*, user, query: str, kind: str, orientation: str) -> SearchOutcome:
    """Search stock for `query`; each provider's answer is cached for SEARCH_CACHE_S. A failing
    provider is named in `failed` and the others still answer; when none is configured, or
    all fail, the offline choices (artwork variants and the user's library) answer instead."""
    outcome = SearchOutcome()
    for provider in search_providers(kind):
        try:
            hits = _cached_search(provider, query=query, kind=kind, orientation=orientation)
        except ProviderError as exc:
            log.warning("stock search on %s failed: %s", provider.name, exc)
            outcome.failed.append(provider.name)
            continue
        outcome.hits += [(hit, sign_choice(hit, prompt=query)) for hit in hits]
    if outcome.hits:
        return outcome
    outcome.source = "offline"
    outcome.hits = [(hit, sign_choice(hit, prompt=query)) for hit in artwork_variants(query)]
    outcome.assets = selectors.library_for(user=user, query=query, kinds=(kind,))[:12]
    return outcome


def _cached_search(provider, *, query: str, kind: str, orientation: str) -> list[StockHit]:
    words = " ".join(query.lower().split())
    key = (
        "media-search:"
        + hashlib.sha256(f"{provider.name}|{kind}|{orientation}|{words}".encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return [StockHit.from_json(item) for item in cached]
    hits = provider.search(query=words, orientation=orientation)
    cache.set(key, [hit.to_json() for hit in hits], SEARCH_CACHE_S)
    return hits


def artwork_variants(query: str, *, style: str = "modern") -> list[StockHit]:
    """ARTWORK_VARIANTS offline pictures of `query`, each a small preview (data URI); picking
    one draws it full size. Cached like a stock search: the drawing is deterministic."""
    key = "media-search:artwork:" + hashlib.sha256(f"{style}|{query}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return [StockHit.from_json(item) for item in cached]
    artwork = ArtworkProvider()
    hits = []
    with tempfile.TemporaryDirectory(prefix="artwork-") as tmp:
        for variant in range(ARTWORK_VARIANTS):
            result = artwork.make(
                prompt=query,
                key_phrase="",
                style=style,
                language="en",
                index=variant,
                width=THUMB_SIZE[0],
                height=THUMB_SIZE[1],
                out_path=Path(tmp) / f"v{variant}.png",
            )
            hits.append(
                StockHit(
                    provider=ARTWORK,
                    kind="image",
                    id=str(variant),
                    url="",
                    thumbnail_url=_data_uri(result.path),
                    width=1080,
                    height=1920,
                    attribution="",
                    licence=ARTWORK_LICENCE,
                    source_url="",
                )
            )
    cache.set(key, [hit.to_json() for hit in hits], SEARCH_CACHE_S)
    return hits


def _data_uri(path: Path) -> str:
    buffer = io.BytesIO()
    with Image.open(path) as image:
        image.convert("RGB").save(buffer, format="JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()
