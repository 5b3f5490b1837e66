"""Shared by the voice engines: text tokens, silence trimming, WAV writing, word timings."""

from __future__ import annotations

import re
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from providers.base import PermanentProviderError, Usage
from providers.voice.base import SpeechResult
from render.types import WordTiming

LEAD_IN_MS = 20  # keep a breath of silence so the first consonant is not clipped
TAIL_MS = 150
SILENCE_RATIO = 0.03  # of the peak; engine noise floors sit well below it
PEAK_DBFS = -1.0


@dataclass(frozen=True)
class Token:
    """One whitespace-separated piece of the text, as captions will show it."""

    text: str
    start_char: int  # 0-based, inclusive
    end_char: int  # exclusive

    @property
    def is_spoken(self) -> bool:
        return any(ch.isalnum() for ch in self.text)

    @property
    def weight(self) -> int:
        """Rough speaking length: letters, digits and Hangul blocks, at least 1."""
        return max(1, sum(1 for ch in self.text if ch.isalnum()))


def tokenize(text: str) -> list[Token]:
    """The text's tokens in order; WordTiming texts are exactly these."""
    return [Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def require_text(text: str, *, provider: str) -> list[Token]:
    """Tokens of `text`, or PermanentProviderError when there is nothing to say."""
    tokens = tokenize(text)
    if not any(token.is_spoken for token in tokens):
        raise PermanentProviderError("the text has no words to speak", provider=provider)
    return tokens


def voiced_mask(samples: np.ndarray, *, sample_rate: int, frame_ms: int = 10) -> np.ndarray:
    """Per `frame_ms` frame: is its peak above the silence threshold."""
    frame = max(1, sample_rate * frame_ms // 1000)
    count = len(samples) // frame
    if count == 0:
        return np.zeros(0, dtype=bool)
    peaks = np.abs(samples[: count * frame]).reshape(count, frame).max(axis=1)
    top = float(np.abs(samples).max())
    return peaks > max(top * SILENCE_RATIO, 1e-4)


def fill_starts(tokens: list[Token], starts: list[int | None], *, end_ms: int) -> list[int]:
    """Known starts kept; unknown ones interpolated by token weight; never decreasing."""
    filled: list[int | None] = list(starts)
    if filled and filled[0] is None:
        filled[0] = 0
    i = 0
    while i < len(filled):
        if filled[i] is not None:
            i += 1
            continue
        j = i
        while j < len(filled) and filled[j] is None:
            j += 1
        left = filled[i - 1] or 0
        right = filled[j] if j < len(filled) else end_ms
        right = max(left, right if right is not None else end_ms)
        weights = [tokens[k].weight for k in range(i - 1, j)]
        total = sum(weights)
        acc = 0
        for k in range(i, j):
            acc += weights[k - i]
            filled[k] = left + round((right - left) * acc / total)
        i = j
    result: list[int] = []
    for value in filled:
        result.append(max(int(value or 0), result[-1] if result else 0))
    return result


def finish_speech(
    *,
    samples: np.ndarray,
    sample_rate: int,
    tokens: list[Token],
    starts_ms: list[int | None],
    out_path: Path,
    usage: Usage,
) -> SpeechResult:
    """Trim silence, normalise, write 16-bit mono WAV, shift timings to match. Safe to repeat."""
    audio = np.asarray(samples, dtype=np.float32).reshape(-1)
    voiced = voiced_mask(audio, sample_rate=sample_rate)
    if audio.size == 0 or not voiced.any():
        raise PermanentProviderError("the engine produced no audio", provider=usage.provider)

    frame = sample_rate // 100
    first = int(np.argmax(voiced)) * frame
    last = (len(voiced) - int(np.argmax(voiced[::-1]))) * frame
    begin = max(0, first - sample_rate * LEAD_IN_MS // 1000)
    end = min(len(audio), last + sample_rate * TAIL_MS // 1000)
    audio = audio[begin:end]
    audio *= (10 ** (PEAK_DBFS / 20)) / float(np.abs(audio).max())

    shift_ms = begin * 1000 // sample_rate
    duration_ms = round(len(audio) * 1000 / sample_rate)
    speech_end_ms = min(duration_ms, round((last - begin) * 1000 / sample_rate))
    shifted = [None if s is None else min(max(0, s - shift_ms), speech_end_ms) for s in starts_ms]
    starts = fill_starts(tokens, shifted, end_ms=speech_end_ms)
    words = [
        WordTiming(
            text=token.text,
            start_ms=start,
            end_ms=max(start, starts[i + 1] if i + 1 < len(starts) else speech_end_ms),
        )
        for i, (token, start) in enumerate(zip(tokens, starts, strict=True))
    ]

    out_path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(audio * 32767.0, -32768, 32767).astype("<i2")
    with wave.open(str(out_path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())
    return SpeechResult(audio_path=out_path, duration_ms=duration_ms, words=words, usage=usage)
