"""Reads of stories: owner scoping, their jobs and transitions, statistics."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reelmaker.stats import percentile
from stories.models import Story, StoryStateTransition
from stories.states import Status

MEDIA_FIELDS = ("preview", "final", "thumbnail", "captions_srt", "captions_vtt")


def trash_cutoff(now: datetime | None = None) -> datetime:
    """Stories moved to the trash before this moment are past TRASH_DAYS: purged, not restored."""
    return (now or timezone.now()) - timedelta(days=settings.TRASH_DAYS)


def live_stories(*, user) -> QuerySet[Story]:
    """The user's stories that are not in the trash; every owner-facing read starts here."""
    return Story.objects.filter(owner=user, deleted_at__isnull=True)


def stories_for(*, user) -> QuerySet[Story]:
    """The user's reels (another user's, trashed ones and quick clips are not there), with
    their media."""
    return live_stories(user=user).filter(is_quick_clip=False).select_related(*MEDIA_FIELDS)


def story_for(*, user, story_id) -> Story:
    """The one owner-scoped lookup: the user's story, or Http404 when it is missing, in the
    trash or someone else's (never a 403, which would tell that it exists)."""
    return get_object_or_404(live_stories(user=user), pk=story_id)


def trashed_stories_for(*, user, now=None) -> QuerySet[Story]:
    """The user's stories in the trash that can still be restored, newest deletion first."""
    return (
        Story.objects.filter(owner=user, deleted_at__gte=trash_cutoff(now))
        .select_related(*MEDIA_FIELDS)
        .order_by("-deleted_at", "-id")
    )


def story_transitions(*, story: Story) -> QuerySet[StoryStateTransition]:
    return (
        StoryStateTransition.objects.filter(story=story)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def story_statistics(*, user) -> dict:
    """Counts by status, success rate (completed / (completed + failed)) and the average and
    p95 time from creation to the final video, in seconds."""
    mine = live_stories(user=user).order_by()
    counts = dict.fromkeys(Status.values, 0)
    for row in mine.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    totals = mine.aggregate(
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )
    finished = totals["completed"] + totals["failed"]
    durations = [
        delta.total_seconds()
        for delta in mine.filter(completed_at__isnull=False)
        .annotate(took=F("completed_at") - F("created_at"))
        .values_list("took", flat=True)
    ]
    return {
        "total": sum(counts.values()),
        "by_status": counts,
        "completed": totals["completed"],
        "failed": totals["failed"],
        "success_rate": round(totals["completed"] / finished, 4) if finished else None,
        "time_to_final_s": {
            "average": round(sum(durations) / len(durations), 3) if durations else None,
            "p95": percentile(durations, 0.95),
        },
    }
