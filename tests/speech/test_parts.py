"""The pieces of the analysis on values whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from speech import features, pitch, scoring
from speech.dtw import align

RATE = 16_000


@pytest.mark.parametrize("hz", [70.0, 110.0, 220.0, 450.0])
def test_yin_finds_the_frequency_of_a_tone(hz):
    t = np.arange(RATE) / RATE
    tone = (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32)

    f0 = pitch.yin(tone, n_frames=95)

    assert np.nanmedian(f0) == pytest.approx(hz, rel=0.01)
    assert np.isfinite(f0[5:-5]).all()


def test_yin_finds_no_pitch_in_noise():
    noise = np.random.default_rng(1).standard_normal(RATE).astype(np.float32) * 0.1

    assert np.isnan(pitch.yin(noise, n_frames=95)).mean() > 0.9


def test_semitones_count_from_the_speakers_median_and_drop_octave_slips():
    f0 = np.array([100.0] * 15 + [150.0] * 6 + [np.nan])
    f0[5] = 400.0  # YIN two octaves off for one frame
    voiced = np.ones(len(f0), dtype=bool)
    voiced[20] = False

    st = pitch.semitones(f0, voiced)

    assert st[2] == pytest.approx(0.0)
    assert st[17] == pytest.approx(12 * np.log2(1.5))
    assert np.isnan(st[5])
    assert np.isnan(st[20])
    assert np.isnan(st[21])


def test_voice_activity_finds_the_burst_and_ignores_faint_hiss():
    rng = np.random.default_rng(2)
    samples = rng.standard_normal(RATE * 2).astype(np.float32) * 0.0005
    samples[RATE // 2 : RATE] += 0.3 * np.sin(2 * np.pi * 180 * np.arange(RATE // 2) / RATE)

    (found,) = features.extract(samples)

    start, end = found.speech_span()
    assert start == pytest.approx(50, abs=3)
    assert end == pytest.approx(100, abs=3)
    assert found.mfcc.shape == (found.n_frames, 26)
    speech = found.mfcc[found.is_speech]
    assert np.allclose(speech.mean(axis=0), 0, atol=1e-6)


def test_silence_has_no_speech_span():
    (found,) = features.extract(np.zeros(RATE, dtype=np.float32))

    assert found.speech_span() is None


def test_dtw_follows_a_sequence_played_at_half_speed():
    rng = np.random.default_rng(3)
    reference = rng.standard_normal((120, 26))
    slow = np.repeat(reference, 2, axis=0)

    alignment = align(reference, slow)

    path = alignment.path
    assert tuple(path[0]) == (0, 0)
    assert tuple(path[-1]) == (119, 239)
    assert (np.diff(path, axis=0) >= 0).all()
    assert alignment.mean_cost < 1e-6
    assert all(set(alignment.recording_frames_for(i)) == {2 * i, 2 * i + 1} for i in range(120))


def test_dtw_of_unrelated_frames_costs_about_one():
    rng = np.random.default_rng(4)

    alignment = align(rng.standard_normal((100, 26)), rng.standard_normal((110, 26)))

    assert 0.8 < alignment.mean_cost < 1.5


def test_similarity_calibration_anchors():
    costs = np.array([0.0, scoring.FULL_MARKS_COST, 0.75, scoring.ZERO_MARKS_COST, 2.0])

    marks = scoring.similarity_from_cost(costs)

    assert marks.tolist() == pytest.approx([100.0, 100.0, 50.0, 0.0, 0.0])


@pytest.mark.parametrize(
    ("score", "letter"),
    [(1.0, "S"), (0.95, "S"), (0.949, "A"), (0.85, "A"), (0.7, "B"), (0.699, "C"), (0.0, "C")],
)
def test_rank_thresholds(score, letter):
    assert scoring.rank(score) == letter


def test_time_match_needs_overlap_and_a_small_offset():
    assert scoring.interval_overlap((1.0, 2.0), (1.5, 2.5)) == pytest.approx(1 / 3)
    assert scoring.interval_overlap((1.0, 2.0), (3.0, 4.0)) == 0.0


def _word(text: str) -> scoring.WordScore:
    return scoring.WordScore(text, 0.0, 0.1, 0.0, 0.1, 0.0, 1.0, True, 90.0)


def test_heard_words_pass_or_fail_in_order_ignoring_case_and_punctuation():
    words = [_word(t) for t in ["The", "quick", "brown", "fox."]]

    marked = scoring.mark_heard(words, ["the", "quick", "red", "Fox"])

    assert [w.is_text_match for w in marked] == [True, True, False, True]
    assert words[0].is_text_match is None  # the input is left as it was
