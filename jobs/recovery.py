"""Recovery from dead workers: the reaper that Celery beat runs every REAPER_INTERVAL_S."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from jobs import dispatch, pipeline, side_jobs, webhooks
from jobs import services as job_services
from jobs.models import Job
from reelmaker.errors import DomainError

log = logging.getLogger(__name__)


class WorkerLost(DomainError):
    """The worker running a job stopped renewing its lease (it died or hung) on its last try."""

    code = "WORKER_LOST"
    http_status = 500


def reap_expired_jobs() -> list[Job]:
    """Requeue and send again the running jobs whose lease ran out (their worker died or hung),
    each under a compare-and-set on its lease token and expiry, so a worker that renewed in
    the meantime keeps its job. A job whose attempts are spent fails instead. Safe to repeat;
    returns the jobs requeued."""
    now = timezone.now()
    requeued: list[Job] = []
    with transaction.atomic():
        for job in job_services.expired_jobs(now=now):
            if not job_services.requeue_job(job_id=job.pk, lease=job.lease_token, expired_by=now):
                continue
            log.warning("job %s (%s): lease of %s ran out", job.pk, job.kind, job.lease_owner)
            if job_services.has_attempts_left(job):
                requeued.append(job)
                continue
            error = WorkerLost(f"its worker stopped after {job.attempts} attempt(s)")
            # lease="": only while no new run claimed the job in the meantime.
            if job.kind == Job.Kind.WEBHOOK:
                webhooks.fail_webhook_job(
                    job_id=job.pk, code="WORKER_LOST", message=str(error), lease=""
                )
            elif job.kind in side_jobs.SIDE_KINDS:
                side_jobs.fail_side_job(job_id=job.pk, error=error, lease="")
            else:
                pipeline.fail_job(job_id=job.pk, error=error, lease="")
        dispatch.queue_jobs(requeued)
    return requeued
