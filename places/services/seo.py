"""SEO for a song reel's place: per-platform title, description and hashtags from the
marketing brief, within each platform's limits, cached per reel for an hour.

YouTube: a title of 45-65 characters with the business name and the main keyword early; a
description under 1,000 characters whose first 150 carry the key facts (name, region, what it
is, the offer, how to reach it). Instagram and TikTok: a caption with the facts first and a
handful of hashtags. provenance.seo, the one entry point for a story's post text, takes a song
reel's story's text from here; publishing posts that.
"""

from __future__ import annotations

import re

from django.core.cache import cache

from places.models import SongReel
from places.services.briefs import brief_for

CACHE_S = 3600
YOUTUBE_TITLE = (45, 65)
YOUTUBE_DESCRIPTION_MAX = 999
KEY_FACTS_CHARS = 150
CAPTION_MAX = {"instagram": 2200, "tiktok": 2200}
HASHTAGS = {"youtube": 3, "instagram": 8, "tiktok": 5}
TAG_MAX_CHARS = 30


def cache_key(reel: SongReel) -> str:
    """Per story (a reel has one; one made before stories: per reel)."""
    owner = f"story{reel.story_id}" if reel.story_id else f"reel{reel.pk}"
    return f"places:seo:{owner}:{reel.language}"


def seo_for(reel: SongReel) -> dict:
    """{"youtube": {title, description, hashtags}, "instagram": {...}, "tiktok": {...}},
    from the cache when made within the hour."""
    found = cache.get(cache_key(reel))
    if found is not None:
        return found
    made = build_seo(reel)
    cache.set(cache_key(reel), made, CACHE_S)
    return made


def build_seo(reel: SongReel) -> dict:
    place = reel.place
    report = brief_for(place=place, language=reel.language).data
    keywords = [str(k) for k in report.get("keywords", [])]
    main = next((k for k in keywords if k != place.name), place.region)
    tags = hashtags(keywords)
    facts = key_facts(reel, main)
    body = " ".join(
        x
        for x in [
            facts,
            str(report.get("emotional_promise", "")),
            " · ".join(str(p) for p in report.get("selling_points", [])),
            str(report.get("booking_trigger", "")),
        ]
        if x
    )
    return {
        "youtube": {
            "title": youtube_title(place.name, main, str(report.get("emotional_promise", ""))),
            "description": _fit(
                f"{body}\n\n{' '.join(tags[: HASHTAGS['youtube']])}", YOUTUBE_DESCRIPTION_MAX
            ),
            "hashtags": tags[: HASHTAGS["youtube"]],
        },
        **{
            platform: {
                "title": _fit(f"{place.name} | {main}", 100),
                "description": _fit(
                    f"{body}\n\n{' '.join(tags[: HASHTAGS[platform]])}", CAPTION_MAX[platform]
                ),
                "hashtags": tags[: HASHTAGS[platform]],
            }
            for platform in ("instagram", "tiktok")
        },
    }


def key_facts(reel: SongReel, main: str) -> str:
    """Name, main keyword, offer, address or phone: what a viewer needs, in <= 150 chars."""
    place = reel.place
    parts = [f"{place.name} - {main}", place.offer, place.address or place.region, place.phone]
    return _fit(". ".join(p.strip() for p in parts if p and p.strip()) + ".", KEY_FACTS_CHARS)


def youtube_title(name: str, main: str, promise: str) -> str:
    """Name and main keyword first; padded with the promise to 45, cut to 65 at a word."""
    low, high = YOUTUBE_TITLE
    title = f"{name} | {main}"
    if len(title) < low and promise:
        title = f"{title} - {promise}"
    if len(title) < low:
        title = f"{title} {'#' + re.sub(r'[^0-9A-Za-z가-힣]', '', main)}".strip()
    title = _fit(title, high)
    while len(title) < low:
        title += " ♪"
    return title


def hashtags(keywords: list[str]) -> list[str]:
    """Keywords as hashtags: spaces and punctuation dropped, duplicates removed."""
    tags: list[str] = []
    for keyword in keywords:
        tag = "#" + re.sub(r"[\s\W]+", "", keyword)[:TAG_MAX_CHARS]
        if len(tag) > 1 and tag not in tags:
            tags.append(tag)
    return tags


def _fit(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.-|") + "…"
