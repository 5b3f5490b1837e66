"""Throttles beyond DRF's defaults: login attempts per IP and per account name."""

from __future__ import annotations

import hashlib

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For hop that TRUSTED_PROXIES
    (DRF's NUM_PROXIES) proxies vouch for. Works for Django and DRF requests."""
    return BaseThrottle().get_ident(request)


class _SettingsRateThrottle(SimpleRateThrottle):
    """Reads its rate when used (not at import), so settings overrides take effect."""

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return str(rate) if rate is not None else None


class LoginIPThrottle(_SettingsRateThrottle):
    """Login attempts from one client address."""

    scope = "login_ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginUserThrottle(_SettingsRateThrottle):
    """Login attempts for one account name, whatever address they come from."""

    scope = "login_user"

    def get_cache_key(self, request, view) -> str | None:
        data = request.data if hasattr(request.data, "get") else {}
        email = str(data.get("email") or "").strip().lower()
        if not email:
            return None
        ident = hashlib.sha256(email.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PromptTestThrottle(_SettingsRateThrottle):
    """Prompt tests call a provider synchronously: a few per minute per user."""

    scope = "prompt_test"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class MediaSearchThrottle(PromptTestThrottle):
    """Stock searches call Pexels and Unsplash, whose keys have hourly limits: per user."""

    scope = "media_search"


class PlaceSearchThrottle(PromptTestThrottle):
    """Place searches and suggestions call Kakao and Naver, whose keys have daily limits."""

    scope = "place_search"
