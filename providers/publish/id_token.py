"""Google's OpenID Connect ID token, verified before anyone is signed in by it.

The token endpoint hands back an `id_token` (a JWT) beside the access token. It is trusted only
when its RS256 signature checks against one of Google's published keys (the JWKS at
GOOGLE_JWKS_URL, cached for as long as Google's Cache-Control says, at most
GOOGLE_JWKS_CACHE_S), its issuer is Google, its audience is our client id, it has not expired,
and its nonce is the one this sign-in sent (OpenID Connect Core §3.1.3.7). A key id we do not
know fetches the keys again once: Google rotates them.

joserfc does the JOSE work: it is authlib's own successor to `authlib.jose` (deprecated there)
and authlib already depends on it.
"""

from __future__ import annotations

import re

import requests
from django.conf import settings
from django.core.cache import cache
from joserfc import errors as jose_errors
from joserfc import jwt
from joserfc.jwk import KeySet

from providers.base import PermanentProviderError, TransientProviderError
from providers.http import json_body

GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")
ALGORITHMS = ["RS256"]
CLOCK_SKEW_S = 60
_CACHE_PREFIX = "jwks:"
_MAX_AGE = re.compile(r"max-age=(\d+)")


class IdTokenRejected(Exception):
    """The ID token cannot be trusted. `reason` is one of: malformed, signature, unknown_key,
    issuer, audience, expired, nonce, claims."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def verify_google_id_token(id_token: str, *, client_id: str, nonce: str) -> dict:
    """The claims of a Google ID token that passed every check above. Raises IdTokenRejected,
    or a ProviderError when Google's keys cannot be fetched."""
    if not id_token or len(id_token) > 16_384:
        raise IdTokenRejected("malformed", "no ID token, or an oversized one")
    try:
        token = _decode(id_token, _keys(refresh=False))
    except jose_errors.InvalidKeyIdError:
        try:
            token = _decode(id_token, _keys(refresh=True))  # a key rotated in since we cached
        except jose_errors.InvalidKeyIdError as exc:
            raise IdTokenRejected("unknown_key", str(exc)) from exc
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=CLOCK_SKEW_S,
        iss={"essential": True, "values": list(GOOGLE_ISSUERS)},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except jose_errors.ExpiredTokenError as exc:
        raise IdTokenRejected("expired", str(exc)) from exc
    except (jose_errors.InvalidClaimError, jose_errors.MissingClaimError) as exc:
        claim = getattr(exc, "claim", "")
        reason = {"iss": "issuer", "aud": "audience", "exp": "expired", "nonce": "nonce"}
        raise IdTokenRejected(reason.get(claim, "claims"), str(exc)) from exc
    except jose_errors.JoseError as exc:
        raise IdTokenRejected("claims", str(exc)) from exc
    audience = claims.get("aud")
    # Several audiences: the party it was issued to (azp) must be us (OIDC Core §2).
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise IdTokenRejected("audience", "issued to another party (azp)")
    return dict(claims)


def _decode(id_token: str, keys: KeySet):
    try:
        return jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except jose_errors.InvalidKeyIdError:
        raise
    except jose_errors.BadSignatureError as exc:
        raise IdTokenRejected("signature", "the signature does not match Google's key") from exc
    except jose_errors.UnsupportedAlgorithmError as exc:
        raise IdTokenRejected("signature", str(exc)) from exc
    except (jose_errors.JoseError, ValueError) as exc:
        raise IdTokenRejected("malformed", str(exc)[:200]) from exc


def _keys(*, refresh: bool) -> KeySet:
    url = settings.GOOGLE_JWKS_URL
    key = _CACHE_PREFIX + url
    jwks = None if refresh else cache.get(key)
    if jwks is None:
        jwks, max_age = _fetch(url)
        cache.set(key, jwks, timeout=min(max_age, settings.GOOGLE_JWKS_CACHE_S))
    try:
        return KeySet.import_key_set(jwks)  # type: ignore[arg-type]  # checked: has "keys"
    except (jose_errors.JoseError, ValueError, KeyError, TypeError) as exc:
        cache.delete(key)
        raise PermanentProviderError(f"published unusable keys ({exc})", provider="Google") from exc


def _fetch(url: str) -> tuple[dict, int]:
    try:
        response = requests.get(url, timeout=settings.PUBLISH_TIMEOUT_S)
    except requests.RequestException as exc:
        raise TransientProviderError(
            f"could not fetch its keys ({exc})", provider="Google"
        ) from exc
    if response.status_code != 200:
        raise TransientProviderError(
            f"answered HTTP {response.status_code} for its keys", provider="Google"
        )
    jwks = json_body(response, provider="Google")
    if not isinstance(jwks.get("keys"), list):
        raise PermanentProviderError("published a key set without keys", provider="Google")
    found = _MAX_AGE.search(response.headers.get("Cache-Control", ""))
    return jwks, int(found.group(1)) if found else settings.GOOGLE_JWKS_CACHE_S
