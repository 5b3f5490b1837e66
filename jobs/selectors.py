"""Reads of jobs and events: owner scoping and statistics."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Max, Q, QuerySet

from jobs.models import Job
from practice.models import Take
from reelmaker.stats import percentile
from stories.models import Story

TOP_FAILURES = 5


def jobs_for(*, user) -> QuerySet[Job]:
    """The jobs of the user's stories and the analyses of the user's practice takes, newest
    first (another user's jobs are not there)."""
    takes = Take.objects.filter(user=user, job__isnull=False).values("job_id")
    return Job.objects.filter(
        Q(story__owner=user, story__deleted_at__isnull=True) | Q(story__isnull=True, pk__in=takes)
    ).order_by("-created_at", "-id")


def jobs_for_story(*, story: Story) -> QuerySet[Job]:
    """The story's jobs, oldest first."""
    return Job.objects.filter(story=story).order_by("created_at", "id")


def job_statistics(*, jobs: QuerySet[Job]) -> dict:
    """Counts by kind and status, p50/p95 run time (overall and per kind) of finished jobs, and
    the most frequent failure reasons. Takes an already scoped and filtered queryset."""
    jobs = jobs.order_by()
    by_kind: dict[str, dict[str, int]] = {}
    by_status: Counter[str] = Counter()
    for row in jobs.values("kind", "status").annotate(n=Count("id")):
        by_kind.setdefault(row["kind"], {})[row["status"]] = row["n"]
        by_status[row["status"]] += row["n"]

    durations: dict[str, list[float]] = {}
    timed = jobs.filter(started_at__isnull=False, finished_at__isnull=False)
    for kind, started, finished in timed.values_list("kind", "started_at", "finished_at"):
        if started and finished:
            took = (finished - started).total_seconds()
            durations.setdefault(kind, []).append(max(0.0, took))
    every = sorted(d for values in durations.values() for d in values)

    failures = (
        jobs.filter(status=Job.Status.FAILED)
        .values("kind", "error_code")
        .annotate(count=Count("id"), example=Max("error_message"))
        .order_by("-count", "kind", "error_code")[:TOP_FAILURES]
    )
    return {
        "total": sum(by_status.values()),
        "by_status": dict(sorted(by_status.items())),
        "by_kind": {kind: dict(sorted(counts.items())) for kind, counts in sorted(by_kind.items())},
        "duration_s": {
            "p50": percentile(every, 0.5),
            "p95": percentile(every, 0.95),
            "by_kind": {
                kind: {
                    "count": len(values),
                    "p50": percentile(values, 0.5),
                    "p95": percentile(values, 0.95),
                }
                for kind, values in sorted(durations.items())
            },
        },
        "top_failures": [
            {
                "kind": row["kind"],
                "error_code": row["error_code"],
                "count": row["count"],
                "example": row["example"][:300],
            }
            for row in failures
        ],
    }
