"""Place search through Kakao Local and Naver Local Search (local servers speaking their
formats): results not yet saved, suggestions, importing a listing once, faults, and the
400 NOT_CONFIGURED without keys."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import cache

from places.models import Place
from places.services import place_search
from providers.base import PermanentProviderError, TransientProviderError
from providers.models import AIProviderConfig
from providers.place_search.base import region_of
from providers.place_search.kakao import KakaoLocalSearch
from providers.place_search.naver import NaverLocalSearch
from providers.registry import check_connection
from tests.places.fake_place_search import (
    KAKAO_KEY,
    NAVER_ID,
    NAVER_SECRET,
    FakeNaverLocal,
    query_of,
)
from tests.providers.fakes import RETRY_AFTER_S

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def naver_server():
    server = FakeNaverLocal().start()
    yield server
    server.stop()


@pytest.fixture
def search_settings(settings, kakao_server, naver_server):
    kakao_server.reset()
    naver_server.reset()
    settings.REELMAKER_PLACE_SEARCH = ["kakao", "naver"]
    settings.KAKAO_REST_API_KEY = KAKAO_KEY
    settings.KAKAO_LOCAL_BASE_URL = kakao_server.url
    settings.NAVER_CLIENT_ID = NAVER_ID
    settings.NAVER_CLIENT_SECRET = NAVER_SECRET
    settings.NAVER_SEARCH_BASE_URL = naver_server.url
    settings.PROVIDER_TIMEOUT_S = 2
    settings.PROVIDER_RETRY_AFTER_MAX_S = 0
    yield settings
    kakao_server.reset()
    naver_server.reset()


def test_kakao_search_sends_the_key_and_returns_unsaved_listings(
    api, search_settings, kakao_server
):
    answer = api.get("/api/v1/places/search", {"q": "강릉 바다정원"})

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["provider"] == "kakao"
    cafe, stay = body["results"]
    assert cafe["source"] == "kakao"
    assert cafe["source_id"] == "26338954"
    assert cafe["name"] == "바다정원 카페"
    assert cafe["category"] == "cafe"
    assert stay["category"] == "stay"
    assert cafe["region"] == "강릉"
    assert cafe["address"] == "강원특별자치도 강릉시 창해로 14"
    assert stay["address"] == "강원특별자치도 강릉시 주문진읍 1"  # no road address: the lot one
    assert cafe["longitude"] == pytest.approx(128.946)
    (sent,) = kakao_server.requests
    assert sent.headers["authorization"] == f"KakaoAK {KAKAO_KEY}"
    assert query_of(sent.path) == {"query": "강릉 바다정원", "page": "1", "size": "10"}
    assert not Place.objects.exists()


def test_naver_search_strips_highlights_and_reads_degrees(api, search_settings, naver_server):
    answer = api.get("/api/v1/places/search", {"q": "연남", "provider": "naver"})

    assert answer.status_code == 200, answer.json()
    cafe, diner = answer.json()["results"]
    assert cafe["name"] == "연남 달빛&커피"
    assert cafe["category"] == "cafe"
    assert diner["category"] == "restaurant"
    assert cafe["category_path"] == "카페,디저트 > 카페"
    assert cafe["region"] == "서울 마포구"
    assert cafe["longitude"] == pytest.approx(126.9246344)
    assert cafe["latitude"] == pytest.approx(37.5623876)
    assert cafe["source_id"] != diner["source_id"]
    (sent,) = naver_server.requests
    assert sent.headers["x-naver-client-id"] == NAVER_ID
    assert sent.headers["x-naver-client-secret"] == NAVER_SECRET
    assert query_of(sent.path)["display"] == "5"  # Naver's most
    again = api.get("/api/v1/places/search", {"q": "연남", "provider": "naver"}).json()
    assert again["results"][0]["source_id"] == cafe["source_id"]  # stable without an id


def test_autocomplete_is_a_short_kakao_keyword_search(api, search_settings, kakao_server):
    answer = api.get("/api/v1/places/autocomplete", {"q": "바다"})

    assert answer.status_code == 200
    assert answer.json()["provider"] == "kakao"
    assert query_of(kakao_server.requests[0].path)["size"] == "5"


def _token(api, source_id: str, **query) -> str:
    found = api.get("/api/v1/places/search", {"q": "바다정원", **query}).json()["results"]
    return next(r["token"] for r in found if r["source_id"] == source_id)


def test_import_saves_the_listing_once_per_owner(api, other_api, search_settings):
    pick = {"token": _token(api, "26338954"), "language": "ko"}

    made = api.post("/api/v1/places/search/import", pick, format="json")
    again = api.post("/api/v1/places/search/import", pick, format="json")
    theirs = other_api.post("/api/v1/places/search/import", pick, format="json")

    assert made.status_code == 201, made.json()
    place = made.json()
    assert (place["source"], place["source_id"]) == ("kakao", "26338954")
    assert (place["name"], place["category"], place["phone"]) == (
        "바다정원 카페", "cafe", "033-123-4567"
    )  # fmt: skip
    assert place["detail"] == "음식점 > 카페 > 커피전문점"
    assert again.status_code == 200
    assert again.json()["id"] == place["id"]
    assert Place.objects.filter(source="kakao", source_id="26338954").count() == 1
    # Another user never searched: they cannot import what this user found.
    assert theirs.status_code == 400
    assert theirs.json()["error"]["code"] == "INVALID_REQUEST"


def test_an_import_needs_no_state_kept_by_the_process_that_searched(api, search_settings):
    """A search answered by one web process imports through another: nothing of it is kept in
    a per-process cache (the default), the token carries the listing."""
    token = _token(api, "8116548")
    cache.clear()

    made = api.post("/api/v1/places/search/import", {"token": token}, format="json")

    assert made.status_code == 201, made.json()
    assert (made.json()["name"], made.json()["category"]) == ("바다정원 펜션", "stay")


def test_a_token_made_up_tampered_with_or_over_an_hour_old_is_400(api, search_settings):
    token = _token(api, "26338954")
    listing = signing.loads(token, salt=place_search.SIGNING_SALT)
    listing["listing"]["name"] = "Not what Kakao said"
    forged = signing.dumps(listing, salt="another salt", compress=True)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    with mock.patch("time.time", return_value=time.time() + place_search.RESULT_TTL_S + 5):
        stale = api.post("/api/v1/places/search/import", {"token": token}, format="json")

    for answer in (
        stale,
        api.post("/api/v1/places/search/import", {"token": forged}, format="json"),
        api.post("/api/v1/places/search/import", {"token": tampered}, format="json"),
        api.post("/api/v1/places/search/import", {"token": "1,2:abc"}, format="json"),
    ):
        assert answer.status_code == 400
        error = answer.json()["error"]
        assert "search again" in error["message"]
        assert error["details"]["fields"]["token"] == [error["message"]]
    assert not Place.objects.exists()


def test_without_keys_search_is_400_not_configured_naming_the_settings(api, settings):
    settings.REELMAKER_PLACE_SEARCH = ["kakao"]
    settings.KAKAO_REST_API_KEY = ""

    answer = api.get("/api/v1/places/search", {"q": "카페"})
    suggest = api.get("/api/v1/places/autocomplete", {"q": "카페"})

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "NOT_CONFIGURED"
    assert "KAKAO_REST_API_KEY" in error["details"]["settings"]
    assert suggest.json()["error"]["code"] == "NOT_CONFIGURED"


def test_asking_for_a_service_that_is_not_configured_is_400(api, search_settings):
    search_settings.NAVER_CLIENT_SECRET = ""

    answer = api.get("/api/v1/places/search", {"q": "카페", "provider": "naver"})

    assert answer.status_code == 400
    assert answer.json()["error"]["details"]["platforms"] == ["naver"]


def test_korean_message_for_not_configured(api, settings):
    settings.REELMAKER_PLACE_SEARCH = []

    answer = api.get("/api/v1/places/search", {"q": "카페"}, HTTP_ACCEPT_LANGUAGE="ko")

    assert "장소 검색" in answer.json()["error"]["message"]


@pytest.mark.parametrize("provider", ["kakao", "naver"])
@pytest.mark.parametrize(
    ("mode", "error", "says"),
    [
        ("401", PermanentProviderError, "refused the API key (HTTP 401)"),
        ("429", TransientProviderError, f"retry after {RETRY_AFTER_S} s"),
        ("500", TransientProviderError, "server error (HTTP 500)"),
        ("garbage", PermanentProviderError, "not JSON"),
        ("slow", TransientProviderError, "timed out"),
        ("wrong_shape", PermanentProviderError, "answered without"),
    ],
)
def test_faults_map_to_retry_or_fail(kakao_server, naver_server, provider, mode, error, says):
    server = {"kakao": kakao_server, "naver": naver_server}[provider]
    server.reset()
    server.modes[:] = [mode]
    client = (
        KakaoLocalSearch(api_key=KAKAO_KEY, base_url=server.url, timeout_s=0.3)
        if provider == "kakao"
        else NaverLocalSearch(
            client_id=NAVER_ID, client_secret=NAVER_SECRET, base_url=server.url, timeout_s=0.3
        )
    )

    with pytest.raises(error, match=says.replace("(", r"\(").replace(")", r"\)")) as caught:
        client.search(query="카페")

    assert caught.value.provider == provider
    if mode == "429":
        assert caught.value.retry_after_s == RETRY_AFTER_S
    if mode == "401":
        key = "KAKAO_REST_API_KEY" if provider == "kakao" else "NAVER_CLIENT_SECRET"
        assert key in caught.value.message
    server.reset()


@pytest.mark.parametrize("mode", ["401", "429", "garbage"])
def test_a_failing_service_is_a_502_in_the_envelope(api, search_settings, kakao_server, mode):
    kakao_server.modes[:] = [mode]

    answer = api.get("/api/v1/places/search", {"q": "카페"})

    assert answer.status_code == 502
    error = answer.json()["error"]
    assert error["code"] == "EXTERNAL_API_ERROR"
    assert error["details"]["provider"] == "kakao"
    assert len(kakao_server.requests) == 1  # Retry-After 7 s is past the wait allowed


def test_a_server_error_is_asked_again_once(api, search_settings, kakao_server):
    search_settings.PROVIDER_RETRY_AFTER_MAX_S = 1
    kakao_server.modes[:] = ["500"]

    answer = api.get("/api/v1/places/search", {"q": "카페"})

    assert answer.status_code == 200
    assert len(kakao_server.requests) == 2


def test_an_admin_row_picks_the_service_and_tests_its_connection(
    api, search_settings, naver_server
):
    search_settings.REELMAKER_PLACE_SEARCH = ["kakao"]
    row = AIProviderConfig.objects.create(
        capability="place_search", provider="naver", base_url=naver_server.url
    )

    answer = api.get("/api/v1/places/search", {"q": "연남"})

    assert answer.json()["provider"] == "naver"
    assert "local search answers" in check_connection(config_id=row.pk)


def test_an_answer_far_larger_than_a_page_of_listings_is_refused(kakao_server, monkeypatch):
    kakao_server.reset()
    monkeypatch.setattr("providers.place_search.kakao.MAX_ANSWER_BYTES", 200)

    with pytest.raises(PermanentProviderError, match="over 200 bytes"):
        KakaoLocalSearch(api_key=KAKAO_KEY, base_url=kakao_server.url).search(query="카페")


def test_searches_and_suggestions_are_throttled_per_user(api, other_api, search_settings):
    rates = {**search_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "place_search": "2/min"}
    search_settings.REST_FRAMEWORK = {
        **search_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }

    answers = [
        api.get("/api/v1/places/search", {"q": "카페"}).status_code,
        api.get("/api/v1/places/autocomplete", {"q": "카"}).status_code,
        api.get("/api/v1/places/search", {"q": "카페"}).status_code,
    ]

    assert answers == [200, 200, 429]
    assert other_api.get("/api/v1/places/search", {"q": "카페"}).status_code == 200


@pytest.mark.parametrize(
    ("address", "region"),
    [
        ("강원특별자치도 강릉시 견소동 6", "강릉"),
        ("경기 수원시 팔달구 인계동 1", "수원"),
        ("경북 울릉군 울릉읍", "울릉"),
        ("서울특별시 마포구 연남동 223-14", "서울 마포구"),
        ("부산 해운대구 우동 1", "부산 해운대구"),
        ("세종특별자치시 한누리대로 2130", "세종"),
        ("", ""),
    ],
)
def test_the_region_is_short_enough_to_sing(address, region):
    assert region_of(address) == region
