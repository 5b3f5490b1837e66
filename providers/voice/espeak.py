"""eSpeak NG through its C library: every language (Korean too), word timings from WORD events.

The command line has no timing output, so we call libespeak-ng.so.1 with ctypes in SYNCHRONOUS
mode: a callback receives the PCM and, beside it, WORD events carrying the audio position (ms)
and the character span of the word in our text. libespeak keeps one global state per process,
so every call holds `_LOCK` from voice selection to the last callback.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from providers.base import PermanentProviderError, Usage
from providers.voice.audio import Token, finish_speech, require_text
from providers.voice.base import SpeechResult

PROVIDER = "espeak"

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_PARAM_RATE = 1
_PARAM_PITCH = 3
_PARAM_RANGE = 4


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class _Style:
    espeak_voice: str
    rate_wpm: int
    pitch: int
    pitch_range: int


# Narrator pace; the writer's estimates (stories/writers/rates.py) were measured at these rates.
_STYLES: dict[str, _Style] = {
    "ko": _Style(espeak_voice="ko", rate_wpm=175, pitch=45, pitch_range=45),
    "en": _Style(espeak_voice="en-us", rate_wpm=150, pitch=42, pitch_range=50),
}

_LOCK = threading.Lock()


class _Engine:
    """The process's one libespeak instance; only touched while `_LOCK` is held."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            self.lib = ctypes.CDLL(name)
        except OSError as exc:
            raise PermanentProviderError(
                "libespeak-ng is not installed (apt-get install libespeak-ng1)", provider=PROVIDER
            ) from exc
        self.sample_rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0)
        if self.sample_rate <= 0:
            raise PermanentProviderError("espeak_Initialize failed", provider=PROVIDER)
        self.chunks: list[np.ndarray] = []
        self.events: list[tuple[int, int, int]] = []  # (text_position, length, audio_ms)
        # Kept on self: ctypes frees a callback object that nothing references.
        self.callback = _SynthCallback(self._on_synth)
        self.lib.espeak_SetSynthCallback(self.callback)

    def _on_synth(self, wav, count, events) -> int:
        if count > 0:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            event = events[i]
            if event.type == _EVENT_WORD and event.length > 0:
                self.events.append((event.text_position, event.length, event.audio_position))
            i += 1
        return 0

    def speak(self, *, text: str, style: _Style) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
        self.chunks, self.events = [], []
        if self.lib.espeak_SetVoiceByName(style.espeak_voice.encode()) != 0:
            raise PermanentProviderError(
                f"espeak voice '{style.espeak_voice}' is not installed", provider=PROVIDER
            )
        self.lib.espeak_SetParameter(_PARAM_RATE, style.rate_wpm, 0)
        self.lib.espeak_SetParameter(_PARAM_PITCH, style.pitch, 0)
        self.lib.espeak_SetParameter(_PARAM_RANGE, style.pitch_range, 0)
        data = text.encode("utf-8")
        # Plain text, not SSML: user narration may contain '<' or '&'.
        code = self.lib.espeak_Synth(
            data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        self.lib.espeak_Synchronize()
        if code != 0:
            raise PermanentProviderError(f"espeak_Synth returned {code}", provider=PROVIDER)
        pcm = np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.int16)
        return pcm.astype(np.float32) / 32768.0, list(self.events)


_engine: _Engine | None = None


def _get_engine() -> _Engine:
    global _engine
    if _engine is None:
        _engine = _Engine()
    return _engine


def _token_starts(tokens: list[Token], events: list[tuple[int, int, int]]) -> list[int | None]:
    """Each token's earliest WORD event whose span begins inside it (numbers give several)."""
    starts: list[int | None] = [None] * len(tokens)
    k = 0
    for position, _length, audio_ms in sorted(events, key=lambda e: e[0]):
        char = position - 1  # espeak counts characters from 1
        while k < len(tokens) and tokens[k].end_char <= char:
            k += 1
        if k == len(tokens):
            break
        if tokens[k].start_char <= char:
            current = starts[k]
            starts[k] = audio_ms if current is None else min(current, audio_ms)
    return starts


class EspeakVoice:
    """eSpeak NG voice for any language it knows; thread-safe (one global engine, one lock)."""

    def synthesize(self, *, text: str, language: str, voice: str, out_path: Path) -> SpeechResult:
        """Speak `text` into `out_path` (WAV, 22.05 kHz mono). Raises PermanentProviderError."""
        tokens = require_text(text, provider=PROVIDER)
        style = _STYLES.get(language) or _Style(
            espeak_voice=language, rate_wpm=165, pitch=45, pitch_range=50
        )
        with _LOCK:
            engine = _get_engine()
            samples, events = engine.speak(text=text, style=style)
            sample_rate = engine.sample_rate
        usage = Usage(
            provider=PROVIDER,
            model=f"espeak-ng:{style.espeak_voice}",
            units=float(len(text)),
            unit="characters",
        )
        return finish_speech(
            samples=samples,
            sample_rate=sample_rate,
            tokens=tokens,
            starts_ms=_token_starts(tokens, events),
            out_path=out_path,
            usage=usage,
        )


# eSpeak NG voice names of the song languages (Chinese is Mandarin, "cmn").
ESPEAK_VOICES = {"ko": "ko", "en": "en-us", "zh": "cmn", "ja": "ja", "th": "th", "vi": "vi"}


def speak_monotone(*, text: str, language: str, rate_wpm: int, pitch: int = 40) -> np.ndarray:
    """`text` spoken on one held pitch (range 0: a chant), as float samples at SAMPLE_RATE.
    Raises PermanentProviderError when the language has no voice."""
    style = _Style(
        espeak_voice=ESPEAK_VOICES.get(language, language),
        rate_wpm=rate_wpm,
        pitch=pitch,
        pitch_range=0,
    )
    with _LOCK:
        samples, _ = _get_engine().speak(text=text, style=style)
    return samples


def sample_rate() -> int:
    """The rate of every sample libespeak returns (22050 Hz)."""
    with _LOCK:
        return _get_engine().sample_rate
