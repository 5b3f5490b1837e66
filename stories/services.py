"""What a story does: create, move through its states, lock. The only writer of Story.status."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from reelmaker.errors import IllegalTransition, PlanLocked
from stories.events import record_status_event
from stories.models import Story, StoryStateTransition
from stories.states import TRANSITIONS, Status, allowed_targets


@transaction.atomic
def transition_story(
    *, story_id: int, to: Status | str, by: AbstractBaseUser | None = None, reason: str = ""
) -> Story:
    """Lock the row, check TRANSITIONS, record the move, save. Raises IllegalTransition (409)."""
    story = Story.objects.select_for_update().get(pk=story_id)
    target = Status(to)
    if target not in TRANSITIONS[Status(story.status)]:
        raise IllegalTransition(
            current=story.status, target=target.value, allowed=allowed_targets(story.status)
        )
    StoryStateTransition.objects.create(
        story=story, from_status=story.status, to_status=target, actor=by, reason=reason[:500]
    )
    record_status_event(
        story_id=story.pk, from_status=story.status, to_status=target, reason=reason
    )
    story.status = target
    fields = ["status", "updated_at"]
    if target == Status.COMPLETED:
        story.completed_at = timezone.now()
        fields.append("completed_at")
    if target != Status.FAILED and (story.error_code or story.error_message):
        story.error_code, story.error_message = "", ""
        fields += ["error_code", "error_message"]
    story.save(update_fields=fields)
    return story


@transaction.atomic
def fail_story(*, story_id: int, code: str, message: str, by=None) -> Story:
    """Move a working story to FAILED and keep the error for the user and admin. Safe to repeat."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.status != Status.FAILED:
        story = transition_story(story_id=story_id, to=Status.FAILED, by=by, reason=message)
    story.error_code, story.error_message = code, message
    story.is_locked = False
    story.save(update_fields=["error_code", "error_message", "is_locked", "updated_at"])
    return story


def create_story(*, owner, **brief) -> Story:
    """A DRAFT story from a validated brief (keyword, language, duration_s, aspect, ...)."""
    story = Story(owner=owner, **brief)
    story.full_clean()
    story.save()
    return story


@transaction.atomic
def set_story_lock(*, story_id: int, is_locked: bool, by=None) -> Story:
    """Lock or unlock the plan; scene edits wait while it is locked. Safe to repeat."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.is_locked != is_locked:
        story.is_locked = is_locked
        story.save(update_fields=["is_locked", "updated_at"])
    return story


def ensure_plan_editable(*, story: Story) -> None:
    """Raises PlanLocked (409) when scene edits must wait."""
    if story.is_locked:
        raise PlanLocked()
