"""Runs one job under its lease: the part a story's step (jobs.pipeline.run_job) and a side
job (jobs.side_jobs.run_side_job) share; what a failure changes is the caller's `fail`."""

from __future__ import annotations

import logging
from collections.abc import Callable

from jobs import services as job_services
from jobs.handlers import HANDLERS
from jobs.models import Job
from providers.base import TransientProviderError

log = logging.getLogger(__name__)


def run_claimed(*, job_id: int, task_id: str, fail: Callable[..., None]) -> Job | None:
    """Claim the job and run its kind's handler while the lease is renewed; the job once its
    result is recorded, else None. A finished or claimed-elsewhere job is skipped, and a run
    that lost its lease (the reaper gave the job to another) drops its result. A transient
    error requeues the job and re-raises while its attempts last (the caller retries with
    backoff); every other failure goes to `fail(job_id=, error=, lease=)`."""
    lease = job_services.claim_job(job_id=job_id, task_id=task_id)
    if not lease:
        return None
    job = Job.objects.select_related("story", "scene").get(pk=job_id)
    try:
        with job_services.hold_lease(job_id=job_id, lease=lease):
            result = HANDLERS[job.kind](job)
    except TransientProviderError as exc:
        if not job_services.has_attempts_left(job):
            fail(job_id=job_id, error=exc, lease=lease)
        elif job_services.requeue_job(job_id=job_id, lease=lease):
            raise
        return None
    except Exception as exc:  # every failure is recorded; nothing is lost
        fail(job_id=job_id, error=exc, lease=lease)
        return None
    if not job_services.succeed_job(job_id=job_id, lease=lease, **(result or {})):
        log.warning("job %s (%s) lost its lease or was canceled: result dropped", job_id, job.kind)
        return None
    return job
