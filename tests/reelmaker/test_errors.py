import pytest
from rest_framework.test import APIClient

from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db


def envelope(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


def test_401_without_credentials_and_with_a_bad_token(anon):
    envelope(anon.get("/api/v1/stories/"), 401, "UNAUTHORIZED")
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    error = envelope(bad.get("/api/v1/stories/"), 401, "UNAUTHORIZED")
    assert error["message"]


def test_404_405_415_and_validation(api, user):
    envelope(api.get("/api/v1/stories/999999/"), 404, "NOT_FOUND")
    envelope(api.put("/api/v1/users/me", {}, format="json"), 405, "INVALID_REQUEST")
    envelope(
        api.post("/api/v1/stories/", "keyword=x", content_type="text/plain"), 415, "INVALID_REQUEST"
    )
    envelope(
        api.post("/api/v1/stories/", "{not json", content_type="application/json"),
        400,
        "INVALID_REQUEST",
    )
    error = envelope(api.post("/api/v1/stories/", {}, format="json"), 400, "INVALID_REQUEST")
    assert {"keyword", "language"} <= set(error["details"]["fields"])


def test_messages_follow_accept_language(api, user):
    story = StoryFactory(owner=user)
    korean = {"HTTP_ACCEPT_LANGUAGE": "ko"}
    en = envelope(api.get("/api/v1/stories/999999/", HTTP_ACCEPT_LANGUAGE="en"), 404, "NOT_FOUND")
    ko = envelope(api.get("/api/v1/stories/999999/", **korean), 404, "NOT_FOUND")
    assert en["message"] == "Not found."
    assert ko["message"] != en["message"]
    assert any("\uac00" <= c <= "\ud7a3" for c in ko["message"])
    api.post(f"/api/v1/stories/{story.pk}/lock/")
    locked = envelope(
        api.patch(f"/api/v1/stories/{story.pk}/", {"keyword": "x"}, format="json", **korean),
        409,
        "PLAN_LOCKED",
    )
    assert any("\uac00" <= c <= "\ud7a3" for c in locked["message"])
    invalid = envelope(
        api.post("/api/v1/stories/", {}, format="json", **korean), 400, "INVALID_REQUEST"
    )
    assert any("\uac00" <= c <= "\ud7a3" for c in invalid["message"])
    anon = envelope(APIClient().get("/api/v1/stories/", **korean), 401, "UNAUTHORIZED")
    assert any("\uac00" <= c <= "\ud7a3" for c in anon["message"])


def test_throttled_requests_are_429_with_retry_after(api, user, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "user": "2/min"},
    }
    from rest_framework.throttling import UserRateThrottle

    UserRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        api.get("/api/v1/stories/")
        api.get("/api/v1/stories/")
        response = api.get("/api/v1/stories/")
    finally:
        UserRateThrottle.THROTTLE_RATES = rates
    error = envelope(response, 429, "RATE_LIMIT_EXCEEDED")
    assert int(response["Retry-After"]) >= 1
    assert error["details"]["retry_after_s"] >= 1


def test_an_unexpected_error_is_500_internal_error_without_details(api, user, monkeypatch):
    from stories import selectors

    def boom(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "story_statistics", boom)
    error = envelope(api.get("/api/v1/stories/statistics/"), 500, "INTERNAL_ERROR")
    assert "secret" not in error["message"]
    assert error["details"] == {}


def test_field_errors_from_drf_itself_are_in_korean_too(api):
    response = api.post(
        "/api/v1/stories/", {"language": "ko"}, format="json", HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 400
    fields = response.json()["error"]["details"]["fields"]
    assert fields["keyword"] == ["이 필드는 필수입니다."]
