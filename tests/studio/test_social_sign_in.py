"""Sign in with Google or Kakao from the studio's sign-in page: buttons only for configured
providers, the round trip through the (local) provider ends signed in with a session, and a
refusal is shown on the page in the user's language."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SocialIdentity

pytestmark = pytest.mark.django_db


def _start(client, provider: str, platforms, **extra) -> dict:
    response = client.post(reverse("studio:social-start", args=[provider]), extra)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(platforms.url)
    code, state = platforms.consent(location)
    return {"code": code, "state": state}


def test_the_buttons_show_only_for_configured_providers(client, platforms, settings):
    both = client.get(reverse("studio:sign-in"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    settings.KAKAO_REST_API_KEY = ""
    google_only = client.get(reverse("studio:sign-in")).content.decode()
    settings.GOOGLE_CLIENT_ID = ""
    neither = client.get(reverse("studio:sign-in")).content.decode()

    assert "Google로 계속하기" in both
    assert "카카오로 계속하기" in both
    assert "Continue with Google" in google_only
    assert "Kakao" not in google_only
    assert "Continue with" not in neither
    assert 'id="social-heading"' not in neither
    refused = client.post(reverse("studio:social-start", args=["kakao"]))
    assert refused.status_code == 404


def test_google_round_trip_signs_in_with_a_session_and_goes_next(client, platforms):
    answer = _start(client, "google", platforms, next="/library/")

    response = client.get(reverse("studio:social-callback", args=["google"]), answer)

    assert response.status_code == 302
    assert response["Location"] == "/library/"
    identity = SocialIdentity.objects.get()
    assert identity.provider == "google"
    assert client.get("/api/v1/users/me").json()["email"] == "minji@example.com"
    assert platforms.codes == {}  # the code was spent


def test_kakao_round_trip_signs_in(client, platforms):
    answer = _start(client, "kakao", platforms)

    response = client.get(reverse("studio:social-callback", args=["kakao"]), answer)

    assert response.status_code == 302
    assert response["Location"] == reverse("studio:home")
    assert SocialIdentity.objects.get().provider == "kakao"


def test_a_bad_id_token_is_shown_on_the_sign_in_page_in_korean(client, platforms):
    platforms.id_token_changes = {"aud": "someone-elses-client"}
    answer = _start(client, "google", platforms)

    response = client.get(
        reverse("studio:social-callback", args=["google"]), answer, HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="social-error"' in page
    assert "다른 애플리케이션에 발급된 토큰입니다" in page
    assert not SocialIdentity.objects.exists()
    assert client.get("/api/v1/users/me").status_code == 401


def test_a_declined_consent_or_a_forged_state_signs_nobody_in(client, platforms):
    declined = client.get(
        reverse("studio:social-callback", args=["kakao"]), {"error": "access_denied"}
    )
    forged = client.get(
        reverse("studio:social-callback", args=["kakao"]), {"code": "code-1", "state": "forged"}
    )

    assert declined.status_code == 400
    assert "Sign-in with Kakao was canceled." in declined.content.decode()
    assert forged.status_code == 400
    assert "Start again" in forged.content.decode()
    assert not SocialIdentity.objects.exists()


def test_a_link_with_another_browser_s_code_and_state_signs_nobody_in(client, platforms):
    attacker = Client()
    answer = _start(attacker, "google", platforms)  # the attacker's own Google sign-in

    response = client.get(reverse("studio:social-callback", args=["google"]), answer)

    assert response.status_code == 400
    assert not SocialIdentity.objects.exists()
    assert client.get("/api/v1/users/me").status_code == 401
