"""Cancel and retry: what an owner or operator does to a story's jobs from outside the run.

Moved out of jobs.pipeline (which re-exports these verbs) so the pipeline keeps room to grow;
the behaviour is the pipeline's own. A cancel revokes the jobs' tasks and settles the story
once nothing runs; a retry queues failed or canceled jobs again and moves a FAILED story back
to the step that failed.
"""

from __future__ import annotations

from django.db import transaction

from billing import services as billing_services
from billing.estimates import cost_estimate
from jobs import dispatch, side_jobs, webhooks
from jobs import services as job_services
from jobs.models import Job
from reelmaker.errors import NothingToCancel
from stories import services as story_services
from stories.models import Story
from stories.states import RENDERING, STEP_PROFILE, WORKING, Status


def cancel_story(*, story_id: int, by=None) -> list[Job]:
    """Cancel what runs for the story (see cancel_jobs). Raises NothingToCancel (409)."""
    job_ids = job_services.open_job_ids(story_id=story_id)
    if not job_ids:
        raise NothingToCancel()
    return cancel_jobs(job_ids=job_ids, by=by)


def cancel_jobs(*, job_ids, by=None) -> list[Job]:
    """Cancel queued or running jobs and revoke their tasks (a running FFmpeg stops at once).
    Once nothing runs, a canceled preview goes back to PLANNED; a canceled plan or final render
    is FAILED (retryable) and its webhook is sent. Returns the jobs canceled."""
    canceled = job_services.mark_jobs_canceled(job_ids=job_ids, by=by)
    side_jobs.settle_canceled(canceled)
    for story_id in {job.story_id for job in canceled if job.story_id is not None}:
        story_services.set_autopilot(story_id=story_id, autopilot="", by=by)  # a cancel stops it
        _settle_canceled_story(story_id=story_id, by=by)
    dispatch.revoke(job.celery_task_id for job in canceled)
    return canceled


def _settle_canceled_story(*, story_id: int, by=None) -> None:
    if job_services.open_job_ids(story_id=story_id):
        return
    status = Story.objects.values_list("status", flat=True).get(pk=story_id)
    if status == Status.PREVIEWING:
        story_services.transition_story(
            story_id=story_id, to=Status.PLANNED, by=by, reason="preview canceled"
        )
        story_services.set_story_lock(story_id=story_id, is_locked=False)
    elif status in WORKING:
        story_services.fail_story(
            story_id=story_id, code="CANCELED", message="canceled on request", by=by
        )
        webhooks.queue_story_webhook(story_id=story_id)


def retry_jobs(*, job_ids, by=None) -> list[Job]:
    """Queue failed or canceled jobs again, each with one more attempt. Their story leaves
    FAILED for the step that failed, and that step's jobs canceled because of the failure are
    queued with them; a failed scene regeneration (run while PLANNED) goes on to a full
    preview. Webhook jobs are sent again on their own (their story already finished).
    Returns the jobs queued again; running or succeeded ones are skipped."""
    job_ids = list(job_ids)
    retried: list[Job] = webhooks.requeue_webhook_jobs(job_ids=job_ids)
    with transaction.atomic():
        jobs = list(
            Job.objects.select_for_update(of=("self",))
            .filter(pk__in=job_ids, status__in=(Job.Status.FAILED, Job.Status.CANCELED))
            .exclude(kind=Job.Kind.WEBHOOK)
            .select_related("story")
        )
        steps = {job.step_story_id for job in jobs if job.kind not in dispatch.SIDE_KINDS}
        for story_id in sorted(steps):
            jobs += _reopen_failed_step(story_id=story_id, jobs=jobs, by=by)
        for job in jobs:
            # A retry grants one more attempt even when the budget was spent.
            budget = max(job.max_attempts, job.attempts + 1)
            job_services.requeue_for_retry(job, max_attempts=budget)
            retried.append(job)
        side_jobs.send_retried(retried)
        for story_id in {j.step_story_id for j in retried if j.kind not in dispatch.ON_THEIR_OWN}:
            dispatch.queue_story(story_id=story_id)
    return retried


def _reopen_failed_step(*, story_id: int, jobs: list[Job], by) -> list[Job]:
    """Move a FAILED story back to the step of the first job being retried; the extra jobs that
    step needs to finish (the caller holds the job locks)."""
    story = Story.objects.select_for_update().get(pk=story_id)
    own = [j for j in jobs if j.story_id == story_id and j.kind not in dispatch.ON_THEIR_OWN]
    if story.status != Status.FAILED:
        return []
    step = job_services.step_status_for(own[0])
    billing_services.ensure_quota(
        user=story.owner,
        step="retry",
        story=story,
        estimate_usd=cost_estimate(story=story)["total_usd"],
    )
    story_services.transition_story(
        story_id=story_id, to=step, by=by, reason=f"retry of job {own[0].pk} ({own[0].kind})"
    )
    if step == Status.FINALIZING:
        # A final retried in the month it started reuses its ReelUsage row; else it needs a slot.
        billing_services.count_final_reel(story=story)
    chosen = {job.pk for job in jobs}
    extra = [
        sibling
        for sibling in Job.objects.select_for_update().filter(
            story_id=story_id,
            status=Job.Status.CANCELED,
            error_code=job_services.SIBLING_FAILED,
        )
        if sibling.pk not in chosen and job_services.step_status_for(sibling) == step
    ]
    # A failed scene regeneration ran while the story was PLANNED: FAILED goes on to a render
    # step only, so that step gets its missing assets, clips and assembly too.
    if step in RENDERING and not any(job.kind in job_services.RENDER_ENDS for job in own + extra):
        covered = frozenset((job.kind, job.scene_id) for job in own + extra)
        extra += job_services.create_asset_jobs(story, skip=covered)
        extra += job_services.create_render_jobs(story, profile=STEP_PROFILE[step])
    return extra
