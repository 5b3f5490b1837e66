"""Who signed in with Google or Kakao.

Google: the claims of its verified OpenID Connect ID token (sub, email, email_verified, name;
providers.publish.id_token checks it). Kakao: /v2/user/me with the access token (id,
kakao_account.email, is_email_verified, profile.nickname).
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings

from providers.base import PermanentProviderError
from providers.http import json_body
from providers.publish.oauth import GOOGLE, KAKAO, call


@dataclass(frozen=True)
class SocialProfile:
    provider: str
    subject: str  # the provider's stable user id
    email: str
    email_verified: bool
    name: str


def google_profile(claims: dict) -> SocialProfile:
    """The person a verified Google ID token names."""
    # Google writes email_verified as a JSON boolean; some older tokens carried "true".
    verified = claims.get("email_verified") in (True, "true")
    subject = str(claims.get("sub") or "")
    if not subject:
        raise PermanentProviderError("the ID token named no user id", provider=GOOGLE)
    return SocialProfile(
        provider=GOOGLE,
        subject=subject,
        email=str(claims.get("email") or "").lower(),
        email_verified=verified,
        name=str(claims.get("name") or ""),
    )


def kakao_profile(*, access_token: str) -> SocialProfile:
    """The Kakao account behind a fresh access token. Raises ProviderError when the answer
    names nobody."""
    headers = {"Authorization": f"Bearer {access_token}"}
    with requests.Session() as plain:
        body = json_body(
            call(
                plain,
                "GET",
                f"{settings.KAKAO_API_URL}/v2/user/me",
                provider=KAKAO,
                key_env="KAKAO_REST_API_KEY",
                headers=headers,
            ),
            provider=KAKAO,
        )
    account = body.get("kakao_account") or {}
    found = SocialProfile(
        provider=KAKAO,
        subject=str(body.get("id") or ""),
        email=str(account.get("email") or "").lower(),
        email_verified=bool(account.get("is_email_valid") and account.get("is_email_verified")),
        name=str((account.get("profile") or {}).get("nickname") or ""),
    )
    if not found.subject:
        raise PermanentProviderError("the profile named no user id", provider=KAKAO)
    return found
