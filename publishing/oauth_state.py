"""The pending half of an OAuth flow, between sending the user to consent and their return:
kept in the cache under the random `state` (RFC 6749 §10.12, CSRF) for OAUTH_STATE_TTL_S,
with the PKCE verifier, and taken once: a replayed or forged callback finds nothing."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache

_PREFIX = "oauth-state:"


def remember(*, purpose: str, **data) -> tuple[str, str]:
    """A fresh (state, PKCE code verifier) pair, remembered with `data` for `purpose`."""
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)[:96]  # 43-128 characters (RFC 7636)
    payload = {"purpose": purpose, "verifier": verifier, **data}
    cache.set(_PREFIX + state, payload, timeout=settings.OAUTH_STATE_TTL_S)
    return state, verifier


def take(*, state: str, purpose: str) -> dict | None:
    """The data remembered under `state` for `purpose`, forgotten as it is read; None when
    there is none (expired, used, forged, or for another purpose)."""
    if not state or len(state) > 200:
        return None
    key = _PREFIX + state
    payload = cache.get(key)
    cache.delete(key)
    if not payload or payload.get("purpose") != purpose:
        return None
    return payload
