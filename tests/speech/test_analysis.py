"""The analysis on generated readings: the same line by another voice or at another speed
scores high, a delay is an offset, a stretch is a tempo, another sentence scores low,
silence fails."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from speech.analyze import Analysis, NoSpeech, compare_files
from speech.audio import UnreadableAudio, decode
from tests.speech import recordings as rec


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    """Every reading once per module, with the reference's word timings."""
    d = tmp_path_factory.mktemp("speech")
    words = rec.piper(rec.LINE, d / "reference.wav")
    rec.piper(rec.LINE, d / "again.wav")  # Piper's durations are stochastic: a new take
    rec.piper_at(rec.LINE, d / "faster.wav", length_scale=0.8)
    rec.other_voice(d / "again.wav", d / "higher.wav", semitones=3)
    rec.other_voice(d / "again.wav", d / "lower.wav", semitones=-2)
    rec.delayed(d / "reference.wav", d / "late.wav", seconds=1.0)
    rec.stretched(d / "reference.wav", d / "slow.wav", factor=1.3)
    rec.piper(rec.OTHER_LINE, d / "other.wav")
    rec.espeak(rec.OTHER_LINE, d / "other-espeak.wav", language="en")
    rec.silence(d / "silence.wav", seconds=4)
    rec.hiss(d / "hiss.wav", seconds=4)
    pause_at = words[5].start_ms / 1000  # before "over"
    rec.with_pause(d / "reference.wav", d / "paused.wav", at_s=pause_at, seconds=0.7)
    korean_words = rec.espeak(rec.KOREAN_LINE, d / "ko.wav", language="ko")
    rec.stretched(d / "ko.wav", d / "ko-slow.wav", factor=1.2)
    return {"dir": d, "words": words, "korean_words": korean_words, "pause_at": pause_at}


@pytest.fixture(scope="module")
def scored(made):
    cache: dict[str, Analysis] = {}

    def score(name: str, *, reference: str = "reference", words_key: str = "words") -> Analysis:
        key = f"{reference}:{name}"
        if key not in cache:
            cache[key] = compare_files(
                reference=made["dir"] / f"{reference}.wav",
                recording=made["dir"] / f"{name}.wav",
                words=made[words_key],
            )
        return cache[key]

    return score


def test_the_reference_against_itself_is_a_perfect_s(scored):
    result = scored("reference")

    assert result.similarity > 99
    assert result.rank == "S"
    assert result.score > 0.99
    assert all(w.is_time_match and abs(w.offset_s) < 0.05 for w in result.words)
    assert result.intonation.correlation == pytest.approx(1.0, abs=0.01)
    assert result.tempo.ratio == pytest.approx(1.0, abs=0.01)
    assert not result.tempo.extra_pauses
    assert not result.is_text_checked


@pytest.mark.parametrize("take", ["again", "higher", "lower"])
def test_the_same_line_by_another_take_or_voice_scores_high(scored, take):
    result = scored(take)

    assert result.similarity >= 75
    assert result.rank in {"S", "A", "B"}
    assert result.intonation.score > 0.6  # Piper samples its pitch: takes vary


def test_the_same_line_faster_scores_high_after_tempo_normalisation(scored):
    result = scored("faster")

    assert result.tempo.ratio < 0.85, result.to_json()
    assert result.similarity >= 75, result.to_json()


def test_a_one_second_delay_is_reported_as_the_words_offset(scored):
    result = scored("late")

    offsets = [w.offset_s for w in result.words]
    assert np.median(offsets) == pytest.approx(1.0, abs=0.08)
    assert not any(w.is_time_match for w in result.words)
    assert result.timing == 0
    assert result.similarity > 95  # said the same way, only late
    assert result.tempo.ratio == pytest.approx(1.0, abs=0.03)


def test_a_stretch_by_1_3_is_reported_as_tempo(scored):
    result = scored("slow")

    assert result.tempo.ratio == pytest.approx(1.3, abs=0.05)
    assert result.similarity > 85
    last = result.words[-1]
    assert last.start_s == pytest.approx(last.reference_start_s * 1.3, abs=0.15)


@pytest.mark.parametrize("other", ["other", "other-espeak"])
def test_another_sentence_scores_low(scored, other):
    result = scored(other)

    assert result.similarity < 20
    assert result.rank == "C"
    assert result.score < 0.5


@pytest.mark.parametrize("quiet", ["silence.wav", "hiss.wav"])
def test_a_recording_without_speech_fails_with_that_reason(made, quiet):
    with pytest.raises(NoSpeech) as raised:
        compare_files(
            reference=made["dir"] / "reference.wav",
            recording=made["dir"] / quiet,
            words=made["words"],
        )

    assert raised.value.reason == "no_speech"


def test_a_pause_the_reference_does_not_make_is_reported(scored, made):
    result = scored("paused")

    assert len(result.tempo.extra_pauses) == 1
    pause = result.tempo.extra_pauses[0]
    assert pause.at_s == pytest.approx(made["pause_at"], abs=0.15)
    assert pause.duration_s == pytest.approx(0.7, abs=0.15)
    assert result.similarity > 90


def test_intonation_returns_both_contours_on_the_reference_clock(scored, made):
    result = scored("higher")

    contour = result.intonation
    frames = len(decode(made["dir"] / "reference.wav")) // 160
    assert abs(len(contour.reference) - frames) <= 3
    assert len(contour.recording) == len(contour.reference)
    voiced = [v for v in contour.recording if v is not None]
    assert len(voiced) > 50
    assert abs(float(np.median(voiced))) < 1.5  # semitones from the speaker's own median
    payload = result.to_json()
    assert payload["intonation"]["reference"] == contour.reference
    assert payload["words"][0]["text"] == "The"


def test_a_korean_line_read_slower_matches_its_reference(scored):
    result = scored("ko-slow", reference="ko", words_key="korean_words")

    assert result.tempo.ratio == pytest.approx(1.2, abs=0.05)
    assert result.similarity > 85
    assert [w.text for w in result.words][:2] == ["안녕하세요.", "오늘은"]


def test_expressiveness_is_lower_for_a_flatter_reading(scored):
    # The score compares a take's prosody with the reference's, so the same prosody (the
    # reference, 1 s late) is the fixed point; a second sampled Piper take is not: its
    # pitch spread can differ from the reference's more than eSpeak's flat one does.
    same = scored("late").expressiveness
    robot = scored("other-espeak").expressiveness

    assert same.score > 0.95
    assert robot.score < same.score - 0.05


def test_a_file_that_is_not_audio_is_unreadable(tmp_path: Path):
    junk = tmp_path / "take.webm"
    junk.write_bytes(b"not a recording at all")

    with pytest.raises(UnreadableAudio):
        decode(junk)
