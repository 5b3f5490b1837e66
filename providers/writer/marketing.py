"""The marketing brief of a place: a report the lyrics, the reel and its SEO all start from.

    report = offline_brief(PlaceInfo(name=..., category="cafe", region=..., ...), language="ko")
    validate_brief(report)   # jsonschema; raises PermanentProviderError naming the field

The offline writer builds it from rules and templates: keywords from the region, category,
name and facilities; the persona, promise and booking trigger from the category. Korean and
English get their own wording; the other song languages get the English wording with their
keywords (the brief is a working document; the lyrics are what viewers see).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jsonschema

from providers.base import PermanentProviderError

PROVIDER = "template"

BRIEF_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": [
        "brand_concept",
        "emotional_promise",
        "target_persona",
        "selling_points",
        "visit_context",
        "booking_trigger",
        "keywords",
    ],
    "additionalProperties": False,
    "properties": {
        "brand_concept": {"type": "string", "minLength": 1, "maxLength": 200},
        "emotional_promise": {"type": "string", "minLength": 1, "maxLength": 200},
        "target_persona": {"type": "string", "minLength": 1, "maxLength": 300},
        "selling_points": {
            "type": "array",
            "minItems": 2,
            "maxItems": 3,
            "items": {"type": "string", "minLength": 1, "maxLength": 200},
        },
        "visit_context": {"type": "string", "minLength": 1, "maxLength": 300},
        "booking_trigger": {"type": "string", "minLength": 1, "maxLength": 200},
        "keywords": {
            "type": "array",
            "minItems": 5,
            "maxItems": 10,
            "uniqueItems": True,
            "items": {"type": "string", "minLength": 1, "maxLength": 40},
        },
    },
}


@dataclass(frozen=True)
class PlaceInfo:
    name: str
    category: str
    region: str
    detail: str = ""
    description: str = ""
    facilities: tuple[str, ...] = field(default_factory=tuple)
    offer: str = ""


_CATEGORY_WORDS = {
    "ko": {"cafe": "카페", "stay": "숙소", "restaurant": "맛집", "shop": "가게"},
    "en": {"cafe": "cafe", "stay": "stay", "restaurant": "restaurant", "shop": "shop"},
    "zh": {"cafe": "咖啡馆", "stay": "民宿", "restaurant": "餐厅", "shop": "小店"},
    "ja": {"cafe": "カフェ", "stay": "宿", "restaurant": "レストラン", "shop": "お店"},
    "th": {"cafe": "ร้านกาแฟ", "stay": "ที่พัก", "restaurant": "ร้านอาหาร", "shop": "ร้านค้า"},
    "vi": {"cafe": "quán cà phê", "stay": "homestay", "restaurant": "nhà hàng", "shop": "cửa hàng"},
}
_TRIP_WORDS = {
    "ko": "여행",
    "en": "trip",
    "zh": "旅行",
    "ja": "旅行",
    "th": "เที่ยว",
    "vi": "du lịch",
}
_HOT_WORDS = {
    "ko": "추천",
    "en": "best",
    "zh": "推荐",
    "ja": "おすすめ",
    "th": "แนะนำ",
    "vi": "nên thử",
}

# Per category: (persona, promise, visit context, trigger) in Korean and English.
_PERSONAS = {
    "ko": {
        "cafe": (
            "조용한 휴식과 사진 한 장을 찾는 20-30대",
            "한 잔의 여유가 하루를 바꿔요",
            "주말 오후, 산책 뒤에 들르는 쉼표",
            "오늘만의 메뉴와 창가 자리",
        ),
        "stay": (
            "도심을 벗어나 쉬고 싶은 커플과 가족",
            "눈 뜨면 여행이 시작되는 곳",
            "금요일 밤 출발하는 1박 2일",
            "주말 객실은 빨리 마감돼요",
        ),
        "restaurant": (
            "제철 한 끼를 찾는 미식가와 가족",
            "한 입에 지역의 계절을",
            "여행 중 꼭 들르는 한 끼",
            "오늘 저녁 예약 가능한 자리",
        ),
        "shop": (
            "특별한 선물을 찾는 여행자",
            "여기서만 만나는 작은 기쁨",
            "골목 산책 중 발견하는 가게",
            "이번 주 한정 상품",
        ),
    },
    "en": {
        "cafe": (
            "Young locals and travellers after a quiet break and a photo",
            "One cup that turns the day around",
            "A weekend afternoon stop after a walk",
            "Today's special and the window seat",
        ),
        "stay": (
            "Couples and families escaping the city",
            "A place where the trip begins when you wake",
            "A Friday-night getaway for one night",
            "Weekend rooms go fast",
        ),
        "restaurant": (
            "Food lovers and families after a seasonal meal",
            "The season of the region in one bite",
            "The meal every trip here includes",
            "Tables still open tonight",
        ),
        "shop": (
            "Travellers looking for a special gift",
            "Small joys you only find here",
            "A find on a stroll through the lanes",
            "This week's limited pieces",
        ),
    },
}


def offline_brief(place: PlaceInfo, *, language: str) -> dict:
    """The report from rules and templates, valid against BRIEF_SCHEMA."""
    wording = "ko" if language == "ko" else "en"
    category = place.category if place.category in _PERSONAS[wording] else "cafe"
    persona, promise, context, trigger = _PERSONAS[wording][category]
    thing = _CATEGORY_WORDS.get(language, _CATEGORY_WORDS["en"])[category]
    points = [f.strip() for f in place.facilities if f.strip()][:3]
    if len(points) < 2:
        points += [p for p in (place.detail.strip(), place.description.strip()[:120]) if p]
    if len(points) < 2:
        points += [f"{place.region} {thing}", promise]
    if place.offer.strip():
        trigger = f"{place.offer.strip()} - {trigger}"
    report = {
        "brand_concept": f"{place.name} · {place.region} {thing}"[:200],
        "emotional_promise": promise,
        "target_persona": persona,
        "selling_points": points[:3],
        "visit_context": f"{place.region}: {context}"[:300],
        "booking_trigger": trigger[:200],
        "keywords": keywords(place, language=language),
    }
    validate_brief(report)
    return report


def keywords(place: PlaceInfo, *, language: str) -> list[str]:
    """5-10 search keywords: the name, region + category, region + trip, facilities."""
    words = _CATEGORY_WORDS.get(language, _CATEGORY_WORDS["en"])
    thing = words.get(place.category, words["cafe"])
    joiner = "" if language in ("zh", "ja", "th") else " "
    region = place.region.strip()
    found = [
        place.name.strip(),
        f"{region}{joiner}{thing}",
        f"{region}{joiner}{_TRIP_WORDS.get(language, 'trip')}",
        f"{region}{joiner}{thing}{joiner}{_HOT_WORDS.get(language, 'best')}",
        f"{place.name.strip()}{joiner}{region}",
        thing,
        *[f.strip() for f in place.facilities if f.strip()],
    ]
    unique: list[str] = []
    for word in found:
        word = word[:40]
        if word and word not in unique:
            unique.append(word)
    return unique[:10]


def validate_brief(report: dict) -> None:
    """Raises PermanentProviderError naming the first field that breaks BRIEF_SCHEMA."""
    try:
        jsonschema.validate(report, BRIEF_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "report"
        raise PermanentProviderError(
            f"marketing brief: {where}: {exc.message}", provider=PROVIDER
        ) from None
