"""Reads of media: the user's library (every picture, clip and track they uploaded or a reel
used), searchable by words."""

from __future__ import annotations

from collections.abc import Collection
from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet

from media.models import Asset

LIBRARY_KINDS = (Asset.Kind.IMAGE, Asset.Kind.VIDEO, Asset.Kind.MUSIC)
# Made by the product for one reel only: the reel itself, its voice, captions and thumbnail.
NOT_LIBRARY_PROVIDERS = ("render",)
MAX_WORDS = 8


def library_assets(*, user) -> QuerySet[Asset]:
    """The user's pictures, clips and music tracks, newest first; stories in the trash too
    (the library outlives a reel), but never the rendered reels."""
    return (
        Asset.objects.filter(owner=user, kind__in=LIBRARY_KINDS)
        .exclude(source_provider__in=NOT_LIBRARY_PROVIDERS)
        .order_by("-created_at", "-id")
    )


def library_for(*, user, query: str = "", kinds: Collection[str] = ()) -> list[Asset]:
    """The library filtered by `kinds` and by every word of `query` (each found in the tags,
    the prompt, the credit or the provider); one row per distinct file, the newest."""
    assets = library_assets(user=user)
    if kinds:
        assets = assets.filter(kind__in=list(kinds))
    words = query.split()[:MAX_WORDS]
    if words:
        assets = assets.filter(reduce(and_, (_word(word) for word in words)))
    seen: set[str] = set()
    unique = []
    for asset in assets[:500]:
        if asset.sha256 and asset.sha256 in seen:
            continue
        seen.add(asset.sha256)
        unique.append(asset)
    return unique


def _word(word: str) -> Q:
    return (
        Q(tags__icontains=word)
        | Q(prompt__icontains=word)
        | Q(attribution__icontains=word)
        | Q(source_provider__iexact=word)
        | Q(source_url__icontains=word)
    )
