"""One request from an idea to a reel: plan, assets and the preview or final render, without
stopping between steps (`POST /stories/` with `autopilot`, the `produce` action).

The target is stored on the story (Story.autopilot); jobs.pipeline.advance_story starts the
render once the plan is written, and a cancel clears the target. A final goes straight from
PLANNED to FINALIZING: no preview pass. Quotas and the budget for the whole way are checked
here, before any paid work, so a refusal answers the request itself.
"""

from __future__ import annotations

from django.db import transaction

from jobs import metering, pipeline
from jobs.models import Job
from reelmaker.errors import DomainError
from stories import services as story_services
from stories.models import Story
from stories.states import Profile, Status


def produce(*, story_id: int, autopilot: str, by=None) -> list[Job]:
    """Take the story to `autopilot` ("preview" or "final") by itself: a DRAFT is planned and
    goes on once planned; a PLANNED story (or a PREVIEW_READY one, for a final) starts that
    render now. Raises QuotaExceeded (402), TooManyQueuedJobs (429) or IllegalTransition
    (409) and then changes nothing; the jobs started are returned."""
    profile = Profile(autopilot)
    story = Story.objects.get(pk=story_id)
    with transaction.atomic():
        story_services.set_autopilot(story_id=story_id, autopilot=profile.value, by=by)
        if story.status != Status.DRAFT:
            start = pipeline.render_final if profile == Profile.FINAL else pipeline.generate_preview
            return start(story_id=story_id, by=by)
        # The render's own check runs again when it starts; this one answers the request.
        metering.ensure_allowed(story=story, step=profile.value)
        return pipeline.plan_story(story_id=story_id, by=by)


def create_and_produce(*, owner, autopilot: str, **brief) -> Story:
    """A story from a brief (pipeline.create_story) taken to `autopilot` (see produce). When
    the work is refused the story stays a DRAFT and the error names it in details["story"]."""
    story = pipeline.create_story(owner=owner, **brief)
    try:
        produce(story_id=story.pk, autopilot=autopilot, by=owner)
    except DomainError as exc:
        exc.details = {**exc.details, "story": story.pk}
        raise
    return Story.objects.get(pk=story.pk)
