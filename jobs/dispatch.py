"""Queues work on Celery by task name, after the current transaction commits.

Tasks are named, never imported: jobs.tasks sits on top of everything and nothing imports it.
A story's queued jobs go out as a canvas: a plan job alone; the asset jobs as a group joined
by a chord into the render stage; the render stage's scene clips as a group joined by a chord
into assembly. Clips and assembly run on the `render` queue that FFmpeg machines consume;
webhook deliveries on the `webhooks` queue, so a slow receiver never holds those workers.
Each task kind has a soft and a hard time limit (settings.CELERY_TASK_ANNOTATIONS).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import Signature, chord, group
from django.conf import settings
from django.db import transaction

from jobs.models import Job
from jobs.services import ASSET_KINDS
from reelmaker.celery import app

log = logging.getLogger(__name__)

RUN_JOB = "jobs.tasks.run_job_task"
RUN_RENDER_JOB = "jobs.tasks.run_render_job_task"
START_RENDER_STAGE = "jobs.tasks.start_render_stage_task"
SEND_WEBHOOK = "jobs.tasks.send_webhook_task"
RENDER_QUEUE = "render"
WEBHOOK_QUEUE = "webhooks"
RENDER_KINDS = (Job.Kind.SCENE_RENDER, Job.Kind.ASSEMBLE)


def _job_signature(job: Job) -> Signature:
    if job.kind in RENDER_KINDS:
        return app.signature(RUN_RENDER_JOB, args=(job.pk,), immutable=True, queue=RENDER_QUEUE)
    return app.signature(RUN_JOB, args=(job.pk,), immutable=True)


def _queued(story_id: int) -> list[Job]:
    return list(Job.objects.filter(story_id=story_id, status=Job.Status.QUEUED).order_by("pk"))


def queue_story(*, story_id: int) -> None:
    """Send the story's queued jobs once the current transaction commits. Safe to repeat: a job
    sent twice is claimed once."""
    transaction.on_commit(lambda: _send_story(story_id))


def _send_story(story_id: int) -> None:
    queued = _queued(story_id)
    plan = [j for j in queued if j.kind == Job.Kind.PLAN]
    assets = [j for j in queued if j.kind in ASSET_KINDS]
    if plan:
        for job in plan:
            _job_signature(job).apply_async()
    elif assets:
        stage_two = app.signature(START_RENDER_STAGE, args=(story_id,), immutable=True)
        chord(group(_job_signature(j) for j in assets), stage_two).apply_async()
    else:
        send_render_stage(story_id=story_id)


def send_render_stage(*, story_id: int) -> None:
    """Stage 2: the queued scene clips as a group, joined by a chord into assembly. Safe to
    repeat: with no queued assembly there is nothing to send."""
    queued = _queued(story_id)
    clips = [j for j in queued if j.kind == Job.Kind.SCENE_RENDER]
    assemble = next((j for j in queued if j.kind == Job.Kind.ASSEMBLE), None)
    if assemble is None:
        return
    if clips:
        chord(group(_job_signature(j) for j in clips), _job_signature(assemble)).apply_async()
    else:
        _job_signature(assemble).apply_async()


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
    return settings.JOB_TIME_LIMIT_S
