"""What a story does: create, move through its states, lock. The only writer of Story.status."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from reelmaker.errors import (
    FallbackRefused,
    IllegalTransition,
    NotFound,
    PlanLocked,
    StoryBusy,
    StoryInTrash,
)
from stories.events import record_event, record_status_event
from stories.models import Event, OnFallback, Story, StoryStateTransition
from stories.selectors import trash_cutoff
from stories.states import (
    EDITABLE,
    RENDERING,
    TRANSITIONS,
    WORKING,
    Status,
    allowed_targets,
)


@transaction.atomic
def transition_story(*, story_id: int, to: Status | str, by=None, reason: str = "") -> Story:
    """Lock the row, check TRANSITIONS, record the move, save. Raises IllegalTransition (409)."""
    story = Story.objects.select_for_update().get(pk=story_id)
    target = Status(to)
    if story.deleted_at is not None and target in WORKING:
        raise StoryInTrash()
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
        story.error_code, story.error_message, story.error_detail = "", "", ""
        fields += ["error_code", "error_message", "error_detail"]
    story.save(update_fields=fields)
    return story


@transaction.atomic
def fail_story(*, story_id: int, code: str, message: str, detail: str = "", by=None) -> Story:
    """Move a working story to FAILED and keep the error: `message` for the user, `detail` for
    admin only. Safe to repeat."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.status != Status.FAILED:
        story = transition_story(story_id=story_id, to=Status.FAILED, by=by, reason=message)
    story.error_code, story.error_message, story.error_detail = code, message, detail
    story.is_locked = False
    story.save(
        update_fields=["error_code", "error_message", "error_detail", "is_locked", "updated_at"]
    )
    return story


def ensure_fallback_allowed(
    *, story: Story, step: str, reason: str, scene_id: int | None = None
) -> None:
    """Raises FallbackRefused (naming the step and what would have been replaced) when the
    story asked to fail rather than degrade; call it before the fallback is used."""
    if story.on_fallback == OnFallback.FAIL:
        raise FallbackRefused(step=step, scene=scene_id, reason=reason)


@transaction.atomic
def record_degradation(
    *,
    story_id: int,
    step: str,
    reasons: list[str],
    scene_id: int | None = None,
    reset: bool = False,
) -> Story:
    """Make `reasons` the story's degradation for this step and scene (none: that step and
    scene did not fall back), one DEGRADED event per reason added. `reset` drops every other
    entry first (a new plan replaces the scenes). Entries of deleted scenes are dropped.
    Safe to repeat. Raises FallbackRefused, changing nothing, when reasons are given and the
    story asked to fail rather than degrade."""
    reasons = [reason[:500] for reason in reasons]
    story = Story.objects.get(pk=story_id)
    mine = [
        entry
        for entry in story.degradation
        if entry.get("step") == step and entry.get("scene") == scene_id
    ]
    if not reset and [entry["reason"] for entry in mine] == reasons:
        return story  # nothing changes: no lock, no write
    if reasons:
        ensure_fallback_allowed(story=story, step=step, scene_id=scene_id, reason=reasons[0])
    story = Story.objects.select_for_update().get(pk=story_id)
    scene_ids = set(story.scenes.values_list("pk", flat=True))
    kept = [
        entry
        for entry in ([] if reset else story.degradation)
        if not (entry.get("step") == step and entry.get("scene") == scene_id)
        and (entry.get("scene") is None or entry.get("scene") in scene_ids)
    ]
    before = {(e.get("step"), e.get("scene"), e.get("reason")) for e in story.degradation}
    added = [{"step": step, "scene": scene_id, "reason": reason} for reason in reasons]
    for entry in added:
        if (step, scene_id, entry["reason"]) not in before:
            record_event(story_id=story.pk, kind=Event.Kind.DEGRADED, payload=entry)
    story.degradation = kept + added
    story.is_degraded = bool(story.degradation)
    story.save(update_fields=["degradation", "is_degraded", "updated_at"])
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


def ensure_editable(*, story: Story, scenes: bool = False) -> None:
    """The one edit guard. Raises PlanLocked (409) while the plan is locked, StoryBusy (409)
    while a worker has the story and, for scene edits, IllegalTransition (409) once it is
    finished (COMPLETED, ARCHIVED): its reel no longer changes."""
    if story.deleted_at is not None:
        raise StoryInTrash()
    if story.is_locked:
        raise PlanLocked()
    if story.status in WORKING:
        raise StoryBusy()
    if scenes and story.status not in EDITABLE:
        raise IllegalTransition(
            current=story.status,
            target=Status.PLANNED.value,
            allowed=allowed_targets(story.status),
        )


@transaction.atomic
def update_story(*, story_id: int, by=None, **changes) -> Story:
    """Edit the brief. Raises PlanLocked or StoryBusy (see ensure_editable)."""
    story = Story.objects.select_for_update().get(pk=story_id)
    ensure_editable(story=story)
    fields = [name for name, value in changes.items() if getattr(story, name) != value]
    for name in fields:
        setattr(story, name, changes[name])
    if fields:
        story.full_clean()
        story.save(update_fields=[*fields, "updated_at"])
    return story


@transaction.atomic
def trash_story(*, story_id: int, by=None) -> Story:
    """Move a story to the trash (soft delete): it leaves the owner's lists and can be restored
    for TRASH_DAYS, then it is purged with its files. Raises StoryBusy while a worker has it.
    Safe to repeat."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.status in WORKING:
        raise StoryBusy()
    if story.deleted_at is None:
        story.deleted_at = timezone.now()
        story.is_locked = False
        story.save(update_fields=["deleted_at", "is_locked", "updated_at"])
    return story


@transaction.atomic
def restore_story(*, story_id: int, by=None) -> Story:
    """Bring a story back from the trash as it was. Raises NotFound once TRASH_DAYS have passed
    (it is due for purging). Safe to repeat."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.deleted_at is None:
        return story
    if story.deleted_at < trash_cutoff():
        raise NotFound()
    story.deleted_at = None
    story.save(update_fields=["deleted_at", "updated_at"])
    return story


def lock_story(*, story_id: int, by=None) -> Story:
    """Lock the plan: scene edits wait (409 PLAN_LOCKED) until it is unlocked. Safe to repeat."""
    return set_story_lock(story_id=story_id, is_locked=True, by=by)


@transaction.atomic
def unlock_story(*, story_id: int, by=None) -> Story:
    """Unlock the plan. Raises StoryBusy while a render runs (it unlocks itself when done)."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.status in RENDERING:
        raise StoryBusy()
    return set_story_lock(story_id=story_id, is_locked=False, by=by)


@transaction.atomic
def archive_story(*, story_id: int, by=None, reason: str = "archived") -> Story:
    """Move the story to ARCHIVED and unlock it. Raises IllegalTransition while it works."""
    transition_story(story_id=story_id, to=Status.ARCHIVED, by=by, reason=reason)
    return set_story_lock(story_id=story_id, is_locked=False, by=by)


@transaction.atomic
def set_autopilot(*, story_id: int, autopilot: str, by=None) -> Story:
    """Set where the story goes on to by itself once planned ("preview", "final"; "" stops it
    at PLANNED). Safe to repeat."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.autopilot != autopilot:
        story.autopilot = autopilot
        story.save(update_fields=["autopilot", "updated_at"])
    return story
