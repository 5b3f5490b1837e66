"""Place search: a business's listing found through an official local search API (Naver
Local Search, Kakao Local), not yet saved. No web page is scraped.

    provider.search(query="연남동 카페", page=1, size=5) -> PlaceResults

Each result carries its `source` and `source_id`, so that importing it twice finds the same
Place; its `category` is one of ours (cafe, stay, restaurant, shop) read from the listing's
category, and its `region` the first two words of the lot address ("서울 마포구").
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
    """The province or city and the district of a Korean address:
    "서울 마포구 연남동 1" -> "서울 마포구"."""
    return " ".join(address.split()[:2])[:80]


def coordinate(value: object, *, scale: float = 1.0) -> float | None:
    """A longitude or latitude from a string or number (Naver sends degrees x 10^7)."""
    try:
        number = float(str(value)) / scale
    except (TypeError, ValueError):
        return None
    return round(number, 7) if -180 <= number <= 180 else None
