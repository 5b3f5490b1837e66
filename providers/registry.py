"""Picks the provider for each capability from AIProviderConfig rows and settings.

The offline providers are the defaults: no account and no network. Real ones are switched on
by `REELMAKER_WRITER=openai`, `REELMAKER_VOICE=elevenlabs` or by enabled admin rows, which win
(lowest priority number first); see scenes/provider_config.py for how keys and URLs resolve.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from providers.base import PermanentProviderError
from providers.config import ProviderSettings, configured, from_config


def _template_writer(config: ProviderSettings):
    from providers.writer.template import TemplateWriter

    return TemplateWriter()


def _openai_writer(config: ProviderSettings):
    from billing.pricing import price_for
    from providers.writer.openai_writer import OpenAIWriter

    return OpenAIWriter.from_settings(config, price=price_for)


def _offline_voice(config: ProviderSettings):
    from providers.voice.offline import OfflineVoiceProvider

    return OfflineVoiceProvider()


def _elevenlabs_voice(config: ProviderSettings):
    from billing.pricing import price_for
    from providers.voice.elevenlabs import ElevenLabsVoice

    return ElevenLabsVoice.from_settings(config, price=price_for)


# (capability, provider) -> builder; other capabilities add their providers here.
BUILDERS: dict[tuple[str, str], Callable[[ProviderSettings], object]] = {
    ("writer", "template"): _template_writer,
    ("writer", "openai"): _openai_writer,
    ("voice", "offline"): _offline_voice,
    ("voice", "elevenlabs"): _elevenlabs_voice,
}


def build_provider(config: ProviderSettings):
    """The provider object for one configuration. Raises PermanentProviderError for unknown ones."""
    builder = BUILDERS.get((config.capability, config.provider))
    if builder is None:
        known = sorted(p for c, p in BUILDERS if c == config.capability)
        raise PermanentProviderError(
            f"{config.source}: no {config.capability} provider called '{config.provider}' "
            f"(known: {', '.join(known) or 'none'})",
            provider=config.provider or config.capability,
        )
    return builder(config)


def _first(capability: str, setting: str):
    found = configured(capability)
    if not found:
        raise ImproperlyConfigured(f"{setting} names no {capability} provider.")
    return build_provider(found[0])


def get_writer():
    """The writer: the first enabled admin row, else REELMAKER_WRITER (default: template)."""
    return _first("writer", "REELMAKER_WRITER")


def get_voice_provider():
    """The voice: the first enabled admin row, else REELMAKER_VOICE (default: offline)."""
    return _first("voice", "REELMAKER_VOICE")


def get_visual_provider():
    from providers.visual.artwork import ArtworkProvider

    return ArtworkProvider()


def get_music_provider():
    from providers.music.generated import GeneratedMusicProvider

    return GeneratedMusicProvider()


def check_connection(*, config_id: int) -> str:
    """Exercise one AIProviderConfig against its service; a plain success message, or the
    ProviderError (its message says what to check). Costs nothing where the service allows."""
    from providers import visual_registry as registry
    from providers.models import AIProviderConfig

    row = AIProviderConfig.objects.get(pk=config_id)
    if row.capability in (AIProviderConfig.Capability.VISUAL, AIProviderConfig.Capability.VIDEO):
        provider = registry.provider_from_config(row)
        if provider is None:
            raise PermanentProviderError(
                f"{row.provider} is unknown or its key is not set: check "
                f"{row.api_key_env or 'the key setting'}",
                provider=row.provider,
            )
    else:
        provider = build_provider(from_config(row))
    check = getattr(provider, "check_connection", None)
    if check is None and row.capability in (
        AIProviderConfig.Capability.VISUAL,
        AIProviderConfig.Capability.VIDEO,
    ):
        return (
            f"configured: {row.provider} will be called with the key in "
            f"{row.api_key_env or 'its setting'}; it offers no free test call"
        )
    if check is None:
        return "works offline; nothing to connect to"
    return check()
