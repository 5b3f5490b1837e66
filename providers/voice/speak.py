"""A voice speaks the spoken form of a narration; its word timings come back on the written
words, so captions show what was written while the voice says it the way people do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from providers.voice.base import SpeechResult, VoiceProvider
from providers.voice.normalize import Pronunciation, to_spoken, written_timings


def speak_written(
    provider: VoiceProvider,
    *,
    text: str,
    language: str,
    voice: str,
    out_path: Path,
    lexicon: Iterable[Pronunciation] = (),
) -> SpeechResult:
    """`provider` speaks the spoken form of `text`; the result's words are the written words
    of `text`, timed by the voice. Raises what the provider raises."""
    spoken = to_spoken(text, language=language, lexicon=lexicon)
    speech = provider.synthesize(
        text=spoken.text, language=language, voice=voice, out_path=out_path
    )
    return replace(speech, words=written_timings(spoken, speech.words))
