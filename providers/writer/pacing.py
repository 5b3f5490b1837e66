"""Pacing: how much narration a plan may say and still land the reel on its length.

A reel's length holds its speech, a pause after each scene and, for a business, the end card
(rates.speech_budget_ms). Narration far past that room is too long to say: the OpenAI writer
asks once for shorter text, and repair_plan cuts what is still too long.
"""

from __future__ import annotations

from providers.writer.base import MAX_SCENES, Brief, Plan, has_end_card, min_scenes, scene_count
from providers.writer.rates import estimate_speech_ms, speech_budget_ms

# Narration that takes longer than this many times the speech the reel has room for
# (rates.speech_budget_ms) is cut to that room; below it the estimate (rates.py) is too rough
# to justify cutting a writer's words, and the timeline absorbs the rest in pauses.
OVERLONG = 1.15


def speech_room_ms(brief: Brief, scenes: int) -> int:
    """The speech a plan of `scenes` scenes has room for (a count outside the allowed range
    counts as the one the reel's length wants)."""
    if not min_scenes(brief.duration_s) <= scenes <= MAX_SCENES:
        scenes = scene_count(brief.duration_s)
    return speech_budget_ms(
        duration_s=brief.duration_s, scenes=scenes, end_card=has_end_card(brief)
    )


def overlong(plan: Plan, brief: Brief) -> str:
    """Why `plan`'s narration is too long to say in the reel (OVERLONG times its room), to ask
    a writer for shorter text; empty when it fits or the brief is the user's own script."""
    if brief.script:
        return ""
    room_ms = speech_room_ms(brief, len(plan.scenes))
    said_ms = sum(estimate_speech_ms(s.narration, language=brief.language) for s in plan.scenes)
    if said_ms <= room_ms * OVERLONG:
        return ""
    return (
        f"the narration takes about {said_ms / 1000:.0f} s to say; a {brief.duration_s} s reel "
        f"has room for about {room_ms / 1000:.0f} s of speech: write shorter narration"
    )
