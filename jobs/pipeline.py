"""The story verbs the API offers, as thin services over stories.services and
jobs.steps: create, edit, start steps, cancel, archive, duplicate."""

from __future__ import annotations

from django.db import transaction

from jobs import services as job_services
from jobs import steps as orchestration
from jobs.models import Job
from reelmaker.errors import IllegalTransition, NothingToCancel, StoryBusy
from stories import services as story_services
from stories.models import Story
from stories.states import TRANSITIONS, WORKING, Status

BRIEF_FIELDS = (
    "title",
    "keyword",
    "language",
    "duration_s",
    "aspect",
    "voice",
    "style",
    "tone",
    "business",
    "script",
    "callback_url",
)


def ensure_quota(*, user, step: str, story: Story | None = None) -> None:
    """The plan-quota check before any work starts (step: "create", "plan", "preview",
    "final"). Raises reelmaker.errors.QuotaExceeded (402)."""
    from billing import services as billing_services

    billing_services.ensure_quota(user=user, step=step, story=story)


def create_story(*, owner, **brief) -> Story:
    ensure_quota(user=owner, step="create")
    return story_services.create_story(owner=owner, **brief)


@transaction.atomic
def update_story(*, story_id: int, by=None, **changes) -> Story:
    """Edit the brief. Refused while locked or while a worker is busy with the story."""
    story = Story.objects.select_for_update().get(pk=story_id)
    story_services.ensure_plan_editable(story=story)
    if story.status in WORKING:
        raise StoryBusy()
    fields = [name for name, value in changes.items() if getattr(story, name) != value]
    for name in fields:
        setattr(story, name, changes[name])
    if fields:
        story.full_clean()
        story.save(update_fields=[*fields, "updated_at"])
    return story


@transaction.atomic
def delete_story(*, story_id: int, by=None) -> None:
    """Delete a story and everything it made. Refused while a worker is busy with it."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.status in WORKING:
        raise StoryBusy()
    story.delete()


def plan_story(*, story_id: int, by=None) -> list[Job]:
    story = Story.objects.get(pk=story_id)
    ensure_quota(user=story.owner, step="plan", story=story)
    return orchestration.start_plan(story_id=story_id, by=by)


def generate_preview(*, story_id: int, by=None) -> list[Job]:
    story = Story.objects.get(pk=story_id)
    ensure_quota(user=story.owner, step="preview", story=story)
    return orchestration.start_preview(story_id=story_id, by=by)


def render_final(*, story_id: int, by=None) -> list[Job]:
    story = Story.objects.get(pk=story_id)
    ensure_quota(user=story.owner, step="final", story=story)
    return orchestration.start_final(story_id=story_id, by=by)


def lock_story(*, story_id: int, by=None) -> Story:
    return story_services.set_story_lock(story_id=story_id, is_locked=True, by=by)


@transaction.atomic
def unlock_story(*, story_id: int, by=None) -> Story:
    """Unlock the plan; refused while a render runs (it unlocks itself when done)."""
    story = Story.objects.select_for_update().get(pk=story_id)
    if story.status in (Status.PREVIEWING, Status.FINALIZING):
        raise StoryBusy()
    return story_services.set_story_lock(story_id=story_id, is_locked=False, by=by)


@transaction.atomic
def archive_story(*, story_id: int, by=None, reason: str = "archived") -> Story:
    story = story_services.transition_story(
        story_id=story_id, to=Status.ARCHIVED, by=by, reason=reason
    )
    return story_services.set_story_lock(story_id=story.pk, is_locked=False, by=by)


# The moves a user may ask for by name: the work-starting ones start their step's jobs.
_STARTERS = {
    Status.PLANNING: plan_story,
    Status.PREVIEWING: generate_preview,
    Status.FINALIZING: render_final,
}
_PLAIN = frozenset({Status.PLANNED, Status.ARCHIVED})


def transition(*, story_id: int, to: str, reason: str = "", by=None) -> list[Job]:
    """Move the story as asked. PLANNING, PREVIEWING and FINALIZING start their step (the jobs
    are returned); PLANNED (back to editing) and ARCHIVED just move; the rest are the
    workers' moves and refused, naming what this user may ask for."""
    target = Status(to)
    story = Story.objects.get(pk=story_id)
    current = Status(story.status)
    plain = _PLAIN if current not in WORKING else frozenset()
    user_moves = TRANSITIONS[current] & (plain | set(_STARTERS))
    if target not in user_moves:
        raise IllegalTransition(
            current=current.value, target=target.value, allowed=sorted(user_moves)
        )
    if target in _STARTERS:
        return _STARTERS[target](story_id=story_id, by=by)
    if target == Status.ARCHIVED:
        archive_story(story_id=story_id, by=by, reason=reason or "archived")
    else:
        story_services.transition_story(
            story_id=story_id, to=target, by=by, reason=reason or "requested"
        )
    return []


def cancel_story(*, story_id: int, by=None) -> list[Job]:
    """Cancel what runs for the story: a canceled preview goes back to PLANNED, a canceled plan
    or final render is FAILED (retryable). Raises NothingToCancel when nothing runs."""
    job_ids = list(
        Job.objects.filter(
            story_id=story_id, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
        ).values_list("pk", flat=True)
    )
    if not job_ids:
        raise NothingToCancel()
    return job_services.cancel_jobs(job_ids=job_ids, by=by)


@transaction.atomic
def duplicate_story(*, story_id: int, by=None) -> Story:
    """A new story with the same brief. A planned story's scenes (with their prompts, visuals
    and voices) come along and the copy starts PLANNED, ready for a preview."""
    from scenes.services.editing import copy_scenes

    source = Story.objects.get(pk=story_id)
    ensure_quota(user=source.owner, step="create")
    copy = story_services.create_story(
        owner=source.owner, **{name: getattr(source, name) for name in BRIEF_FIELDS}
    )
    if copy_scenes(source=source, target=copy):
        copy.hook, copy.post_caption, copy.hashtags = (
            source.hook,
            source.post_caption,
            list(source.hashtags),
        )
        copy.save(update_fields=["hook", "post_caption", "hashtags", "updated_at"])
        reason = f"duplicate of story {source.pk}"
        story_services.transition_story(story_id=copy.pk, to=Status.PLANNING, by=by, reason=reason)
        story_services.transition_story(story_id=copy.pk, to=Status.PLANNED, by=by, reason=reason)
    return Story.objects.get(pk=copy.pk)
