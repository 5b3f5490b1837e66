"""Which provider serves a capability, and with what key, model and base URL.

Enabled AIProviderConfig rows (admin) win, in priority order; without any, the settings
(`REELMAKER_WRITER`, `REELMAKER_VOICE`, `REELMAKER_VISUALS`, `REELMAKER_VIDEO`,
`REELMAKER_PLACE_SEARCH`) name the providers. A row names the environment variable holding its
key, never the key; empty fields fall back to the provider's own settings (`OPENAI_API_KEY`,
`OPENAI_BASE_URL`, ...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.conf import settings

from providers.base import PermanentProviderError
from providers.models import AIProviderConfig, is_allowed_key_variable

# provider -> (setting naming its key, setting naming its base URL)
PROVIDER_ENV: dict[str, tuple[str, str]] = {
    "openai": ("OPENAI_API_KEY", "OPENAI_BASE_URL"),
    "elevenlabs": ("ELEVENLABS_API_KEY", "ELEVENLABS_BASE_URL"),
    "pexels": ("PEXELS_API_KEY", "PEXELS_BASE_URL"),
    "unsplash": ("UNSPLASH_ACCESS_KEY", "UNSPLASH_BASE_URL"),
    "gemini": ("GEMINI_API_KEY", "GEMINI_BASE_URL"),
    "runway": ("RUNWAYML_API_SECRET", "RUNWAYML_BASE_URL"),
    "veo": ("GEMINI_API_KEY", "GEMINI_BASE_URL"),
    "sora": ("OPENAI_API_KEY", "OPENAI_BASE_URL"),
    "kakao": ("KAKAO_REST_API_KEY", "KAKAO_LOCAL_BASE_URL"),
    "naver": ("NAVER_CLIENT_SECRET", "NAVER_SEARCH_BASE_URL"),
}

# (capability, provider) -> setting naming the default model
DEFAULT_MODEL_SETTING: dict[tuple[str, str], str] = {
    ("writer", "openai"): "OPENAI_WRITER_MODEL",
    ("voice", "elevenlabs"): "ELEVENLABS_MODEL_ID",
    ("visual", "openai"): "OPENAI_IMAGE_MODEL",
    ("video", "veo"): "GEMINI_VIDEO_MODEL",
    ("video", "runway"): "RUNWAYML_VIDEO_MODEL",
    ("video", "sora"): "OPENAI_VIDEO_MODEL",
    ("asr", "openai"): "OPENAI_ASR_MODEL",
}

# capability -> setting naming the default provider(s)
CAPABILITY_SETTING: dict[str, str] = {
    "writer": "REELMAKER_WRITER",
    "voice": "REELMAKER_VOICE",
    "visual": "REELMAKER_VISUALS",
    "video": "REELMAKER_VIDEO",
    "asr": "REELMAKER_ASR",
    "place_search": "REELMAKER_PLACE_SEARCH",
}


@dataclass(frozen=True)
class ProviderSettings:
    """Everything needed to build one provider client; `source` says where it came from."""

    capability: str
    provider: str
    model: str = ""
    api_key: str = field(default="", repr=False)
    api_key_env: str = ""
    base_url: str = ""
    options: dict = field(default_factory=dict)
    source: str = "settings"
    config_id: int | None = None


def read_secret(name: str) -> str:
    """The value of the setting or environment variable `name` (settings first), or ''.
    Raises PermanentProviderError for a name off the allowlist (providers.models), so no
    other secret (SECRET_KEY, DATABASE_URL...) can reach a provider's base URL."""
    if not name:
        return ""
    if not is_allowed_key_variable(name):
        raise PermanentProviderError(
            f"{name} is not a provider key variable; name a provider's own key variable "
            "or one starting with REELMAKER_KEY_"
        )
    value = getattr(settings, name, None)
    if value:
        return str(value)
    return os.environ.get(name, "")


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "") if name else ""


def provider_settings(
    *,
    capability: str,
    provider: str,
    model: str = "",
    api_key_env: str = "",
    base_url: str = "",
    options: dict | None = None,
    source: str = "settings",
    config_id: int | None = None,
) -> ProviderSettings:
    """Fill what is not given from the provider's own settings."""
    key_setting, url_setting = PROVIDER_ENV.get(provider, ("", ""))
    key_env = api_key_env or key_setting
    return ProviderSettings(
        capability=capability,
        provider=provider,
        model=model or _setting(DEFAULT_MODEL_SETTING.get((capability, provider), "")),
        api_key=read_secret(key_env),
        api_key_env=key_env,
        base_url=base_url or _setting(url_setting),
        options=dict(options or {}),
        source=source,
        config_id=config_id,
    )


def from_config(config: AIProviderConfig) -> ProviderSettings:
    """The settings one admin row stands for."""
    return provider_settings(
        capability=config.capability,
        provider=config.provider.strip().lower(),
        model=config.model,
        api_key_env=config.api_key_env,
        base_url=config.base_url,
        options=config.options if isinstance(config.options, dict) else {},
        source=f"AIProviderConfig #{config.pk}",
        config_id=config.pk,
    )


def configured(capability: str) -> list[ProviderSettings]:
    """The providers for `capability`, best first: enabled admin rows by priority, else settings."""
    rows = AIProviderConfig.objects.filter(capability=capability, is_enabled=True).order_by(
        "priority", "id"
    )
    found = [from_config(row) for row in rows]
    if found:
        return found
    names = getattr(settings, CAPABILITY_SETTING.get(capability, ""), None) or []
    if isinstance(names, str):
        names = [names]
    return [
        provider_settings(capability=capability, provider=name.strip().lower())
        for name in names
        if name.strip()
    ]
