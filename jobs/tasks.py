"""Celery entry points: thin, idempotent, taking ids. The work is in jobs.orchestration."""

from __future__ import annotations

from celery import Task, shared_task

from jobs import orchestration
from scenes.providers_base import TransientProviderError


class JobTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (TransientProviderError,)
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = 5

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        orchestration.record_task_failure(job_id=args[0], error=exc)  # runs once retries are spent


@shared_task(base=JobTask, bind=True)
def run_job_task(self, job_id: int) -> int:
    orchestration.run_job(job_id=job_id, task_id=self.request.id or "")
    return job_id


@shared_task(base=JobTask, bind=True)
def run_render_job_task(self, job_id: int) -> int:
    """The same as run_job_task, on the `render` queue that FFmpeg machines consume."""
    orchestration.run_job(job_id=job_id, task_id=self.request.id or "")
    return job_id


@shared_task
def start_render_stage_task(story_id: int) -> None:
    orchestration.start_render_stage(story_id=story_id)
