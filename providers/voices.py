"""The voices on offer: the offline ones and those of every configured voice provider that can
list its own (ElevenLabs), and a short sample of each offline voice, made once and kept.

A provider's list is cached for VOICE_LIST_CACHE_S; a provider that cannot be reached is left
out (logged) so the offline voices are always offered.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage

from providers import registry
from providers.base import ProviderError
from providers.config import ProviderSettings, configured
from providers.voice.base import VOICES, Voice, get_voice
from providers.voice.offline import OfflineVoiceProvider

log = logging.getLogger(__name__)

VOICE_LIST_CACHE_S = 300
SAMPLE_TEXT = {
    "ko": "안녕하세요. 이 목소리로 여러분의 릴을 읽어 드릴게요.",
    "en": "Hello! This is the voice that will read your reel.",
}
SAMPLE_DIR = "voice-samples"


def available_voices(*, language: str = "") -> list[Voice]:
    """Every voice a story may use (of `language` when given): offline ones first, then each
    configured provider's. Calls a provider at most once per VOICE_LIST_CACHE_S."""
    voices = list(VOICES)
    for config in configured("voice"):
        if config.provider != "offline":
            voices += _provider_voices(config)
    unique = {(voice.id, voice.language): voice for voice in voices}
    return [voice for voice in unique.values() if not language or voice.language == language]


def find_voice(*, voice_id: str, language: str) -> Voice | None:
    """The listed voice with this id that speaks `language`, or None. An ElevenLabs id may name
    a model after a colon ("VOICE_ID:MODEL_ID")."""
    wanted = voice_id.partition(":")[0]
    return next((v for v in available_voices(language=language) if v.id == wanted), None)


def _provider_voices(config: ProviderSettings) -> list[Voice]:
    raw = f"{config.provider}|{config.base_url}|{config.api_key}|{config.config_id}"
    key = "voices:" + hashlib.sha256(raw.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    provider = registry.build_provider(config)
    lister = getattr(provider, "list_voices", None)
    if lister is None:
        return []
    try:
        voices = lister()
    except ProviderError as exc:
        log.warning("voice list of %s left out: %s", config.provider, exc)
        return []
    cache.set(key, voices, VOICE_LIST_CACHE_S)
    return voices


def offline_sample(*, voice_id: str) -> str:
    """The storage name of a short WAV sample of an offline voice, spoken the first time it is
    asked for and kept. Raises PermanentProviderError for a voice that is not offline."""
    voice = get_voice(voice_id=voice_id)
    text = SAMPLE_TEXT[voice.language]
    digest = hashlib.sha256(f"{voice.id}|{text}".encode()).hexdigest()[:12]
    name = f"{SAMPLE_DIR}/{voice.id}-{digest}.wav"
    if default_storage.exists(name):
        return name
    with tempfile.TemporaryDirectory(prefix="voice-sample-") as tmp:
        out = Path(tmp) / "sample.wav"
        OfflineVoiceProvider().synthesize(
            text=text, language=voice.language, voice=voice.id, out_path=out
        )
        with out.open("rb") as fh:
            return default_storage.save(name, File(fh, name=out.name))
