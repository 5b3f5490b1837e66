"""Offline voices: eSpeak NG (Korean, English) and Piper, with word timings."""

from __future__ import annotations

import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from providers.base import PermanentProviderError
from providers.voice import piper as piper_module
from providers.voice.audio import tokenize
from providers.voice.base import default_voice, get_voice, voices_for
from providers.voice.espeak import EspeakVoice
from providers.voice.offline import OfflineVoiceProvider
from providers.voice.piper import PiperVoiceProvider, map_tokens_to_sounds, starts_from_audio

KO = "안녕하세요. 릴메이커에 오신 것을 환영합니다! 오늘은 2024년 최고의 라떼를 소개할게요."
EN = "Welcome to Reelmaker, friends. Your video is ready in 2024 — enjoy it! That's all."


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return frames.astype(np.float32) / 32768.0, wav.getframerate()


def _assert_speech(result, text: str) -> None:
    samples, rate = _read_wav(result.audio_path)
    assert abs(len(samples) * 1000 / rate - result.duration_ms) <= 1
    assert result.duration_ms > 500
    assert [w.text for w in result.words] == text.split()
    starts = [w.start_ms for w in result.words]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)
    assert all(0 <= w.start_ms <= w.end_ms <= result.duration_ms for w in result.words)
    assert result.words[0].start_ms < 120
    first_sound = int(np.argmax(np.abs(samples) > 0.03 * np.abs(samples).max()))
    assert first_sound * 1000 / rate < 50  # leading silence trimmed


@pytest.mark.parametrize(("language", "text"), [("ko", KO), ("en", EN)])
def test_espeak_speaks_with_word_timings(tmp_path, language, text):
    result = EspeakVoice().synthesize(
        text=text, language=language, voice=f"{language}-espeak", out_path=tmp_path / "v.wav"
    )

    _assert_speech(result, text)
    assert result.usage.provider == "espeak"
    assert result.usage.unit == "characters"


def test_espeak_second_call_in_process_works(tmp_path):
    voice = EspeakVoice()
    first = voice.synthesize(
        text="하나 둘 셋", language="ko", voice="", out_path=tmp_path / "a.wav"
    )
    second = voice.synthesize(
        text="하나 둘 셋", language="ko", voice="", out_path=tmp_path / "b.wav"
    )

    # libespeak varies by a millisecond between calls; the words and their order do not.
    assert [w.text for w in first.words] == [w.text for w in second.words]
    for a, b in zip(first.words, second.words, strict=True):
        assert abs(a.start_ms - b.start_ms) <= 30
    assert abs(first.duration_ms - second.duration_ms) <= 30


def test_piper_speaks_english_with_word_timings(tmp_path):
    result = PiperVoiceProvider().synthesize(
        text=EN, language="en", voice="en-piper-joe", out_path=tmp_path / "p.wav"
    )

    _assert_speech(result, EN)
    assert piper_module._has_alignments  # onnx is installed: timings come from the model
    number = next(w for w in result.words if w.text == "2024")
    assert number.end_ms - number.start_ms > 500  # "two thousand twenty four" is long


def test_threads_synthesise_concurrently(tmp_path):
    results, errors = {}, []

    def speak(name: str, language: str, voice: str, text: str) -> None:
        try:
            results[name] = OfflineVoiceProvider().synthesize(
                text=text, language=language, voice=voice, out_path=tmp_path / f"{name}.wav"
            )
        except Exception as exc:  # reported below
            errors.append(exc)

    jobs = [
        ("ko1", "ko", "ko-espeak", KO),
        ("en1", "en", "en-espeak", EN),
        ("ko2", "ko", "ko-espeak", KO),
        ("pi", "en", "en-piper-joe", EN),
    ]
    threads = [threading.Thread(target=speak, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    ko1, ko2 = results["ko1"].words, results["ko2"].words
    assert all(abs(a.start_ms - b.start_ms) <= 30 for a, b in zip(ko1, ko2, strict=True))
    for name, _, _, text in jobs:
        _assert_speech(results[name], text)


def test_empty_text_is_a_permanent_error(tmp_path):
    with pytest.raises(PermanentProviderError):
        EspeakVoice().synthesize(text=" … ", language="ko", voice="", out_path=tmp_path / "e.wav")


def test_piper_refuses_korean(tmp_path):
    with pytest.raises(PermanentProviderError):
        PiperVoiceProvider().synthesize(
            text=KO, language="ko", voice="", out_path=tmp_path / "k.wav"
        )


def test_offline_provider_falls_back_to_espeak_when_piper_is_unavailable(tmp_path, monkeypatch):
    def unavailable():
        raise piper_module.PiperUnavailable("piper voice failed to load", provider="piper")

    monkeypatch.setattr(piper_module, "_load", unavailable)

    result = OfflineVoiceProvider().synthesize(
        text=EN, language="en", voice="en-piper-joe", out_path=tmp_path / "f.wav"
    )

    assert result.usage.provider == "espeak"
    _assert_speech(result, EN)


def test_audio_fallback_spreads_words_over_voiced_regions():
    rate = 22050
    tone = np.sin(np.arange(rate // 2) / rate * 2 * np.pi * 220).astype(np.float32)
    silence = np.zeros(rate // 2, dtype=np.float32)
    samples = np.concatenate([silence, tone, silence, tone])  # two "words" at 0.5 s and 1.5 s
    tokens = tokenize("hello world")

    starts = starts_from_audio(tokens, samples, sample_rate=rate)

    assert abs(starts[0] - 500) <= 20
    assert abs(starts[1] - 1500) <= 20


def test_tokens_map_onto_merged_and_split_phoneme_words():
    # "of the" is spoken as one phoneme word; "2024" as four.
    tokens = tokenize("end of the 2024")
    own = [["e", "n", "d"], ["v"], ["d", "a"], ["t", "u", "t", "w"]]
    sounds = [
        (p, i * 100) for i, p in enumerate(["e", "n", "d", "v", "d", "a", "t", "u", "t", "w"])
    ]

    assert map_tokens_to_sounds(tokens, own, sounds) == [0, 300, 400, 600]


def test_voice_catalogue():
    assert [v.id for v in voices_for(language="en")] == ["en-piper-joe", "en-espeak"]
    assert default_voice(language="ko").id == "ko-espeak"
    with pytest.raises(PermanentProviderError, match="ko-espeak"):
        get_voice(voice_id="nope")
