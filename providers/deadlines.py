"""A total deadline for provider calls (PROVIDER_DEADLINE_S): httpx transports whose requests
end within it, however slowly the bytes come, for our own calls and for the SDKs' clients."""

from __future__ import annotations

import time

import httpx
import httpx2
from django.conf import settings


def deadline_s() -> float:
    """The total time one provider call may take (PROVIDER_DEADLINE_S)."""
    return float(settings.PROVIDER_DEADLINE_S)


def _deadline_transport_class(lib):
    """A transport class, for `lib` (httpx, or httpx2 that the openai SDK speaks), that ends
    each request, body included, `limit_s` after it started: no single wait may be longer,
    and the body is cut between reads past it with a ReadTimeout (SDKs map it as a timeout)."""

    class DeadlineStream(lib.SyncByteStream):  # type: ignore[name-defined]
        def __init__(self, inner, *, deadline: float, limit_s: float, request):
            self._inner, self._deadline, self._request = inner, deadline, request
            self._limit_s = limit_s

        def __iter__(self):
            for chunk in self._inner:
                if time.monotonic() > self._deadline:
                    raise lib.ReadTimeout(
                        f"no complete answer within {self._limit_s:g} s", request=self._request
                    )
                yield chunk

        def close(self) -> None:
            self._inner.close()

    class DeadlineTransport(lib.BaseTransport):  # type: ignore[name-defined]
        def __init__(self, limit_s: float, inner=None):
            self.limit_s = limit_s
            self.inner = inner if inner is not None else lib.HTTPTransport()

        def handle_request(self, request):
            deadline = time.monotonic() + self.limit_s
            waits = dict(request.extensions.get("timeout") or {})
            request.extensions["timeout"] = {
                name: min(waits.get(name) or self.limit_s, self.limit_s)
                for name in ("connect", "read", "write", "pool")
            }
            response = self.inner.handle_request(request)
            response.stream = DeadlineStream(
                response.stream, deadline=deadline, limit_s=self.limit_s, request=request
            )
            return response

        def close(self) -> None:
            self.inner.close()

    return DeadlineTransport


DeadlineTransport = _deadline_transport_class(httpx)
_DeadlineTransport2 = _deadline_transport_class(httpx2)


def deadline_client(limit_s: float | None = None, **kwargs) -> httpx.Client:
    """An httpx.Client whose every request ends within `limit_s` (PROVIDER_DEADLINE_S), for
    SDKs that take an http client and only know per-read timeouts (elevenlabs, runwayml)."""
    limit = float(limit_s if limit_s is not None else deadline_s())
    return httpx.Client(transport=DeadlineTransport(limit), **kwargs)


def openai_deadline_client(limit_s: float | None = None) -> httpx2.Client:
    """deadline_client for the openai SDK, which sends through httpx2."""
    limit = float(limit_s if limit_s is not None else deadline_s())
    return httpx2.Client(transport=_DeadlineTransport2(limit))


def within_deadline(chunks, deadline: float, limit_s: float, request: httpx.Request):
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout(f"no complete answer within {limit_s:g} s", request=request)
        yield chunk
