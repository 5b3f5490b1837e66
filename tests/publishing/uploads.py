"""Run a story's upload jobs here as the `uploads` worker would (jobs.uploads), retrying a
transient failure as the task's backoff would, without the wait."""

from __future__ import annotations

from jobs.models import Job
from jobs.uploads import run_upload_job
from providers.base import TransientProviderError


def run_uploads(story) -> list[TransientProviderError]:
    """Run every queued upload job of the story until none is queued; the transient errors the
    task would have retried, in order."""
    retried: list[TransientProviderError] = []
    for _ in range(20):
        queued = list(Job.objects.filter(story=story, kind=Job.Kind.UPLOAD, status="queued"))
        if not queued:
            return retried
        for job in queued:
            try:
                run_upload_job(job_id=job.pk, task_id=f"task-{job.pk}-{len(retried)}")
            except TransientProviderError as exc:
                retried.append(exc)
    raise AssertionError("upload jobs still queued after 20 rounds")
