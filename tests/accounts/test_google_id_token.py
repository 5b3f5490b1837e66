"""[publishing] gap: Google sign-in trusts only an ID token verified against Google's JWKS
(signature, key id, issuer, audience = our client id, expiry, and this sign-in's nonce).
The local Google signs with a locally made RSA key and publishes it as a JWKS."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc.jwk import RSAKey

from accounts.models import SocialIdentity

pytestmark = pytest.mark.django_db


def _start(client) -> dict:
    started = client.post("/api/v1/auth/social/start/", {"provider": "google"}, format="json")
    assert started.status_code == 200, started.json()
    url = started.json()["authorization_url"]
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()} | {"url": url}


def _complete(client, platforms, url: str):
    code, state = platforms.consent(url)
    body = {"provider": "google", "code": code, "state": state}
    return client.post(
        "/api/v1/auth/social/complete/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )


def _sign_in(client, platforms):
    return _complete(client, platforms, _start(client)["url"])


def test_a_good_id_token_signs_in_with_its_claims_and_the_keys_are_cached(anon, platforms):
    first = _start(anon)
    assert first["scope"].split() == ["openid", "email", "profile"]
    assert len(first["nonce"]) >= 16

    response = _complete(anon, platforms, first["url"])
    again = _sign_in(anon, platforms)

    assert response.status_code == 200, response.json()
    assert response.json()["created"] is True
    identity = SocialIdentity.objects.get()
    assert (identity.provider, identity.subject) == ("google", "kakao-or-google-42")
    assert identity.email == "minji@example.com"
    assert again.json()["created"] is False
    assert platforms.jwks_fetches == 1  # the second sign-in used the cached keys
    assert _start(anon)["nonce"] != first["nonce"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"aud": "someone-elses-client"}, "audience"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
        ({"iss": "https://accounts.evil.example"}, "issuer"),
        ({"nonce": "from-another-sign-in"}, "nonce"),
    ],
)
def test_a_token_with_a_wrong_claim_signs_nobody_in(anon, platforms, change, reason):
    platforms.id_token_changes = change

    response = _sign_in(anon, platforms)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "ID_TOKEN_INVALID"
    assert error["details"] == {"provider": "Google", "reason": reason}
    assert error["message"].startswith("Google sign-in could not be verified")
    assert not SocialIdentity.objects.exists()


def test_a_token_signed_with_another_key_is_refused(anon, platforms):
    platforms.id_token_key = RSAKey.generate_key(2048)  # same kid, not Google's key

    response = _sign_in(anon, platforms)

    assert response.status_code == 400
    assert response.json()["error"]["details"]["reason"] == "signature"
    assert not SocialIdentity.objects.exists()


def test_an_unknown_key_id_fetches_the_keys_once_more_then_refuses(anon, platforms):
    assert _sign_in(anon, platforms).status_code == 200  # the keys are cached now
    platforms.id_token_kid = "google-rotated-9"
    platforms.jwks_fetches = 0

    response = _sign_in(anon, platforms)

    assert response.status_code == 400
    assert response.json()["error"]["details"]["reason"] == "unknown_key"
    assert platforms.jwks_fetches == 1  # one fresh look for a rotated key, no more
    assert SocialIdentity.objects.count() == 1


def test_the_refusal_is_in_korean_for_a_korean_user(anon, platforms):
    platforms.id_token_changes = {"aud": "someone-elses-client"}
    started = _start(anon)
    code, state = platforms.consent(started["url"])

    response = anon.post(
        "/api/v1/auth/social/complete/",
        {"provider": "google", "code": code, "state": state},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )

    assert response.status_code == 400
    assert "Google" in response.json()["error"]["message"]
    assert "확인" in response.json()["error"]["message"]


def test_unreachable_keys_are_a_provider_failure_not_a_sign_in(anon, platforms, settings):
    settings.GOOGLE_JWKS_URL = f"{platforms.url}/no-such-keys"

    response = _sign_in(anon, platforms)

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "EXTERNAL_API_ERROR"
    assert not SocialIdentity.objects.exists()
