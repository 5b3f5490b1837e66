"""Turning an HTTP failure from any provider into the two error kinds jobs understand."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping

from providers.base import PermanentProviderError, TransientProviderError

MAX_RETRY_AFTER_S = 600.0


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The wait a 429/503 asks for: `retry-after-ms`, `retry-after` seconds or HTTP date."""
    if not headers:
        return None
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    raw_ms = lowered.get("retry-after-ms", "").strip()
    if raw_ms:
        try:
            return min(max(0.0, float(raw_ms) / 1000), MAX_RETRY_AFTER_S)
        except ValueError:
            pass
    raw = lowered.get("retry-after", "").strip()
    if not raw:
        return None
    try:
        return min(max(0.0, float(raw)), MAX_RETRY_AFTER_S)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(raw)
    if parsed is None:
        return None
    return min(max(0.0, email.utils.mktime_tz(parsed) - time.time()), MAX_RETRY_AFTER_S)


def error_for_status(
    status: int,
    *,
    provider: str,
    name: str,
    key_env: str,
    detail: str = "",
    headers: Mapping[str, str] | None = None,
    what: str = "the model",
):
    """The ProviderError for an HTTP status: 429/408/409/5xx retry, every other 4xx fails now.

    `name` is how an operator knows the service ("OpenAI"), `key_env` the setting holding its
    key and `what` the thing asked for ("the model", "the voice"), so each message says what
    to check.
    """
    tail = f" ({detail})" if detail else ""
    if status == 429 or status in (408, 409):
        wait = retry_after_seconds(headers)
        hint = f"; retry after {wait:g} s" if wait is not None else ""
        return TransientProviderError(
            f"{name} is busy or rate limiting (HTTP {status}){hint}{tail}",
            provider=provider,
            retry_after_s=wait,
        )
    if status >= 500:
        return TransientProviderError(
            f"{name} had a server error (HTTP {status}){tail}",
            provider=provider,
            retry_after_s=retry_after_seconds(headers),
        )
    if status == 401:
        return PermanentProviderError(
            f"{name} refused the API key (HTTP 401): check {key_env}{tail}", provider=provider
        )
    if status == 403:
        return PermanentProviderError(
            f"{name} refused access (HTTP 403): check that the key in {key_env} may use {what} "
            f"and that the account is in good standing{tail}",
            provider=provider,
        )
    if status == 404:
        return PermanentProviderError(
            f"{name} does not know {what} (HTTP 404): check its name and the base URL{tail}",
            provider=provider,
        )
    return PermanentProviderError(
        f"{name} rejected the request (HTTP {status}){tail}", provider=provider
    )


def map_sdk_error(exc: Exception, *, sdk, provider: str, name: str, key_env: str, what: str):
    """The ProviderError for an exception from an OpenAI-style SDK (`openai`, `runwayml`: both
    raise APITimeoutError, APIConnectionError, APIStatusError, APIResponseValidationError)."""
    if isinstance(exc, sdk.APITimeoutError):
        return TransientProviderError("timed out", provider=provider)
    if isinstance(exc, sdk.APIConnectionError):
        return TransientProviderError(f"could not connect ({exc})", provider=provider)
    if isinstance(exc, sdk.APIStatusError):
        return error_for_status(
            exc.status_code,
            provider=provider,
            name=name,
            key_env=key_env,
            what=what,
            detail=str(exc.message)[:200],
            headers=exc.response.headers,
        )
    if isinstance(exc, (json.JSONDecodeError, sdk.APIResponseValidationError)):
        return PermanentProviderError(
            "answered with a body that is not the documented JSON", provider=provider
        )
    return PermanentProviderError(f"{type(exc).__name__}: {exc}", provider=provider)
