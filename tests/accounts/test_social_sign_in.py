from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from accounts.models import SocialIdentity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, platforms, provider: str):
    started = client.post("/api/v1/auth/social/start/", {"provider": provider}, format="json")
    assert started.status_code == 200, started.json()
    code, state = platforms.consent(started.json()["authorization_url"])
    body = {"provider": provider, "code": code, "state": state}
    return client.post("/api/v1/auth/social/complete/", body, format="json")


def _me(access: str) -> dict:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/v1/users/me/").json()


def test_kakao_sign_in_makes_an_account_and_answers_a_working_jwt(anon, platforms):
    response = _sign_in(anon, platforms, "kakao")

    assert response.status_code == 200
    assert response.json()["created"] is True
    assert _me(response.json()["access"])["email"] == "minji@example.com"
    identity = SocialIdentity.objects.get()
    assert (identity.provider, identity.subject) == ("kakao", "42")
    assert not identity.user.has_usable_password()
    assert identity.user.verified_email.email == "minji@example.com"


def test_signing_in_again_is_the_same_account(anon, platforms):
    first = _sign_in(anon, platforms, "kakao").json()
    second = _sign_in(anon, platforms, "kakao").json()

    assert second["created"] is False
    assert _me(first["access"])["id"] == _me(second["access"])["id"]


def test_google_sign_in_with_a_verified_email_joins_the_password_account(anon, platforms):
    user = UserFactory(username="minji@example.com", email="minji@example.com")

    response = _sign_in(anon, platforms, "google")

    assert response.json()["created"] is False
    assert _me(response.json()["access"])["id"] == user.pk
    login = anon.post(
        "/api/v1/auth/login/",
        {"email": "minji@example.com", "password": "correct-horse-battery-9"},
        format="json",
    )
    assert login.status_code == 200  # both ways in work
    started = anon.post("/api/v1/auth/social/start/", {"provider": "google"}, format="json")
    started = started.json()["authorization_url"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(started).query).items()}
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == "S256"


def test_an_unverified_email_does_not_join_an_existing_account(anon, platforms):
    user = UserFactory(username="minji@example.com", email="minji@example.com")
    platforms.email_verified = False

    response = _sign_in(anon, platforms, "google")

    assert response.json()["created"] is True
    assert _me(response.json()["access"])["id"] != user.pk
    assert not SocialIdentity.objects.filter(user=user).exists()


def test_a_signed_in_user_adds_kakao_to_their_account(api, user, platforms):
    platforms.email = "someone-else@example.com"

    response = _sign_in(api, platforms, "kakao")

    assert response.json()["created"] is False
    assert SocialIdentity.objects.get().user == user


def test_an_identity_of_another_account_is_not_moved(api, anon, user, platforms):
    platforms.email = "other@example.com"
    _sign_in(anon, platforms, "kakao")

    response = _sign_in(api, platforms, "kakao")

    assert response.status_code == 409
    assert SocialIdentity.objects.get().user != user


def test_a_forged_state_signs_nobody_in(anon, platforms):
    anon.post("/api/v1/auth/social/start/", {"provider": "kakao"}, format="json")

    body = {"provider": "kakao", "code": "code-1", "state": "forged"}
    response = anon.post("/api/v1/auth/social/complete/", body, format="json")

    assert response.status_code == 400
    assert not SocialIdentity.objects.exists()


def test_sign_in_without_settings_is_refused_naming_them(anon, settings):
    settings.KAKAO_REST_API_KEY = ""

    response = anon.post("/api/v1/auth/social/start/", {"provider": "kakao"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"]["settings"] == [
        "KAKAO_REST_API_KEY", "KAKAO_CLIENT_SECRET",
    ]  # fmt: skip
    other = anon.post("/api/v1/auth/social/start/", {"provider": "myspace"}, format="json")
    assert other.status_code == 400
