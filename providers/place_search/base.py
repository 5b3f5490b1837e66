"""Place search: a business's listing found through an official local search API (Naver
Local Search, Kakao Local), not yet saved. No web page is scraped.

    provider.search(query="연남동 카페", page=1, size=5) -> PlaceResults

Each result carries its `source` and `source_id`, so that importing it twice finds the same
Place; its `category` is one of ours (cafe, stay, restaurant, shop) read from the listing's
category, and its `region` a short one a song can sing ("강릉", "서울 마포구").
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from typing import Protocol

MAX_QUERY_CHARS = 100
# A page of listings is a few kilobytes; anything near this is not a search answer.
MAX_ANSWER_BYTES = 1 << 20
_TAGS = re.compile(r"<[^>]+>")

# Listing categories (Kakao's group codes, then words of either service's category path)
# -> ours. Anything else is a shop.
_GROUP_CODES = {"CE7": "cafe", "FD6": "restaurant", "AD5": "stay"}
_CATEGORY_WORDS = (
    ("cafe", ("카페", "커피", "디저트", "베이커리", "찻집", "cafe", "coffee")),
    ("stay", ("숙박", "호텔", "모텔", "펜션", "게스트하우스", "민박", "리조트", "hotel")),
    ("restaurant", ("음식점", "식당", "한식", "일식", "중식", "양식", "분식", "restaurant")),
)


@dataclass(frozen=True)
class PlaceResult:
    """One listing as a service sent it, in the shape a Place is made from."""

    source: str  # "naver" or "kakao"
    source_id: str
    name: str
    category: str  # ours: cafe, stay, restaurant, shop
    category_path: str  # the service's own, e.g. "음식점 > 카페 > 커피전문점"
    region: str
    address: str
    road_address: str = ""
    phone: str = ""
    url: str = ""
    description: str = ""
    longitude: float | None = None
    latitude: float | None = None

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> PlaceResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class PlaceResults:
    provider: str
    results: tuple[PlaceResult, ...] = field(default_factory=tuple)
    total: int = 0
    is_end: bool = True


class PlaceSearchProvider(Protocol):
    name: str

    def search(self, *, query: str, page: int = 1, size: int = 5) -> PlaceResults: ...


def plain_text(value: object) -> str:
    """A field without the <b> highlight tags and HTML entities search answers carry."""
    return " ".join(html.unescape(_TAGS.sub("", str(value or ""))).split())


def our_category(*, category_path: str, group_code: str = "") -> str:
    """The Place category of a listing: Kakao's group code first, then category words."""
    if group_code in _GROUP_CODES:
        return _GROUP_CODES[group_code]
    lowered = category_path.lower()
    for ours, words in _CATEGORY_WORDS:
        if any(word in lowered for word in words):
            return ours
    return "shop"


def region_of(address: str) -> str:
    """The short region a song can sing, from a Korean address: a province's city or county
    without its suffix ("강원특별자치도 강릉시 ..." -> "강릉"), a metropolitan city with its
    district ("서울특별시 마포구 ..." -> "서울 마포구"). Anything else: the first two words."""
    words = address.split()
    if not words:
        return ""
    first, second = words[0], (words[1] if len(words) > 1 else "")
    if (first in _PROVINCES or first.endswith("도")) and second:
        return _without(second, ("시", "군"))[:80]
    city = _without(first, ("특별자치시", "특별시", "광역시"))
    if city in _METROPOLISES:
        district = second if second.endswith(("구", "군")) else ""
        return f"{city} {district}".strip()[:80]
    return " ".join(words[:2])[:80]


# Kakao writes provinces and metropolitan cities short ("경기", "서울"); Naver in full.
_PROVINCES = frozenset({"경기", "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주"})
_METROPOLISES = frozenset({"서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종"})


def _without(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


def coordinate(value: object, *, scale: float = 1.0) -> float | None:
    """A longitude or latitude from a string or number (Naver sends degrees x 10^7)."""
    try:
        number = float(str(value)) / scale
    except (TypeError, ValueError):
        return None
    return round(number, 7) if -180 <= number <= 180 else None
