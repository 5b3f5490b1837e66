"""THE one place that picks a provider for every capability: enabled AIProviderConfig rows by
priority (lowest number first), else settings, else the offline provider.

The offline providers need no account and no network. Real ones are switched on by settings
(`REELMAKER_WRITER=openai`, `REELMAKER_VOICE=elevenlabs`, `REELMAKER_VISUALS`,
`REELMAKER_VIDEO`) or by enabled admin rows, which win; providers/config.py says how keys,
models and base URLs resolve. The cost estimate asks `chosen_provider` so it prices what will
actually run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from providers.asr.openai_transcriber import OpenAITranscriber
from providers.base import PermanentProviderError
from providers.config import (
    CAPABILITY_SETTING,
    ProviderSettings,
    configured,
    from_config,
    provider_settings,
)
from providers.models import AIProviderConfig
from providers.music.generated import GeneratedMusicProvider
from providers.place_search.kakao import KakaoLocalSearch
from providers.place_search.naver import NaverLocalSearch
from providers.song.chant import ChantSongProvider
from providers.song.suno import SunoGatewayProvider
from providers.video.runway import RunwayProvider
from providers.video.sora import SoraProvider
from providers.video.veo import VeoProvider
from providers.visual.artwork import ArtworkProvider
from providers.visual.openai_images import OpenAIImageProvider
from providers.visual.pexels import PexelsPhotoProvider, PexelsVideoProvider
from providers.visual.unsplash import UnsplashProvider
from providers.voice.elevenlabs import ElevenLabsVoice
from providers.voice.offline import OfflineVoiceProvider
from providers.writer.openai_song import OpenAISongWriter
from providers.writer.openai_writer import OpenAIWriter
from providers.writer.template import TemplateWriter

log = logging.getLogger(__name__)

# Never listed as visual providers: the artwork is always the last resort and uploads are the
# user's own (see scenes.services.media.make_scene_visual).
OFFLINE_VISUALS = frozenset({"artwork", "upload"})
MEDIA_CAPABILITIES = ("visual", "video")
# Capabilities whose listed providers are off until their keys are set (builders return None).
KEYED_CAPABILITIES = (*MEDIA_CAPABILITIES, "place_search")


def _keyed(factory: Callable[..., object]) -> Callable[[ProviderSettings], object | None]:
    """A builder for an image or video provider: None (the provider is off) without its key."""

    def build(config: ProviderSettings) -> object | None:
        if not config.api_key:
            log.info("%s provider %s is listed but %s is not set", *_names(config))
            return None
        return factory(
            api_key=config.api_key,
            base_url=config.base_url,
            timeout_s=float(config.options.get("timeout_s") or settings.PROVIDER_TIMEOUT_S),
            model=config.model,
        )

    return build


def _names(config: ProviderSettings) -> tuple[str, str, str]:
    return config.capability, config.provider, config.api_key_env or "its key"


# (capability, provider) -> builder; a builder returns None when the provider is off.
BUILDERS: dict[tuple[str, str], Callable[[ProviderSettings], object | None]] = {
    ("writer", "template"): lambda config: TemplateWriter(),
    ("writer", "openai"): OpenAIWriter.from_settings,
    ("voice", "offline"): lambda config: OfflineVoiceProvider(),
    ("voice", "elevenlabs"): ElevenLabsVoice.from_settings,
    ("visual", "pexels"): _keyed(PexelsPhotoProvider),
    ("visual", "unsplash"): _keyed(UnsplashProvider),
    ("visual", "openai"): _keyed(OpenAIImageProvider),
    ("video", "veo"): _keyed(VeoProvider),
    ("video", "runway"): _keyed(RunwayProvider),
    ("video", "sora"): _keyed(SoraProvider),
    ("video", "pexels"): _keyed(PexelsVideoProvider),
    ("asr", "openai"): OpenAITranscriber.from_settings,
    ("place_search", "kakao"): KakaoLocalSearch.from_settings,
    ("place_search", "naver"): NaverLocalSearch.from_settings,
}


def build_provider(config: ProviderSettings):
    """The provider object for one configuration, None when an image or video provider's key
    is not set. Raises PermanentProviderError for unknown providers."""
    builder = BUILDERS.get((config.capability, config.provider))
    if builder is None:
        known = sorted(p for c, p in BUILDERS if c == config.capability)
        raise PermanentProviderError(
            f"{config.source}: no {config.capability} provider called '{config.provider}' "
            f"(known: {', '.join(known) or 'none'})",
            provider=config.provider or config.capability,
        )
    return builder(config)


def _first(capability: str) -> ProviderSettings:
    found = configured(capability)
    if not found:
        raise ImproperlyConfigured(
            f"{CAPABILITY_SETTING[capability]} names no {capability} provider."
        )
    return found[0]


def get_writer():
    """The writer: the first enabled admin row, else REELMAKER_WRITER (default: template)."""
    return build_provider(_first("writer"))


def get_song_writer() -> OpenAISongWriter | None:
    """The writer of places' marketing briefs and lyrics: OpenAI when the writer is (the first
    enabled admin row, else REELMAKER_WRITER=openai), else None: the offline rules and
    templates write them."""
    config = _first("writer")
    return OpenAISongWriter.from_settings(config) if config.provider == "openai" else None


def get_song_provider():
    """The song provider: REELMAKER_SONG=suno with SUNO_API_KEY, else the offline chant."""
    if settings.REELMAKER_SONG == "suno":
        return SunoGatewayProvider(
            api_key=settings.SUNO_API_KEY,
            base_url=settings.SUNO_BASE_URL,
            model=settings.SUNO_MODEL,
            callback_url=settings.SUNO_CALLBACK_URL,
            timeout_s=float(settings.PROVIDER_TIMEOUT_S),
            poll_first_s=settings.SONG_POLL_FIRST_S,
            poll_max_s=settings.SONG_POLL_MAX_S,
            deadline_s=float(settings.SONG_POLL_DEADLINE_S),
        )
    return ChantSongProvider()


def get_transcriber():
    """The speech recognition that checks a take's words (REELMAKER_ASR), or None when none is
    configured: the take's text is then not checked."""
    found = configured("asr")
    return build_provider(found[0]) if found else None


def get_voice_provider():
    """The voice: the first enabled admin row, else REELMAKER_VOICE (default: offline)."""
    return build_provider(_first("voice"))


def get_visual_provider() -> ArtworkProvider:
    """The offline artwork: the last resort after visual_providers(), and the prompt test's."""
    return ArtworkProvider()


def get_music_provider() -> GeneratedMusicProvider:
    """The generated music bed (uploads are the user's own and need no provider)."""
    return GeneratedMusicProvider()


def _media_configs(capability: str) -> list[ProviderSettings]:
    """The image or video providers listed (rows, else settings) that we know how to build."""
    listed = configured(capability)
    unknown = [
        c.provider
        for c in listed
        if (capability, c.provider) not in BUILDERS and c.provider not in OFFLINE_VISUALS
    ]
    if unknown:
        log.warning("unknown %s providers ignored: %s", capability, ", ".join(unknown))
    return [c for c in listed if (capability, c.provider) in BUILDERS]


def _media_providers(capability: str) -> list:
    built = (build_provider(config) for config in _media_configs(capability))
    return [provider for provider in built if provider is not None]


def visual_providers() -> list:
    """Image providers to try for a scene, best first; empty means artwork only."""
    return _media_providers("visual")


def video_providers() -> list:
    """Video-clip providers to try for a scene that asks for motion, best first."""
    return _media_providers("video")


def place_search_providers() -> list:
    """Place search services whose keys are set (REELMAKER_PLACE_SEARCH or admin rows), best
    first; empty: searching places is not configured."""
    return _media_providers("place_search")


def wants_motion(*, position: int) -> bool:
    """Whether scene `position` asks for a clip: REELMAKER_VIDEO_SCENES is all, hook or none."""
    policy = settings.REELMAKER_VIDEO_SCENES
    return policy == "all" or (policy == "hook" and position == 0)


def chosen_provider(capability: str) -> ProviderSettings:
    """Who will do `capability`'s next call (provider, model): the first admin row or setting
    that can run, else the offline provider. Reads only; calls no provider."""
    if capability in MEDIA_CAPABILITIES:
        ready = [c for c in _media_configs(capability) if c.api_key]
        if ready:
            return ready[0]
        return provider_settings(capability=capability, provider="artwork")
    return _first(capability)


def check_connection(*, config_id: int) -> str:
    """Exercise one AIProviderConfig against its service; a plain success message, or the
    ProviderError (its message says what to check). Costs nothing where the service allows."""
    row = AIProviderConfig.objects.get(pk=config_id)
    is_media = row.capability in KEYED_CAPABILITIES
    try:
        provider = build_provider(from_config(row))
    except PermanentProviderError:
        if not is_media:
            raise
        provider = None
    if provider is None:
        raise PermanentProviderError(
            f"{row.provider} is unknown or its key is not set: check "
            f"{row.api_key_env or 'the key setting'}",
            provider=row.provider,
        )
    check = getattr(provider, "check_connection", None)
    if check is None and is_media:
        return (
            f"configured: {row.provider} will be called with the key in "
            f"{row.api_key_env or 'its setting'}; it offers no free test call"
        )
    if check is None:
        return "works offline; nothing to connect to"
    return check()
