"""One mapping of the `openai` SDK's errors onto the two provider error kinds, shared by
every provider built on that SDK (the writer, the marketing and lyric writer, speech
recognition), so each says the same thing about the same failure."""

from __future__ import annotations

import json

import openai

from providers.base import PermanentProviderError, ProviderError, TransientProviderError
from providers.http import error_for_status

PROVIDER = "openai"


def openai_error(
    exc: Exception, *, where: str, timeout_s: float, key_env: str, what: str
) -> ProviderError:
    """One SDK, transport or decoding error as Transient or Permanent, saying what to check:
    `where` is the server (base URL or api.openai.com), `what` the thing asked for."""
    if isinstance(exc, openai.APITimeoutError):
        return TransientProviderError(
            f"OpenAI did not answer within {timeout_s:g} s ({where})", provider=PROVIDER
        )
    if isinstance(exc, openai.APIConnectionError):
        return TransientProviderError(
            f"cannot reach {where}: {exc}; check OPENAI_BASE_URL and the network",
            provider=PROVIDER,
        )
    if isinstance(exc, openai.APIStatusError):
        body = exc.body if isinstance(exc.body, dict) else {}
        error = body.get("error", body) if isinstance(body, dict) else {}
        code = error.get("code") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        if exc.status_code == 429 and code == "insufficient_quota":
            # A 429 that waiting cannot heal: the account is out of credit.
            return PermanentProviderError(
                "OpenAI says the account has no quota left: check the plan and billing "
                f"of the key in {key_env}",
                provider=PROVIDER,
            )
        return error_for_status(
            exc.status_code,
            provider=PROVIDER,
            name="OpenAI",
            key_env=key_env,
            detail=str(message or "")[:300],
            headers=exc.response.headers,
            what=what,
        )
    if isinstance(exc, json.JSONDecodeError):
        return malformed("the body is not JSON", where=where)
    if isinstance(exc, openai.APIResponseValidationError):
        return malformed(str(exc), where=where)
    if isinstance(exc, openai.OpenAIError):
        return PermanentProviderError(f"OpenAI client error: {exc}", provider=PROVIDER)
    return malformed(f"{type(exc).__name__}: {exc}", where=where)


def malformed(what: str, *, where: str) -> PermanentProviderError:
    """An answer that is not what the API documents."""
    return PermanentProviderError(
        f"OpenAI ({where}) sent a malformed answer: {what}", provider=PROVIDER
    )
