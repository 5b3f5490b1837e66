"""Settles a final render's ledger reservation when its story leaves FINALIZING: stories/
may not import billing, so billing watches the story's recorded moves (StoryStateTransition,
written in the same transaction as the move) instead of every path that ends a render
calling in (a job failing, a cancel, a worker lost, an admin)."""

from __future__ import annotations

from billing import ledger
from stories.models import StoryStateTransition
from stories.states import Status


def settle_final_render(sender, instance: StoryStateTransition, created: bool, **kwargs) -> None:
    if not created or instance.from_status != Status.FINALIZING:
        return
    if instance.to_status == Status.COMPLETED:
        ledger.capture(story=instance.story)
    elif instance.to_status == Status.FAILED:
        reason = f"final render of story {instance.story_id} failed: {instance.reason}"
        ledger.release(story=instance.story, reason=reason)
