"""What the story admin shows beyond fields: the list's thumbnail, badge, length and cost, and
the change page's panel (players, thumbnail, QC report, cost against the estimate, the job
timeline with retry and cancel beside each job that can take them)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from billing.estimates import cost_estimate
from billing.selectors import story_cost
from jobs import pipeline
from jobs.models import Job
from jobs.selectors import jobs_for_story
from media.downloads import signed_media_url
from reelmaker.errors import DomainError
from stories.models import Story

# Badge colours per status family (the CSS in static/admin/reelmaker.css).
BADGES = {
    "DRAFT": "idle",
    "PLANNED": "idle",
    "PLANNING": "busy",
    "PREVIEWING": "busy",
    "FINALIZING": "busy",
    "PREVIEW_READY": "ready",
    "COMPLETED": "done",
    "FAILED": "failed",
    "ARCHIVED": "idle",
}
RETRYABLE = (Job.Status.FAILED, Job.Status.CANCELED)
CANCELABLE = (Job.Status.QUEUED, Job.Status.RUNNING)


def status_badge(status: str, label: str) -> str:
    return format_html(
        '<span class="rm-badge rm-badge--{}">{}</span>', BADGES.get(status, "idle"), label
    )


def minutes_seconds(duration_ms: int | None) -> str:
    if not duration_ms:
        return "-"
    seconds = round(duration_ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def thumbnail_img(story: Story, request) -> str:
    url = signed_media_url(story.thumbnail, request) if story.thumbnail_id else None
    if not url:
        return "-"
    return format_html('<img class="rm-thumb" src="{}" alt="{}" loading="lazy">', url, str(story))


def reel_length_ms(story: Story) -> int | None:
    reel = story.final or story.preview
    return reel.duration_ms if reel else None


def story_panel(story: Story, request) -> dict:
    """The change page's panel, as template context."""
    reel = story.final or story.preview
    try:
        estimate: Decimal | None = cost_estimate(story=story)["total_usd"]
    except DomainError:
        estimate = None
    spent = story_cost(story)
    jobs = list(jobs_for_story(story=story).select_related("scene"))
    return {
        "preview_url": signed_media_url(story.preview, request) if story.preview_id else None,
        "final_url": signed_media_url(story.final, request) if story.final_id else None,
        "thumbnail_url": signed_media_url(story.thumbnail, request) if story.thumbnail_id else None,
        "qc": reel.qc if reel and reel.qc else None,
        "qc_profile": _("final") if story.final_id else _("preview"),
        "cost_spent": spent,
        "cost_estimate": estimate,
        "cost_over": estimate is not None and spent > estimate,
        "jobs": [
            {
                "job": job,
                "badge": status_badge(job.status.upper(), job.get_status_display()),
                "can_retry": job.status in RETRYABLE,
                "can_cancel": job.status in CANCELABLE,
                "retry_url": reverse("admin:stories_story_job", args=[story.pk, job.pk, "retry"]),
                "cancel_url": reverse("admin:stories_story_job", args=[story.pk, job.pk, "cancel"]),
            }
            for job in jobs
        ],
    }


def job_action_view(model_admin, request, object_id: str, job_id: int, verb: str):
    """POST: retry or cancel one job of this story (jobs.pipeline), then back to the story."""
    story = get_object_or_404(Story, pk=object_id)
    back = HttpResponseRedirect(reverse("admin:stories_story_change", args=[story.pk]))
    if request.method != "POST" or not model_admin.has_change_permission(request, story):
        model_admin.message_user(request, _("Not allowed."), level=messages.ERROR)
        return back
    job = get_object_or_404(Job, pk=job_id, story=story)
    try:
        if verb == "retry":
            done = pipeline.retry_jobs(job_ids=[job.pk], by=request.user)
            message = _("%(n)d job(s) queued again.") % {"n": len(done)}
        else:
            done = pipeline.cancel_jobs(job_ids=[job.pk], by=request.user)
            message = _("%(n)d job(s) canceled.") % {"n": len(done)}
    except DomainError as exc:
        model_admin.message_user(request, str(exc.message), level=messages.ERROR)
        return back
    model_admin.message_user(request, message, level=messages.SUCCESS if done else messages.WARNING)
    return back
