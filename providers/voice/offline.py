"""The offline default voice: picks eSpeak NG or Piper by voice id, eSpeak when Piper can't load."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from providers.voice.base import SpeechResult, default_voice, get_voice
from providers.voice.espeak import EspeakVoice
from providers.voice.piper import PiperUnavailable, PiperVoiceProvider

logger = logging.getLogger(__name__)


class OfflineVoiceProvider:
    """Speaks any offline voice id (empty: the language's default). Thread-safe."""

    def synthesize(self, *, text: str, language: str, voice: str, out_path: Path) -> SpeechResult:
        """As VoiceProvider; English Piper falls back to 'en-espeak' when Piper is unavailable,
        and the result's `fallback` says so."""
        chosen = get_voice(voice_id=voice) if voice else default_voice(language=language)
        fallback = ""
        if chosen.engine == "piper":
            try:
                return PiperVoiceProvider().synthesize(
                    text=text, language=language, voice=chosen.id, out_path=out_path
                )
            except PiperUnavailable as exc:
                logger.warning("piper unavailable (%s); speaking with espeak", exc.message)
                asked, chosen = chosen, get_voice(voice_id=f"{language}-espeak")
                fallback = f"{asked.id} is unavailable ({exc.message}); {chosen.id} spoke instead"
        speech = EspeakVoice().synthesize(
            text=text, language=language, voice=chosen.id, out_path=out_path
        )
        return replace(speech, fallback=fallback) if fallback else speech


def synthesize_with_fallback(
    *, text: str, language: str, voice: str, out_path: Path
) -> SpeechResult:
    """OfflineVoiceProvider().synthesize as a function, for callers that want one."""
    return OfflineVoiceProvider().synthesize(
        text=text, language=language, voice=voice, out_path=out_path
    )
