"""Local servers speaking Kakao Local's keyword search and Naver Local Search's formats.

Both record every request and answer from the FakeServer fault queue ("ok", "429" with
Retry-After, "500", "401", "garbage", "slow", plus "wrong_shape": JSON without the listings);
"ok" answers with the listings in `listings` (Kakao documents / Naver items as the services
send them)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.providers.fakes import FakeServer

KAKAO_KEY = "kakao-rest-key"
NAVER_ID, NAVER_SECRET = "naver-client-id", "naver-client-secret"

KAKAO_DOCUMENTS = [
    {
        "id": "26338954",
        "place_name": "바다정원 카페",
        "category_name": "음식점 > 카페 > 커피전문점",
        "category_group_code": "CE7",
        "category_group_name": "카페",
        "phone": "033-123-4567",
        "address_name": "강원특별자치도 강릉시 견소동 6",
        "road_address_name": "강원특별자치도 강릉시 창해로 14",
        "x": "128.946",
        "y": "37.7717",
        "place_url": "http://place.map.kakao.com/26338954",
        "distance": "",
    },
    {
        "id": "8116548",
        "place_name": "바다정원 펜션",
        "category_name": "여행 > 숙박 > 펜션",
        "category_group_code": "AD5",
        "category_group_name": "숙박",
        "phone": "",
        "address_name": "강원특별자치도 강릉시 주문진읍 1",
        "road_address_name": "",
        "x": "128.82",
        "y": "37.89",
        "place_url": "http://place.map.kakao.com/8116548",
        "distance": "",
    },
]

NAVER_ITEMS = [
    {
        "title": "<b>연남</b> 달빛&amp;커피",
        "link": "https://moonlight.example",
        "category": "카페,디저트>카페",
        "description": "창가 자리가 좋은 동네 카페",
        "telephone": "",
        "address": "서울특별시 마포구 연남동 223-14",
        "roadAddress": "서울특별시 마포구 성미산로 190",
        "mapx": "1269246344",
        "mapy": "375623876",
    },
    {
        "title": "<b>연남</b>식당",
        "link": "",
        "category": "한식>백반,가정식",
        "description": "",
        "telephone": "02-333-4444",
        "address": "서울특별시 마포구 연남동 1",
        "roadAddress": "",
        "mapx": "1269200000",
        "mapy": "375600000",
    },
]


def query_of(path: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}


class FakeKakaoLocal(FakeServer):
    """GET /v2/local/search/keyword.json"""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.listings = list(KAKAO_DOCUMENTS)

    def error_body(self, status: int) -> bytes:
        kind = {401: "AccessDeniedError", 429: "RateLimitExceeded"}.get(status, "InternalError")
        return json.dumps({"errorType": kind, "message": f"fake {kind}"}).encode()

    def answer(self, method, path, body, mode):
        if urlsplit(path).path != "/v2/local/search/keyword.json":
            return 404, {"errorType": "NotFound", "message": path}
        if not self.requests[-1].headers.get("authorization", "").startswith("KakaoAK "):
            return 401, {"errorType": "AccessDeniedError", "message": "no KakaoAK key"}
        if mode == "wrong_shape":
            return 200, {"documents": "none today"}
        size = int(query_of(path).get("size", 15))
        documents = self.listings[:size]
        return 200, {
            "documents": documents,
            "meta": {
                "total_count": len(self.listings),
                "pageable_count": len(self.listings),
                "is_end": size >= len(self.listings),
                "same_name": {"region": [], "keyword": query_of(path).get("query"),
                              "selected_region": ""},
            },
        }  # fmt: skip


class FakeNaverLocal(FakeServer):
    """GET /v1/search/local.json"""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.listings = list(NAVER_ITEMS)

    def error_body(self, status: int) -> bytes:
        code = {401: "024", 429: "012"}.get(status, "500")
        return json.dumps({"errorMessage": f"fake error {status}", "errorCode": code}).encode()

    def answer(self, method, path, body, mode):
        if urlsplit(path).path != "/v1/search/local.json":
            return 404, {"errorMessage": "Not Found", "errorCode": "404"}
        if mode == "wrong_shape":
            return 200, {"total": 1, "items": {"title": "not a list"}}
        display = int(query_of(path).get("display", 1))
        items = self.listings[:display]
        return 200, {
            "lastBuildDate": "Mon, 07 Dec 2026 16:00:00 +0900",
            "total": len(self.listings),
            "start": 1,
            "display": len(items),
            "items": items,
        }


@pytest.fixture(scope="module")
def kakao_server():
    """A FakeKakaoLocal for the test module (import the fixture where it is used)."""
    server = FakeKakaoLocal().start()
    yield server
    server.stop()
