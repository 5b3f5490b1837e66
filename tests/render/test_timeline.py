"""fit_timeline: scene lengths and an end card that land a reel on its asked length, in whole
frames, without ever cutting speech."""

from __future__ import annotations

import pytest

from render.clip_commands import frames_for
from render.timeline import (
    END_CARD_MAX_MS,
    END_CARD_MIN_MS,
    LAST_HOLD_MAX_MS,
    MIN_PAUSE_MS,
    fit_timeline,
)

FPS = 30


def joined_ms(timeline) -> float:
    """The joined reel's length as assembly makes it: each segment in whole frames."""
    segments = [*timeline.scene_ms, *([timeline.end_card_ms] if timeline.end_card_ms else [])]
    return sum(frames_for(ms, FPS) for ms in segments) * 1000 / FPS


def fit(speech, target_ms, *, end_card=False, pause=350):
    return fit_timeline(
        natural_ms=[s + pause for s in speech],
        speech_ms=speech,
        target_ms=target_ms,
        fps=FPS,
        end_card=end_card,
    )


def test_a_gap_of_several_seconds_becomes_an_end_card_and_scenes_keep_their_length():
    timeline = fit([3000, 3200, 2900, 2600], 15_000)

    assert timeline.end_card_ms == pytest.approx(15_000 - 11_700 - 4 * 350, abs=34)
    assert list(timeline.scene_ms) == pytest.approx([3350, 3550, 3250, 2950], abs=34)
    assert joined_ms(timeline) == 15_000


def test_a_gap_past_the_longest_card_is_the_last_scenes_hold():
    timeline = fit([2000, 2000, 2000], 12_000)

    assert timeline.end_card_ms == END_CARD_MAX_MS
    # The other scenes keep their own length, so an edit elsewhere leaves their clips alone.
    assert list(timeline.scene_ms[:2]) == pytest.approx([2350, 2350], abs=34)
    assert timeline.scene_ms[2] == pytest.approx(12_000 - 3000 - 2 * 2350, abs=34)
    assert joined_ms(timeline) == 12_000


def test_an_edit_changes_only_its_scene_the_last_one_and_the_card():
    before = fit([2000, 2000, 2000, 2000], 14_000)
    after = fit([2000, 2600, 2000, 2000], 14_000)

    pairs = enumerate(zip(before.scene_ms, after.scene_ms, strict=True))
    changed = [i for i, (a, b) in pairs if a != b]
    assert changed == [1, 3]
    assert joined_ms(before) == joined_ms(after) == 14_000


def test_a_gap_far_past_the_card_and_the_last_hold_is_shared():
    timeline = fit([2000, 2000, 2000], 30_000)

    holds = [ms - 2000 for ms in timeline.scene_ms]
    assert timeline.end_card_ms == END_CARD_MAX_MS
    assert min(holds[:2]) > 350
    assert max(holds[:2]) - min(holds[:2]) <= 34  # the rest, the same after every scene
    assert holds[2] - holds[0] == pytest.approx(LAST_HOLD_MAX_MS, abs=34)
    assert joined_ms(timeline) == 30_000


def test_a_gap_too_small_for_a_card_is_the_last_scenes_hold():
    timeline = fit([2000, 2100, 2200], 8_000)

    assert timeline.end_card_ms == 0
    assert list(timeline.scene_ms[:2]) == pytest.approx([2350, 2450], abs=34)
    assert timeline.scene_ms[2] == pytest.approx(8000 - 2350 - 2450, abs=34)
    assert joined_ms(timeline) == 8_000


def test_a_business_reel_always_has_a_card_even_when_pauses_must_give_way():
    speech = [1900, 2100]  # 4.7 s with the usual pauses: too long beside a 1.5 s card
    timeline = fit(speech, 6_000, end_card=True)

    assert timeline.end_card_ms == END_CARD_MIN_MS
    for spoken, ms in zip(speech, timeline.scene_ms, strict=True):
        assert ms >= spoken + MIN_PAUSE_MS  # the voice is never cut
    assert joined_ms(timeline) == 6_000
    assert timeline.over_ms == 0


def test_speech_too_long_for_the_reel_shortens_pauses_then_runs_long_without_cutting():
    speech = [4000, 4000]
    timeline = fit(speech, 8_000)

    assert [ms - s for ms, s in zip(timeline.scene_ms, speech, strict=True)] == pytest.approx(
        [MIN_PAUSE_MS, MIN_PAUSE_MS], abs=34
    )
    assert timeline.end_card_ms == 0
    assert timeline.over_ms == pytest.approx(300, abs=34)


@pytest.mark.parametrize("target_ms", [5_000, 8_000, 15_000, 30_000, 60_000, 180_000])
@pytest.mark.parametrize("end_card", [False, True])
def test_any_speech_that_fits_lands_on_the_target_to_the_frame(target_ms, end_card):
    scenes = max(2, target_ms // 7_500)
    room = target_ms - (END_CARD_MIN_MS if end_card else 0)
    speech = [round(room * 0.7 / scenes) + 37 * i for i in range(scenes)]

    timeline = fit(speech, target_ms, end_card=end_card)

    assert joined_ms(timeline) == pytest.approx(target_ms, abs=1000 / FPS)
    assert timeline.total_ms == pytest.approx(target_ms, abs=1000 / FPS)
    if end_card:
        assert END_CARD_MIN_MS <= timeline.end_card_ms <= END_CARD_MAX_MS
    for spoken, ms in zip(speech, timeline.scene_ms, strict=True):
        assert ms >= spoken + MIN_PAUSE_MS
