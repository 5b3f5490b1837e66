"""Queues work on Celery by task name, after the current transaction commits.

Tasks are named, never imported: jobs.tasks sits on top of everything and nothing imports it.
A story's work runs stage by stage (jobs.services.STAGES: plan, assets, scene clips,
assembly), and only the current stage is sent, as a plain group: the next stage is sent by
jobs.pipeline.advance_story when the current one's last job is done. No chord joins them, so
a job sent again on its own (a retry, the reaper) moves the story on like any other.
Clips, assembly and lyric videos run on the `render` queue that FFmpeg machines consume.
Webhook deliveries go to the `webhooks` queue, so a slow receiver never holds those workers.
Uploads to the platforms go to the `uploads` queue; they are no stage of the story and are sent
on their own (jobs.uploads runs them).
Each task kind has a soft and a hard time limit (settings.CELERY_TASK_ANNOTATIONS).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import Signature, group
from django.conf import settings
from django.db import transaction

from jobs.models import Job
from jobs.services import OPEN, stage_of
from reelmaker.celery import app

log = logging.getLogger(__name__)

RUN_JOB = "jobs.tasks.run_job_task"
RUN_RENDER_JOB = "jobs.tasks.run_render_job_task"
SEND_WEBHOOK = "jobs.tasks.send_webhook_task"
RUN_UPLOAD_JOB = "jobs.tasks.run_upload_job_task"
RUN_SIDE_JOB = "jobs.tasks.run_side_job_task"
RENDER_QUEUE = "render"
WEBHOOK_QUEUE = "webhooks"
UPLOAD_QUEUE = "uploads"
RENDER_KINDS = (Job.Kind.SCENE_RENDER, Job.Kind.ASSEMBLE, Job.Kind.LYRIC_VIDEO)
# No stage of a story (jobs.side_jobs): each is sent on its own, like an upload.
SIDE_KINDS = (Job.Kind.ANALYSIS, Job.Kind.MY_VOICE)
# Retried jobs sent by themselves, not as a stage of their story (jobs.pipeline.retry_jobs).
ON_THEIR_OWN = (Job.Kind.WEBHOOK, *SIDE_KINDS)


def _job_signature(job: Job) -> Signature:
    if job.kind == Job.Kind.WEBHOOK:
        return app.signature(SEND_WEBHOOK, args=(job.pk,), immutable=True)
    if job.kind in RENDER_KINDS:
        return app.signature(RUN_RENDER_JOB, args=(job.pk,), immutable=True, queue=RENDER_QUEUE)
    if job.kind == Job.Kind.UPLOAD:
        return app.signature(RUN_UPLOAD_JOB, args=(job.pk,), immutable=True, queue=UPLOAD_QUEUE)
    if job.kind in SIDE_KINDS:
        return app.signature(RUN_SIDE_JOB, args=(job.pk,), immutable=True)
    return app.signature(RUN_JOB, args=(job.pk,), immutable=True)


def queue_story(*, story_id: int) -> None:
    """Send the queued jobs of the story's current stage (the earliest with an open job) once
    the current transaction commits; nothing while that stage's jobs all run. Safe to repeat:
    a job sent twice is claimed once."""
    transaction.on_commit(lambda: _send_story(story_id))


def _send_story(story_id: int) -> None:
    open_jobs = list(
        Job.objects.filter(story_id=story_id, status__in=OPEN)
        .exclude(kind=Job.Kind.WEBHOOK)
        .order_by("pk")
    )
    # Uploads and side jobs are no stage: each queued one (a retry) is sent on its own.
    alone = (Job.Kind.UPLOAD, *SIDE_KINDS)
    uploads = [j for j in open_jobs if j.kind in alone and j.status == Job.Status.QUEUED]
    if uploads:
        _send(uploads)
    open_jobs = [j for j in open_jobs if j.kind not in alone]
    if not open_jobs:
        return
    current = min(stage_of(job.kind) for job in open_jobs)
    _send([j for j in open_jobs if stage_of(j.kind) == current and j.status == Job.Status.QUEUED])


def queue_jobs(jobs: Iterable[Job]) -> None:
    """Send these jobs, each on its own task, once the current transaction commits (the
    reaper's requeued jobs). Safe to repeat."""
    jobs = list(jobs)
    if jobs:
        transaction.on_commit(lambda: _send(jobs))


def _send(jobs: list[Job]) -> None:
    if len(jobs) == 1:
        _job_signature(jobs[0]).apply_async()
    elif jobs:
        group(_job_signature(job) for job in jobs).apply_async()


def queue_upload(*, job: Job, eta=None) -> None:
    """Send one upload job once the current transaction commits; with `eta` (a scheduled
    post), not before then."""
    signature = _job_signature(job)
    transaction.on_commit(lambda: signature.apply_async(eta=eta))


def queue_webhook(*, job_id: int) -> None:
    """Send one webhook job once the current transaction commits."""
    signature = app.signature(SEND_WEBHOOK, args=(job_id,), immutable=True, queue=WEBHOOK_QUEUE)
    transaction.on_commit(signature.apply_async)


def revoke(task_ids: Iterable[str]) -> None:
    """Ask workers to drop these tasks. A broker that is down must not undo a cancel, so a
    failure is logged and swallowed: the canceled job is skipped when its task runs anyway."""
    for task_id in task_ids:
        if not task_id:
            continue
        try:
            app.control.revoke(task_id)
        except Exception:
            log.warning("could not revoke task %s", task_id, exc_info=True)


def soft_time_limit_s(kind: str) -> int:
    """The soft time limit of the task running a job of this kind (CELERY_TASK_ANNOTATIONS)."""
    if kind in RENDER_KINDS:
        return settings.RENDER_TIME_LIMIT_S
    if kind == Job.Kind.WEBHOOK:
        return settings.WEBHOOK_TIME_LIMIT_S
    if kind == Job.Kind.UPLOAD:
        return settings.UPLOAD_TIME_LIMIT_S
    return settings.JOB_TIME_LIMIT_S
