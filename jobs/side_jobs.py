"""Runs the jobs that are no step of a story's pipeline: a practice take's analysis (no story
at all) and a creator's own recording made the voice of a scene or of a whole story.

They run like every job (jobs.pipeline.run_job): claimed under a lease renewed while they work,
a transient error requeued and retried with backoff while attempts last, the reaper taking over
from a dead worker. But no stage follows them and a failure touches nothing else: the story
keeps its status and its other jobs, and the kind's own failure hook (handlers.ON_FAILURE, e.g.
the take failing and its analysis.failed webhook) runs in the transaction that fails the job.
"""

from __future__ import annotations

from django.db import transaction

from jobs import dispatch, failures, lease_runner
from jobs import services as job_services
from jobs.handlers import ON_CANCEL, ON_FAILURE, ON_RETRY
from jobs.models import Job

SIDE_KINDS = dispatch.SIDE_KINDS


def run_side_job(*, job_id: int, task_id: str = "") -> None:
    """Claim and run one side job (jobs.lease_runner). Safe to run twice: a finished or
    claimed-elsewhere job is skipped. Re-raises a transient error while attempts last (the
    task retries it)."""
    lease_runner.run_claimed(job_id=job_id, task_id=task_id, fail=fail_side_job)


def fail_side_job(*, job_id: int, error: BaseException, lease: str | None = None) -> None:
    """Record the failure on the job and run its kind's failure hook, in one transaction; its
    story and other jobs are left alone. With `lease`, only while that lease holds the job."""
    kind = Job.objects.values_list("kind", flat=True).get(pk=job_id)
    failure = failures.describe_failure(error, kind=kind)
    failures.log_job_failure(job_id=job_id, kind=kind, error=error, failure=failure)
    with transaction.atomic():
        job = job_services.mark_job_failed(
            job_id=job_id,
            code=failure.code,
            message=f"{Job.Kind(kind).label} step failed: {failure.message}",
            detail=failure.detail,
            cancel_siblings=False,
            lease=lease,
        )
        if job.status == Job.Status.FAILED and kind in ON_FAILURE:
            ON_FAILURE[kind](job, failure.code, failure.message)


def send_retried(jobs: list[Job]) -> None:
    """Send the side jobs among `jobs` (requeued for a retry, inside the caller's transaction)
    again, each on its own, after their kind's retry hook (a take waits for its analysis
    again)."""
    side = [job for job in jobs if job.kind in SIDE_KINDS]
    for job in side:
        if job.kind in ON_RETRY:
            ON_RETRY[job.kind](job)
    dispatch.queue_jobs(side)


def settle_canceled(jobs: list[Job]) -> None:
    """Run the cancel hook of each side job among `jobs`, just canceled (a take fails)."""
    for job in jobs:
        if job.kind in ON_CANCEL:
            ON_CANCEL[job.kind](job)
