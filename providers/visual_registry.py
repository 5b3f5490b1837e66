"""Which image and video providers a scene tries, in order: AIProviderConfig rows when an
operator made any for the capability, else REELMAKER_VISUALS / REELMAKER_VIDEO.

A provider is on when it is listed (or has an enabled row) and its API key is set; the
offline artwork is never listed here because it is always the last resort (see
scenes.services.media.make_scene_visual).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from providers.config import read_secret
from providers.models import AIProviderConfig

log = logging.getLogger(__name__)

OFFLINE = frozenset({"artwork", "upload"})


@dataclass(frozen=True)
class ProviderSpec:
    """How to build one provider: its class, the setting naming its key, its base URL setting."""

    factory: Callable[..., object]
    key_setting: str
    base_url_setting: str


def _pexels(**kwargs):
    from providers.visual.pexels import PexelsPhotoProvider

    return PexelsPhotoProvider(**kwargs)


def _pexels_video(**kwargs):
    from providers.visual.pexels import PexelsVideoProvider

    return PexelsVideoProvider(**kwargs)


def _unsplash(**kwargs):
    from providers.visual.unsplash import UnsplashProvider

    return UnsplashProvider(**kwargs)


def _openai_images(**kwargs):
    from providers.visual.openai_images import OpenAIImageProvider

    return OpenAIImageProvider(**kwargs)


def _veo(**kwargs):
    from providers.video.veo import VeoProvider

    return VeoProvider(**kwargs)


def _runway(**kwargs):
    from providers.video.runway import RunwayProvider

    return RunwayProvider(**kwargs)


def _sora(**kwargs):
    from providers.video.sora import SoraProvider

    return SoraProvider(**kwargs)


VISUAL_PROVIDERS: dict[str, ProviderSpec] = {
    "pexels": ProviderSpec(_pexels, "PEXELS_API_KEY", "PEXELS_BASE_URL"),
    "unsplash": ProviderSpec(_unsplash, "UNSPLASH_ACCESS_KEY", "UNSPLASH_BASE_URL"),
    "openai": ProviderSpec(_openai_images, "OPENAI_API_KEY", "OPENAI_BASE_URL"),
}
VIDEO_PROVIDERS: dict[str, ProviderSpec] = {
    "veo": ProviderSpec(_veo, "GEMINI_API_KEY", "GEMINI_BASE_URL"),
    "runway": ProviderSpec(_runway, "RUNWAYML_API_SECRET", "RUNWAYML_BASE_URL"),
    "sora": ProviderSpec(_sora, "OPENAI_API_KEY", "OPENAI_BASE_URL"),
    "pexels": ProviderSpec(_pexels_video, "PEXELS_API_KEY", "PEXELS_BASE_URL"),
}
DEFAULT_MODELS = {
    "openai": "OPENAI_IMAGE_MODEL",
    "veo": "GEMINI_VIDEO_MODEL",
    "runway": "RUNWAYML_VIDEO_MODEL",
    "sora": "OPENAI_VIDEO_MODEL",
}


def secret(name: str) -> str:
    """A key by its setting/env var name: the setting when defined, else the environment."""
    return read_secret(name)


def build(
    name: str,
    spec: ProviderSpec,
    *,
    model: str = "",
    key_env: str = "",
    base_url: str = "",
    options: dict | None = None,
):
    """One provider instance, or None when its key is not set (the provider is off)."""
    api_key = secret(key_env or spec.key_setting)
    if not api_key:
        log.info(
            "visual provider %s is listed but %s is not set", name, key_env or spec.key_setting
        )
        return None
    kwargs = {
        "api_key": api_key,
        "base_url": base_url or str(getattr(settings, spec.base_url_setting, "") or ""),
        "timeout_s": float((options or {}).get("timeout_s") or settings.PROVIDER_TIMEOUT_S),
        "model": model or str(getattr(settings, DEFAULT_MODELS.get(name, ""), "") or ""),
    }
    return spec.factory(**kwargs)


def provider_from_config(config: AIProviderConfig):
    """The provider an admin row describes (None when its key is unset); for test connection."""
    table = (
        VIDEO_PROVIDERS
        if config.capability == AIProviderConfig.Capability.VIDEO
        else (VISUAL_PROVIDERS)
    )
    spec = table.get(config.provider)
    if spec is None:
        return None
    return build(
        config.provider,
        spec,
        model=config.model,
        key_env=config.api_key_env,
        base_url=config.base_url,
        options=config.options,
    )


def _providers(capability: str, table: dict[str, ProviderSpec], names: list[str]) -> list:
    """Enabled admin rows by priority win (as for every capability); else the settings list."""
    rows = list(
        AIProviderConfig.objects.filter(capability=capability, is_enabled=True).order_by(
            "priority", "id"
        )
    )
    if rows:
        chosen = [provider_from_config(row) for row in rows]
        names = [row.provider for row in rows]
    else:
        chosen = [build(name, table[name]) for name in names if name in table]
    unknown = [name for name in names if name not in table and name not in OFFLINE]
    if unknown:
        log.warning("unknown %s providers ignored: %s", capability, ", ".join(unknown))
    return [p for p in chosen if p is not None]


def visual_providers() -> list:
    """Image providers to try for a scene, best first; empty means artwork only."""
    return _providers(
        AIProviderConfig.Capability.VISUAL, VISUAL_PROVIDERS, settings.REELMAKER_VISUALS
    )


def video_providers() -> list:
    """Video-clip providers to try for a scene that asks for motion, best first."""
    return _providers(AIProviderConfig.Capability.VIDEO, VIDEO_PROVIDERS, settings.REELMAKER_VIDEO)


def wants_motion(*, position: int) -> bool:
    """Whether scene `position` asks for a clip: REELMAKER_VIDEO_SCENES is all, hook or none."""
    policy = settings.REELMAKER_VIDEO_SCENES
    return policy == "all" or (policy == "hook" and position == 0)
