"""Celery entry points: thin, idempotent, taking ids; the work is in jobs.pipeline and
jobs.webhooks. Nothing imports this module: jobs.dispatch queues these tasks by name."""

from __future__ import annotations

from celery import Task, shared_task, states
from celery.exceptions import Ignore

from jobs import failures, pipeline, recovery, side_jobs, uploads, webhooks
from jobs.models import Job
from jobs.webhooks import WebhookDeliveryFailed
from providers.base import TransientProviderError


class JobTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (TransientProviderError,)
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    # The job's max_attempts is the one retry budget: run_job stops raising once it is spent.
    max_retries = None

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        pipeline.fail_job(job_id=args[0], error=exc)


def skip_if_already_done(task: Task) -> None:
    """Drop a redelivered task whose first run already stored its result.

    The broker delivers a task again when its worker died, or when the visibility timeout ran
    out under a slow one. Such a copy ends as IGNORED: its job is done, and a chord queued
    before stages were sent by jobs.pipeline.advance_story must not count it twice.
    """
    if not (task.request.delivery_info or {}).get("redelivered"):
        return
    if task.AsyncResult(task.request.id).state == states.SUCCESS:
        raise Ignore()


def run_job_honouring_retry_after(task: Task, job_id: int) -> None:
    """Run the job; a provider's Retry-After hint, when given, sets the wait before the retry."""
    skip_if_already_done(task)
    try:
        pipeline.run_job(job_id=job_id, task_id=task.request.id or "")
    except TransientProviderError as exc:
        if exc.retry_after_s:
            raise task.retry(exc=exc, countdown=exc.retry_after_s) from exc
        raise


@shared_task(base=JobTask, bind=True)
def run_job_task(self, job_id: int) -> int:
    run_job_honouring_retry_after(self, job_id)
    return job_id


@shared_task(base=JobTask, bind=True)
def run_render_job_task(self, job_id: int) -> int:
    """The same as run_job_task, on the `render` queue that FFmpeg machines consume."""
    run_job_honouring_retry_after(self, job_id)
    return job_id


class UploadTask(JobTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        uploads.fail_upload_job(job_id=args[0], error=exc)


@shared_task(base=UploadTask, bind=True)
def run_upload_job_task(self, job_id: int) -> int:
    """Post a reel to a platform (jobs.uploads), on the `uploads` queue; 429/5xx retry with
    backoff (the platform's Retry-After when it gives one) within the job's attempts."""
    skip_if_already_done(self)
    try:
        uploads.run_upload_job(job_id=job_id, task_id=self.request.id or "")
    except TransientProviderError as exc:
        if exc.retry_after_s:
            raise self.retry(exc=exc, countdown=exc.retry_after_s) from exc
        raise
    return job_id


class SideJobTask(JobTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        side_jobs.fail_side_job(job_id=args[0], error=exc)


@shared_task(base=SideJobTask, bind=True)
def run_side_job_task(self, job_id: int) -> int:
    """A job that is no step of a story (jobs.side_jobs): a take's analysis, my own voice."""
    skip_if_already_done(self)
    try:
        side_jobs.run_side_job(job_id=job_id, task_id=self.request.id or "")
    except TransientProviderError as exc:
        if exc.retry_after_s:
            raise self.retry(exc=exc, countdown=exc.retry_after_s) from exc
        raise
    return job_id


@shared_task
def start_render_stage_task(story_id: int) -> None:
    """Kept for chords queued before stages were sent by jobs.pipeline.advance_story."""
    pipeline.start_render_stage(story_id=story_id)


@shared_task
def reap_expired_jobs_task() -> int:
    """Celery beat, every REAPER_INTERVAL_S: requeue the jobs of workers that stopped."""
    return len(recovery.reap_expired_jobs())


class WebhookTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (WebhookDeliveryFailed,)
    retry_backoff = 5
    retry_backoff_max = 600
    retry_jitter = True
    # The job's max_attempts (WEBHOOK_MAX_ATTEMPTS) is the one retry budget: send_webhook stops
    # raising once it is spent.
    max_retries = None

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        code, message = failures.error_code_and_message(exc, kind=Job.Kind.WEBHOOK)
        webhooks.fail_webhook_job(job_id=args[0], code=code, message=message)


@shared_task(base=WebhookTask, bind=True)
def send_webhook_task(self, job_id: int) -> int:
    """POST a story's signed webhook (jobs.webhooks); retried with backoff while it fails."""
    webhooks.send_webhook(job_id=job_id, task_id=self.request.id or "")
    return job_id
