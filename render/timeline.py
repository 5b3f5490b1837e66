"""The reel's timeline: scene lengths and an end card that land the reel on its asked length.

    fit_timeline(natural_ms=[...], speech_ms=[...], target_ms=15000, fps=30, end_card=True)

Each scene has a natural length (its voice plus a pause, as voiced) and a floor (its voice plus
the shortest pause): speech is never cut. The gap between the scenes and the target goes to an
end card first (END_CARD_MIN_MS to END_CARD_MAX_MS; always one when `end_card` is asked for,
else only when the gap is big enough to show one), then to a longer hold after the last
scene's voice (a music tail; past LAST_HOLD_MAX_MS shared by every scene); a gap too small
for a card is the last scene's hold too. A reel too long
for its target gives up pauses, down to the floors. So an edit that changes one scene's voice
changes only that scene, the last one and the card: the other clips stay cached. Lengths are whole
frames, so the joined reel is exactly `total_ms` long. Past the floors the reel runs long
(`over_ms` says by how much): the writer paces the text so that this does not happen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

END_CARD_MIN_MS = 1500
END_CARD_MAX_MS = 3000
# The longest extra hold the last scene takes when the card is at its longest; a bigger gap
# (speech far shorter than the target) is shared by every scene.
LAST_HOLD_MAX_MS = 6000
MIN_PAUSE_MS = 150  # after a scene's voice, so that words never run into the next scene


@dataclass(frozen=True)
class Timeline:
    """Scene lengths and the end card's (0: none), in whole frames of `fps`."""

    scene_ms: tuple[int, ...]
    end_card_ms: int
    fps: int
    target_ms: int

    @property
    def total_ms(self) -> int:
        return sum(self.scene_ms) + self.end_card_ms

    @property
    def over_ms(self) -> int:
        """How much longer than the target the reel runs (0 when it fits)."""
        return max(0, self.total_ms - self.target_ms - round(500 / self.fps))


def _frames(ms: float, fps: int, *, up: bool = False) -> int:
    value = ms * fps / 1000
    return math.ceil(value - 1e-9) if up else round(value)


def _ms(frames: int, fps: int) -> int:
    return round(frames * 1000 / fps)


def fit_timeline(
    *,
    natural_ms: Sequence[int],
    speech_ms: Sequence[int],
    target_ms: int,
    fps: int,
    end_card: bool,
) -> Timeline:
    """Scene lengths and an end card summing to `target_ms` (to the frame) where the speech
    allows; see the module docstring for the order in which the gap is filled or taken."""
    if len(natural_ms) != len(speech_ms) or not natural_ms:
        raise ValueError("natural_ms and speech_ms must match one to one and not be empty")
    floor = [_frames(s + MIN_PAUSE_MS, fps, up=True) for s in speech_ms]
    scenes = [max(f, _frames(n, fps)) for f, n in zip(floor, natural_ms, strict=True)]
    target = _frames(target_ms, fps)
    card_min, card_max = _frames(END_CARD_MIN_MS, fps), _frames(END_CARD_MAX_MS, fps)
    gap = target - sum(scenes)
    card = 0
    if end_card or gap >= card_min:
        card = min(max(gap, card_min), card_max)
    gap -= card
    if gap > 0:
        # Too little for a card, or more than the card holds: the last scene holds on, music
        # playing under it, so an edit elsewhere changes only that scene's clip and the card.
        # Past LAST_HOLD_MAX_MS the rest is shared by every scene (odd frames to the last).
        last = min(gap, _frames(LAST_HOLD_MAX_MS, fps)) if card else gap
        scenes[-1] += last
        share, odd = divmod(gap - last, len(scenes))
        scenes = [f + share + (1 if i >= len(scenes) - odd else 0) for i, f in enumerate(scenes)]
    while gap < 0:
        # Too long: take a frame of pause from the scene with most pause left, until none is.
        slack = [f - low for f, low in zip(scenes, floor, strict=True)]
        index = max(range(len(scenes)), key=lambda i: (slack[i], i))
        if slack[index] <= 0:
            break
        scenes[index] -= 1
        gap += 1
    return Timeline(
        scene_ms=tuple(_ms(f, fps) for f in scenes),
        end_card_ms=_ms(card, fps) if card else 0,
        fps=fps,
        target_ms=target_ms,
    )
