"""Job bookkeeping: create, claim, finish, fail, retry and cancel. Safe to repeat."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs.models import Job
from stories import services as story_services
from stories.events import record_job_event, record_progress_event
from stories.models import Story
from stories.states import Status

log = logging.getLogger(__name__)

# The story status a job's step runs in: retrying a failed job returns the story there.
_PLAN_KINDS = {Job.Kind.PLAN}


# The error code on jobs canceled because another job of their story failed.
SIBLING_FAILED = "SIBLING_FAILED"


def step_status_for(job: Job) -> Status:
    """The story status in which this job's step runs."""
    if job.kind in _PLAN_KINDS:
        return Status.PLANNING
    if job.profile == "final" or job.kind in (Job.Kind.UPLOAD, Job.Kind.WEBHOOK):
        return Status.FINALIZING
    return Status.PREVIEWING


def create_job(
    *, story: Story, kind: str, scene=None, profile: str = "", max_attempts: int = 3
) -> Job:
    return Job.objects.create(
        story=story, scene=scene, kind=kind, profile=profile, max_attempts=max_attempts
    )


def claim_job(*, job_id: int, task_id: str = "") -> bool:
    """Move a queued job to running; False when another worker has it or it is finished.

    A job left RUNNING under the same Celery task id is claimed again: that is the broker
    redelivering the task of a worker that died mid-job (acks_late), not a second worker.
    """
    claimable = Q(status=Job.Status.QUEUED)
    if task_id:
        claimable |= Q(status=Job.Status.RUNNING, celery_task_id=task_id)
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=Job.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        celery_task_id=task_id,
        updated_at=timezone.now(),
    )
    if claimed:
        record_job_event(job_id=job_id)
    return claimed == 1


def set_progress(*, job_id: int, progress: int) -> None:
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        progress=max(0, min(100, progress)), updated_at=timezone.now()
    )
    record_progress_event(job_id=job_id)


def succeed_job(*, job_id: int, provider: str = "", cost_usd=None, output=None) -> None:
    """Mark a running job done; a canceled job stays canceled."""
    fields = {
        "status": Job.Status.SUCCEEDED,
        "progress": 100,
        "finished_at": timezone.now(),
        "updated_at": timezone.now(),
        "error_code": "",
        "error_message": "",
    }
    if provider:
        fields["provider"] = provider
    if cost_usd is not None:
        fields["cost_usd"] = cost_usd
    if output is not None:
        fields["output"] = output
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**fields)
    record_job_event(job_id=job_id)


def requeue_job(*, job_id: int) -> None:
    """Give a running job back to the queue after a transient error (it will be claimed again)."""
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        status=Job.Status.QUEUED, updated_at=timezone.now()
    )


@transaction.atomic
def fail_job(*, job_id: int, code: str, message: str) -> Job:
    """Record the failure on the job and move its story to FAILED with the same error."""
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.status in (Job.Status.SUCCEEDED, Job.Status.CANCELED):
        return job
    job.status = Job.Status.FAILED
    job.error_code, job.error_message = code, message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_code", "error_message", "finished_at", "updated_at"])
    record_job_event(job_id=job.pk)
    Job.objects.filter(story_id=job.story_id, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELED,
        error_code=SIBLING_FAILED,
        error_message="canceled: another job of this story failed",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    story = Story.objects.get(pk=job.story_id)
    if story.status in (
        Status.PLANNING,
        Status.PLANNED,
        Status.PREVIEWING,
        Status.PREVIEW_READY,
        Status.FINALIZING,
        Status.FAILED,
    ):
        story_services.fail_story(story_id=job.story_id, code=code, message=message)
    return job


def retry_jobs(*, job_ids: Iterable[int], by=None) -> list[Job]:
    """Queue failed or canceled jobs again; their story leaves FAILED for the step that failed,
    and the jobs of that step canceled because of the failure are queued again with them.

    Webhook jobs are sent again on their own: their story already finished.
    Returns the jobs queued again; others (running, succeeded) are skipped.
    """
    from jobs import steps as orchestration  # both import this module; import late (cycle)
    from jobs import webhooks

    job_ids = list(job_ids)
    retried: list[Job] = webhooks.requeue_webhook_jobs(job_ids=job_ids)
    with transaction.atomic():
        jobs = list(
            Job.objects.select_for_update()
            .filter(pk__in=job_ids, status__in=(Job.Status.FAILED, Job.Status.CANCELED))
            .exclude(kind=Job.Kind.WEBHOOK)
            .select_related("story")
        )
        for job in list(jobs):
            story = Story.objects.select_for_update().get(pk=job.story_id)
            if story.status == Status.FAILED:
                step = step_status_for(job)
                story_services.transition_story(
                    story_id=story.pk, to=step, by=by, reason=f"retry of job {job.pk} ({job.kind})"
                )
                chosen = {j.pk for j in jobs}
                jobs += [
                    sibling
                    for sibling in Job.objects.select_for_update().filter(
                        story_id=story.pk, status=Job.Status.CANCELED, error_code=SIBLING_FAILED
                    )
                    if sibling.pk not in chosen and step_status_for(sibling) == step
                ]
                # A failed scene regeneration ran while the story was PLANNED: FAILED can only
                # go on to a render step, so that step gets its missing assets, clips and
                # assembly too.
                own = [j for j in jobs if j.story_id == story.pk]
                if step != Status.PLANNING and not any(j.kind == Job.Kind.ASSEMBLE for j in own):
                    profile = "final" if step == Status.FINALIZING else "preview"
                    covered = frozenset((j.kind, j.scene_id) for j in own)
                    jobs += orchestration.asset_jobs(story, skip=covered)
                    jobs += orchestration.render_step_jobs(story, profile=profile)
        for job in jobs:
            # A retry grants one more attempt even when the budget was spent.
            requeue_for_retry(job, max_attempts=max(job.max_attempts, job.attempts + 1))
            retried.append(job)
    for story_id in {job.story_id for job in retried}:
        orchestration.resume_story(story_id=story_id)
    return retried


def requeue_for_retry(job: Job, *, max_attempts: int) -> None:
    """Put a finished job back in the queue with its error cleared (the caller holds its lock)."""
    job.status = Job.Status.QUEUED
    job.error_code, job.error_message = "", ""
    job.progress, job.finished_at = 0, None
    job.max_attempts = max_attempts
    job.save(
        update_fields=[
            "status",
            "error_code",
            "error_message",
            "progress",
            "finished_at",
            "max_attempts",
            "updated_at",
        ]
    )
    record_job_event(job_id=job.pk)


def cancel_jobs(*, job_ids: Iterable[int], by=None) -> list[Job]:
    """Cancel queued or running jobs: revoke their tasks; a running render stops at once."""
    from reelmaker.celery import app

    canceled: list[Job] = []
    with transaction.atomic():
        jobs = list(
            Job.objects.select_for_update().filter(
                pk__in=list(job_ids), status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
            )
        )
        for job in jobs:
            job.status = Job.Status.CANCELED
            job.finished_at = timezone.now()
            job.error_message = f"canceled by {by}" if by else "canceled"
            job.save(update_fields=["status", "finished_at", "error_message", "updated_at"])
            record_job_event(job_id=job.pk)
            canceled.append(job)
    for story_id in {job.story_id for job in canceled}:
        settle_canceled_story(story_id=story_id, by=by)
    for job in canceled:
        if job.celery_task_id:
            try:
                app.control.revoke(job.celery_task_id)
            except Exception:  # a broker that is down must not undo the cancel
                log.warning("could not revoke task %s", job.celery_task_id, exc_info=True)
    return canceled


def settle_canceled_story(*, story_id: int, by=None) -> None:
    """Once nothing is left to run, a canceled preview goes back to PLANNED; a canceled plan
    or final render is FAILED with the reason, so it can be retried."""
    if Job.objects.filter(
        story_id=story_id, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    ).exists():
        return
    story = Story.objects.get(pk=story_id)
    if story.status == Status.PREVIEWING:
        story_services.transition_story(
            story_id=story_id, to=Status.PLANNED, by=by, reason="preview canceled"
        )
        story_services.set_story_lock(story_id=story_id, is_locked=False)
    elif story.status in (Status.PLANNING, Status.FINALIZING):
        from jobs import webhooks  # webhooks builds on this module; import late (cycle)

        story_services.fail_story(
            story_id=story_id, code="CANCELED", message="canceled on request", by=by
        )
        webhooks.queue_story_webhook(story_id=story_id)
