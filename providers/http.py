"""HTTP for every provider: failures mapped onto the two error kinds jobs understand
(timeouts, 429 Retry-After, 5xx, 401/403, garbage bodies) and media downloads behind the SSRF
guard.

A media URL comes from a provider's answer, so it is as untrusted as a user's: each hop of a
redirect is resolved and checked again, the body is streamed with a size cap, and nothing
is kept unless the whole file arrived.

Every call has a total deadline (PROVIDER_DEADLINE_S), not only a per-read timeout: a server
trickling its answer a byte at a time is cut off when the deadline passes. request() and
download() check it between reads; SDK clients get it through deadline_client().
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

if TYPE_CHECKING:
    import requests

from providers.base import PermanentProviderError, TransientProviderError
from providers.deadlines import DeadlineTransport, deadline_s, within_deadline
from reelmaker.ssrf import UnsafeUrl, resolve_public
from render.inspection import MediaInfo, MediaToolMissing, UnusableMedia, inspect_media

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


MAX_REDIRECTS = 3
_CHUNK = 1 << 16


def timeout(seconds: float | None = None) -> httpx.Timeout:
    """The explicit timeout of every provider call: connect quickly, read for `seconds`."""
    total = float(seconds if seconds is not None else settings.PROVIDER_TIMEOUT_S)
    return httpx.Timeout(total, connect=min(10.0, total))


def retry_after_s(response: httpx.Response) -> float | None:
    """The Retry-After hint in seconds (delta or HTTP date), None when absent or unreadable."""
    return retry_after_seconds(response.headers)


def check_response(response: httpx.Response, *, provider: str, key_setting: str) -> None:
    """Map a non-2xx answer onto the two error kinds, saying what an operator should check."""
    if response.status_code < 300:
        return
    raise error_for_status(
        response.status_code,
        provider=provider,
        name=provider.capitalize(),
        key_env=key_setting,
        detail=response.text[:200].strip(),
        headers=response.headers,
        what="this API",
    )


def json_body(response: httpx.Response | requests.Response, *, provider: str) -> dict:
    """The answer's JSON object (httpx or requests, whose JSON errors are ValueErrors);
    anything else is a permanent error naming the provider."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise PermanentProviderError(
            f"answered with a body that is not JSON ({response.text[:80]!r})", provider=provider
        ) from exc
    if not isinstance(body, dict):
        raise PermanentProviderError("answered with JSON of the wrong shape", provider=provider)
    return body


def request(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    provider: str,
    key_setting: str,
    limit_s: float | None = None,
    max_bytes: int | None = None,
    **kwargs,
) -> httpx.Response:
    """One API call with timeouts and transport errors mapped; status checked. The whole call,
    the body included, ends within `limit_s` (PROVIDER_DEADLINE_S): TransientProviderError.
    An answer over `max_bytes` (when given) is a PermanentProviderError, read no further."""
    limit = float(limit_s if limit_s is not None else deadline_s())
    deadline = time.monotonic() + limit
    waits = client.timeout
    kwargs.setdefault(
        "timeout",
        httpx.Timeout(
            min(waits.read or limit, limit),
            connect=min(waits.connect or limit, limit),
            write=min(waits.write or limit, limit),
            pool=min(waits.pool or limit, limit),
        ),
    )
    try:
        with client.stream(method, url, **kwargs) as streamed:
            body = _capped(
                within_deadline(streamed.iter_bytes(), deadline, limit, streamed.request),
                max_bytes=max_bytes,
                provider=provider,
            )
            response = httpx.Response(
                streamed.status_code,
                headers=streamed.headers,
                content=body,
                request=streamed.request,
            )
    except httpx.TimeoutException as exc:
        raise TransientProviderError(
            f"timed out ({type(exc).__name__}: {exc})", provider=provider
        ) from exc
    except httpx.TransportError as exc:
        raise TransientProviderError(f"could not connect ({exc})", provider=provider) from exc
    check_response(response, provider=provider, key_setting=key_setting)
    return response


def _capped(chunks, *, max_bytes: int | None, provider: str) -> bytes:
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if max_bytes is not None and len(body) > max_bytes:
            raise PermanentProviderError(
                f"answered with over {max_bytes} bytes, more than this API sends",
                provider=provider,
            )
    return bytes(body)


def download(
    url: str,
    *,
    out_path: Path,
    provider: str,
    headers: dict[str, str] | None = None,
    max_bytes: int | None = None,
    timeout_s: float | None = None,
) -> Path:
    """Fetch `url` to `out_path` through the SSRF guard with a size cap, all of it (redirects
    included) within PROVIDER_DEADLINE_S. Safe to repeat.

    Raises PermanentProviderError for an unsafe or non-media URL, a 4xx or an oversized body;
    TransientProviderError for timeouts (the deadline too), 429 and 5xx.
    """
    limit = deadline_s()
    deadline = time.monotonic() + limit
    cap = max_bytes or settings.PROVIDER_MAX_DOWNLOAD_BYTES
    allow_private = settings.FETCH_ALLOW_PRIVATE_URLS
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(out_path.name + ".part")
    pins: dict[str, list[str]] = {}
    transport = DeadlineTransport(limit, inner=PinnedTransport(pins))
    with httpx.Client(
        timeout=timeout(timeout_s), follow_redirects=False, transport=transport
    ) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                pins[(urlsplit(url).hostname or "").lower()] = resolve_public(
                    url, allow_private=allow_private
                )
            except UnsafeUrl as exc:
                raise PermanentProviderError(
                    f"media URL {url!r} is not a public http(s) address", provider=provider
                ) from exc
            try:
                with client.stream("GET", url, headers=headers or {}) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 300:
                        response.read()
                    check_response(response, provider=provider, key_setting="the media URL")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > cap:
                        raise PermanentProviderError(
                            f"media is {declared} bytes, over the {cap}-byte limit",
                            provider=provider,
                        )
                    size = 0
                    with partial.open("wb") as fh:
                        chunks = response.iter_bytes(_CHUNK)
                        for chunk in within_deadline(chunks, deadline, limit, response.request):
                            size += len(chunk)
                            if size > cap:
                                raise PermanentProviderError(
                                    f"media is over the {cap}-byte limit", provider=provider
                                )
                            fh.write(chunk)
            except httpx.TimeoutException as exc:
                partial.unlink(missing_ok=True)
                raise TransientProviderError(
                    f"timed out downloading media ({exc})", provider=provider
                ) from exc
            except httpx.TransportError as exc:
                partial.unlink(missing_ok=True)
                raise TransientProviderError(
                    f"could not download media ({exc})", provider=provider
                ) from exc
            except PermanentProviderError:
                partial.unlink(missing_ok=True)
                raise
            if size == 0:
                partial.unlink(missing_ok=True)
                raise PermanentProviderError("media download was empty", provider=provider)
            partial.replace(out_path)
            return out_path
    raise PermanentProviderError(
        f"media URL redirected more than {MAX_REDIRECTS} times", provider=provider
    )


class _PinnedBackend(httpcore.SyncBackend):
    """Connects to the addresses the SSRF guard checked for a host, never to a fresh DNS
    answer: a rebinding resolver cannot swap in a private address between check and connect.
    TLS still names the URL's host (SNI and certificate check), as does the Host header."""

    def __init__(self, pins: dict[str, list[str]]):
        self._pins = pins

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self._pins.get(host.lower())
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not checked by the SSRF guard")
        error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"could not connect to {host}")


class PinnedTransport(httpx.HTTPTransport):
    """An httpx transport whose connections go only to the checked address of each host
    (`pins`: host name -> addresses from reelmaker.ssrf.resolve_public), like webhooks'
    _PinnedHTTPConnection. No proxies: a proxy would resolve the name again."""

    def __init__(self, pins: dict[str, list[str]]):
        super().__init__(trust_env=False)
        ssl_context = self._pool._ssl_context  # the verified default context httpx built
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, network_backend=_PinnedBackend(pins)
        )


def checked_media(path: Path, *, provider: str, kind: str) -> MediaInfo:
    """What a downloaded file really is, by content; a file that is not a `kind` ("image" or
    "video") or does not decode is deleted and refused as a permanent error naming the provider."""
    try:
        info = inspect_media(path)
    except UnusableMedia as exc:
        path.unlink(missing_ok=True)
        raise PermanentProviderError(
            f"sent a {kind} that cannot be used: {exc}", provider=provider
        ) from exc
    except MediaToolMissing as exc:
        raise PermanentProviderError(str(exc), provider=provider) from exc
    if info.kind != kind:
        path.unlink(missing_ok=True)
        raise PermanentProviderError(
            f"sent {info.kind} instead of the {kind} asked for", provider=provider
        )
    return info
