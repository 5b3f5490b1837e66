"""Runs `upload` jobs: one reel to one platform (publishing.services.upload_publication).

An upload is not a step of the story: the story stays COMPLETED whatever happens to it, and a
failed upload cancels nothing else (the other platforms' uploads go on). Otherwise it runs
like every job (jobs.pipeline.run_job): claimed under a lease renewed while it works, a
transient error (429, 5xx, a timeout) requeued and retried with backoff while its attempts
last, every other failure recorded on the job with a message saying what to do.
"""

from __future__ import annotations

import logging

from jobs import failures
from jobs import services as job_services
from jobs.handlers import HANDLERS
from jobs.models import Job
from providers.base import TransientProviderError

log = logging.getLogger(__name__)


def run_upload_job(*, job_id: int, task_id: str = "") -> None:
    """Claim and run one upload job. Safe to run twice: a finished or claimed-elsewhere job is
    skipped. Re-raises a transient error while attempts last (the task retries it)."""
    lease = job_services.claim_job(job_id=job_id, task_id=task_id)
    if not lease:
        return
    job = Job.objects.select_related("story").get(pk=job_id)
    try:
        with job_services.hold_lease(job_id=job_id, lease=lease):
            result = HANDLERS[job.kind](job)
    except TransientProviderError as exc:
        if not job_services.has_attempts_left(job):
            fail_upload_job(job_id=job_id, error=exc, lease=lease)
        elif job_services.requeue_job(job_id=job_id, lease=lease):
            raise
        return
    except Exception as exc:  # every failure is recorded; nothing is lost
        fail_upload_job(job_id=job_id, error=exc, lease=lease)
        return
    if not job_services.succeed_job(job_id=job_id, lease=lease, **(result or {})):
        log.warning("upload job %s lost its lease or was canceled: result dropped", job_id)


def fail_upload_job(*, job_id: int, error: BaseException, lease: str | None = None) -> None:
    """Record the failure on the job only: its story and its other jobs are left alone."""
    failure = failures.describe_failure(error, kind=Job.Kind.UPLOAD)
    failures.log_job_failure(job_id=job_id, kind=Job.Kind.UPLOAD, error=error, failure=failure)
    job_services.mark_job_failed(
        job_id=job_id,
        code=failure.code,
        message=f"{Job.Kind.UPLOAD.label} step failed: {failure.message}",
        detail=failure.detail,
        cancel_siblings=False,
        lease=lease,
    )
