"""A provider call asked again while its errors are transient and the wait is short: for
calls a person or a job is waiting on in place (a scene's visual, a place search)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from providers.base import TransientProviderError

log = logging.getLogger(__name__)

T = TypeVar("T")


def call_with_retries(call: Callable[[], T], *, name: str) -> T:
    """`call()`, tried PROVIDER_ATTEMPTS times in all while it raises TransientProviderError and
    its Retry-After (or a short backoff) is within PROVIDER_RETRY_AFTER_MAX_S; then the error."""
    for attempt in range(1, settings.PROVIDER_ATTEMPTS + 1):
        try:
            return call()
        except TransientProviderError as exc:
            wait = exc.retry_after_s if exc.retry_after_s is not None else 0.5 * attempt
            if attempt == settings.PROVIDER_ATTEMPTS or wait > settings.PROVIDER_RETRY_AFTER_MAX_S:
                raise
            log.info("%s: %s; trying again in %.1f s", name, exc, wait)
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
