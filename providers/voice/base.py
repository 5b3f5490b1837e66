"""The voice interface: text in, a WAV file plus word timings out; and the voices on offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from providers.base import PermanentProviderError, Usage
from render.types import WordTiming


@dataclass(frozen=True)
class SpeechResult:
    """A narrated WAV (mono, leading silence < 50 ms) and when each word of the text is heard."""

    audio_path: Path
    duration_ms: int
    words: list[WordTiming] = field(default_factory=list)
    usage: Usage | None = None
    # Why another voice than the one asked for spoke (empty: the voice asked for spoke).
    fallback: str = ""


class VoiceProvider(Protocol):
    def synthesize(self, *, text: str, language: str, voice: str, out_path: Path) -> SpeechResult:
        """Write `text` spoken by `voice` to `out_path` (WAV) with one timing per text token."""
        ...


@dataclass(frozen=True)
class Voice:
    """A voice a user can pick: `id` is what the API stores, `engine` which provider speaks it,
    `sample_url` a short sample the provider hosts (empty: the offline sample is made here)."""

    id: str
    language: str
    engine: str  # "espeak" | "piper" | "elevenlabs"
    label: str
    sample_url: str = ""


VOICES: tuple[Voice, ...] = (
    Voice(id="ko-espeak", language="ko", engine="espeak", label="한국어 (eSpeak NG)"),
    Voice(id="en-piper-joe", language="en", engine="piper", label="English — Joe (Piper)"),
    Voice(id="en-espeak", language="en", engine="espeak", label="English (eSpeak NG)"),
)

# The first voice listed for a language is its default.
LANGUAGES: tuple[str, ...] = ("ko", "en")


def voices_for(*, language: str) -> list[Voice]:
    """The offline voices that speak `language`, default first (empty for unknown languages)."""
    return [voice for voice in VOICES if voice.language == language]


def default_voice(*, language: str) -> Voice:
    """The voice used when a brief names none. Raises PermanentProviderError for other languages."""
    found = voices_for(language=language)
    if not found:
        raise PermanentProviderError(f"no offline voice speaks '{language}'", provider="voice")
    return found[0]


def get_voice(*, voice_id: str) -> Voice:
    """The voice with this id. Raises PermanentProviderError naming the known ids."""
    for voice in VOICES:
        if voice.id == voice_id:
            return voice
    known = ", ".join(v.id for v in VOICES)
    raise PermanentProviderError(f"unknown voice '{voice_id}' (known: {known})", provider="voice")
