"""Who signed in with Google or Kakao: the account behind an OAuth token.

Google: the OpenID Connect userinfo endpoint (sub, email, email_verified, name).
Kakao: /v2/user/me (id, kakao_account.email, is_email_verified, profile.nickname).
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


def profile(provider: str, *, access_token: str) -> SocialProfile:
    """The signed-in person's profile. Raises ProviderError when the answer names nobody."""
    headers = {"Authorization": f"Bearer {access_token}"}
    url = (
        settings.GOOGLE_USERINFO_URL
        if provider == GOOGLE
        else f"{settings.KAKAO_API_URL}/v2/user/me"
    )
    key_env = "GOOGLE_CLIENT_ID" if provider == GOOGLE else "KAKAO_REST_API_KEY"
    with requests.Session() as plain:
        body = json_body(
            call(plain, "GET", url, provider=provider, key_env=key_env, headers=headers),
            provider=provider,
        )
    if provider == GOOGLE:
        found = SocialProfile(
            provider=GOOGLE,
            subject=str(body.get("sub") or ""),
            email=str(body.get("email") or "").lower(),
            email_verified=body.get("email_verified") is True,
            name=str(body.get("name") or ""),
        )
    elif provider == KAKAO:
        account = body.get("kakao_account") or {}
        found = SocialProfile(
            provider=KAKAO,
            subject=str(body.get("id") or ""),
            email=str(account.get("email") or "").lower(),
            email_verified=bool(account.get("is_email_valid") and account.get("is_email_verified")),
            name=str((account.get("profile") or {}).get("nickname") or ""),
        )
    else:
        raise ValueError(f"unknown sign-in provider {provider!r}")
    if not found.subject:
        raise PermanentProviderError("the profile named no user id", provider=provider)
    return found
