"""Start here: the one place that moves a story through its steps.

    brief --plan_story--> PLANNING: one PLAN job
          --generate_preview--> PREVIEWING: a VISUAL and a VOICE job per scene that lacks them
                and one MUSIC job (stage 1), a SCENE_RENDER job per scene (stage 2), ASSEMBLE
          --render_final--> FINALIZING: SCENE_RENDER per scene at the final profile, ASSEMBLE

Each verb checks the quota, moves the story (stories.services.transition_story), creates the
step's Job rows (jobs.services) and queues them after commit (jobs.dispatch). A worker runs
one job through `run_job`: claim it (a lease, renewed while the handler works), call its
handler (jobs.handlers -> scenes services), then `advance_story`, which sends the next stage
once a stage's last job is done, or `fail_job` when it failed for good. jobs.recovery (Celery
beat) requeues the jobs of workers that died. Cancel and retry are jobs.cancel_retry's.
`makereel` runs the same jobs in-process (jobs.inline).
"""

from __future__ import annotations

from django.db import transaction

from billing import services as billing_services
from billing.estimates import scene_parts_estimate
from jobs import dispatch, failures, lease_runner, metering, webhooks
from jobs import services as job_services
from jobs.cancel_retry import cancel_jobs, cancel_story, retry_jobs  # noqa: F401 re-exported
from jobs.models import Job
from reelmaker.errors import DomainError, IllegalTransition
from scenes.models import Scene
from scenes.services import editing
from stories import services as story_services
from stories.models import Story
from stories.states import (
    FAILABLE,
    PROFILE_STEP,
    RENDERING,
    TRANSITIONS,
    WORKING,
    Profile,
    Status,
)

# ---------------------------------------------------------------- a brief comes in


def create_story(*, owner, **brief) -> Story:
    """A DRAFT story from a validated brief. Raises QuotaExceeded (402) past the plan's limits."""
    billing_services.ensure_quota(user=owner, step="create")
    return story_services.create_story(owner=owner, **brief)


@transaction.atomic
def duplicate_story(*, story_id: int, by=None) -> Story:
    """A new story with the same brief. A planned story's scenes (with their prompts, visuals
    and voices) come along and the copy starts PLANNED, ready for a preview; nothing is queued.
    Raises QuotaExceeded."""
    source = Story.objects.get(pk=story_id)
    if Story.objects.filter(pk=story_id, song_reel__isnull=False).exists():
        raise metering.SongReelSteps()  # a copy would be a narrated reel of a song's brief
    billing_services.ensure_quota(user=source.owner, step="create")
    copy = story_services.create_story(
        owner=source.owner, **{name: getattr(source, name) for name in Story.BRIEF_FIELDS}
    )
    if editing.copy_scenes(source=source, target=copy):
        copy.hook, copy.post_caption = source.hook, source.post_caption
        copy.hashtags = list(source.hashtags)
        copy.save(update_fields=["hook", "post_caption", "hashtags", "updated_at"])
        reason = f"duplicate of story {source.pk}"
        story_services.transition_story(story_id=copy.pk, to=Status.PLANNING, by=by, reason=reason)
        story_services.transition_story(story_id=copy.pk, to=Status.PLANNED, by=by, reason=reason)
    return Story.objects.get(pk=copy.pk)


# ---------------------------------------------------------------- the steps


def plan_story(*, story_id: int, by=None, inline: bool = False) -> list[Job]:
    """DRAFT -> PLANNING and one PLAN job, queued after commit (not with `inline`: makereel
    runs it itself). Raises QuotaExceeded or IllegalTransition and then changes nothing."""
    story = Story.objects.get(pk=story_id)
    metering.ensure_allowed(story=story, step="plan")
    with transaction.atomic():
        story = story_services.transition_story(
            story_id=story_id, to=Status.PLANNING, by=by, reason="plan requested"
        )
        jobs = [job_services.create_job(story=story, kind=Job.Kind.PLAN)]
    if not inline:
        dispatch.queue_story(story_id=story_id)
    return jobs


def generate_preview(*, story_id: int, by=None, inline: bool = False, **options) -> list[Job]:
    """PLANNED -> PREVIEWING with the plan locked; a job per missing visual and voice and the
    music, a clip per scene and the assembly, at the preview profile with `options` (quality,
    include_captions, watermark), queued after commit. Raises QuotaExceeded or
    IllegalTransition and then changes nothing."""
    return _start_render(
        story_id=story_id, profile=Profile.PREVIEW, by=by, inline=inline, **options
    )


def render_final(*, story_id: int, by=None, inline: bool = False, **options) -> list[Job]:
    """PLANNED (no preview) or PREVIEW_READY -> FINALIZING with the plan locked; missing
    assets, a clip per scene and the assembly at the final profile with `options`, queued
    after commit. Raises QuotaExceeded or IllegalTransition and then changes nothing."""
    return _start_render(story_id=story_id, profile=Profile.FINAL, by=by, inline=inline, **options)


def _start_render(*, story_id: int, profile: Profile, by, inline: bool, **options) -> list[Job]:
    story = Story.objects.get(pk=story_id)
    metering.ensure_allowed(story=story, step=profile.value)
    options = billing_services.render_options(user=story.owner, profile=profile, options=options)
    with transaction.atomic():
        story = story_services.transition_story(
            story_id=story_id, to=PROFILE_STEP[profile], by=by, reason=f"{profile} requested"
        )
        if profile == Profile.FINAL:
            # Same transaction as the move: a refusal undoes it; the story's lock comes first.
            billing_services.count_final_reel(story=story)
        story_services.set_story_lock(story_id=story_id, is_locked=True)
        jobs = job_services.create_asset_jobs(story)
        jobs += job_services.create_render_jobs(story, profile=profile, options=options)
    if not inline:
        dispatch.queue_story(story_id=story_id)
    return jobs


# The moves a user may ask for by name: the work-starting ones start their step's jobs.
_STARTERS = {
    Status.PLANNING: plan_story,
    Status.PREVIEWING: generate_preview,
    Status.FINALIZING: render_final,
}
_PLAIN = frozenset({Status.PLANNED, Status.ARCHIVED})


def transition(*, story_id: int, to: str, reason: str = "", by=None) -> list[Job]:
    """Move the story as asked. PLANNING, PREVIEWING and FINALIZING start their step (the jobs
    are returned); PLANNED (back to editing) and ARCHIVED just move; the rest are the
    workers' moves and refused with IllegalTransition naming what this user may ask for."""
    target = Status(to)
    current = Status(Story.objects.values_list("status", flat=True).get(pk=story_id))
    plain = _PLAIN if current not in WORKING else frozenset()
    user_moves = TRANSITIONS[current] & (plain | set(_STARTERS))
    if target not in user_moves:
        raise IllegalTransition(
            current=current.value, target=target.value, allowed=sorted(user_moves)
        )
    if target in _STARTERS:
        return _STARTERS[target](story_id=story_id, by=by)
    if target == Status.ARCHIVED:
        story_services.archive_story(story_id=story_id, by=by, reason=reason or "archived")
    else:
        story_services.transition_story(
            story_id=story_id, to=target, by=by, reason=reason or "requested"
        )
    return []


def regenerate_scene(*, scene_id: int, what: str = "both", by=None) -> list[Job]:
    """Make this scene's visual, voice or both again, and nothing else: the old ones are dropped
    (a story with a preview goes back to PLANNED) and a job per part is queued after commit.
    Raises PlanLocked, StoryBusy, IllegalTransition, AlreadyRunning (a job for the part is
    queued or running), TooManyQueuedJobs or QuotaExceeded and then changes nothing."""
    parts = {"visual": ("visual",), "voice": ("voice",)}.get(what, ("visual", "voice"))
    kinds = {"visual": Job.Kind.VISUAL, "voice": Job.Kind.VOICE}
    scene = Scene.objects.select_related("story__owner").get(pk=scene_id)
    metering.ensure_scene_idle(scene=scene, kinds=[kinds[part] for part in parts])
    metering.ensure_allowed(
        story=scene.story,
        step="regenerate",
        estimate_usd=scene_parts_estimate(scene=scene, parts=parts),
    )
    with transaction.atomic():
        scene = editing.drop_scene_parts(scene_id=scene_id, parts=parts, by=by)
        jobs = [
            job_services.create_job(story=scene.story, scene=scene, kind=kinds[part])
            for part in parts
        ]
        dispatch.queue_story(story_id=scene.story_id)
    return jobs


# ---------------------------------------------------------------- a worker runs one job


def run_job(*, job_id: int, task_id: str = "", inline: bool = False) -> None:
    """Claim and run one job, then advance its story (with `inline`, jobs.inline sends no next
    stage: it runs the stages itself). Safe to run twice: a finished or
    claimed-elsewhere job is skipped, and a run that lost its lease (the reaper gave the job to
    another) drops its result. A transient error requeues the job and re-raises while its
    attempts last (the caller retries with backoff); every other failure is recorded on the
    job and the story (fail_job)."""
    job = lease_runner.run_claimed(job_id=job_id, task_id=task_id, fail=fail_job)
    if job is not None:
        advance_story(job=job, inline=inline)


def fail_job(*, job_id: int, error: BaseException, lease: str | None = None) -> None:
    """A job failed for good: record on the job a code and a message saying what to do (with a
    reference id when the cause is ours or a provider's; the full text goes to error_detail and
    the log), cancel its story's queued jobs, move the story to FAILED and send its webhook.
    With `lease`, only while that lease holds the job (a run that lost it changes nothing)."""
    kind = Job.objects.values_list("kind", flat=True).get(pk=job_id)
    failure = failures.describe_failure(error, kind=kind)
    message = f"{Job.Kind(kind).label} step failed: {failure.message}"
    failures.log_job_failure(job_id=job_id, kind=kind, error=error, failure=failure)
    with transaction.atomic():
        job = job_services.mark_job_failed(
            job_id=job_id, code=failure.code, message=message, detail=failure.detail, lease=lease
        )
        if job.status != Job.Status.FAILED:
            return
        status = Story.objects.values_list("status", flat=True).get(pk=job.step_story_id)
        if status in FAILABLE:
            story_services.fail_story(
                story_id=job.step_story_id,
                code=failure.code,
                message=message,
                detail=failure.detail,
            )
    webhooks.queue_story_webhook(job_id=job_id)


def advance_story(*, job: Job, inline: bool = False) -> None:
    """Move the story on after a job succeeded: a written plan makes it PLANNED (and starts the
    render its autopilot asks for, not with `inline`); the last job of the assets or of the
    clips sends the next stage (jobs.dispatch.queue_story); an assembly (or a song reel's lyric
    video) makes it PREVIEW_READY or COMPLETED (plan unlocked, webhook sent), and a song reel's
    song makes it PLANNED. Safe to repeat: the story's row lock lets one
    finisher at a time look, and a job sent twice runs once."""
    story_id = job.step_story_id
    if job.kind == Job.Kind.QUICK_CLIP:
        return  # a story of its own with no steps after it
    if job.kind == Job.Kind.PLAN:
        # One commit with the autopilot's render: no reader sees the story resting in PLANNED
        # (a page loaded then would think the work was over).
        with transaction.atomic():
            story_services.transition_story(
                story_id=story_id, to=Status.PLANNED, reason="plan written"
            )
            if not inline:
                _go_on_by_itself(story_id=story_id)
    elif job.kind == Job.Kind.SONG:  # a song reel's song: its story is planned
        with transaction.atomic():
            story = Story.objects.select_for_update().get(pk=story_id)
            if story.status == Status.PLANNING:
                story_services.transition_story(
                    story_id=story_id, to=Status.PLANNED, reason="song made"
                )
    elif job.kind in job_services.RENDER_ENDS:  # an assembly, or a song reel's lyric video
        with transaction.atomic():
            story = Story.objects.select_for_update().get(pk=story_id)
            done = Status.COMPLETED if job.profile == Profile.FINAL else Status.PREVIEW_READY
            if story.status in RENDERING:
                story_services.transition_story(story_id=story_id, to=done, reason="rendered")
                story_services.set_story_lock(story_id=story_id, is_locked=False)
        webhooks.queue_story_webhook(story_id=story_id)
    elif job.kind != Job.Kind.WEBHOOK and not inline:
        with transaction.atomic():
            Story.objects.select_for_update().get(pk=story_id)
            if not job_services.stage_is_open(story_id=story_id, kind=job.kind):
                dispatch.queue_story(story_id=story_id)


def _go_on_by_itself(*, story_id: int) -> None:
    """Autopilot: a planned story that asked to go on starts its preview or final render now.
    A refusal (the month's quota spent meanwhile) fails the story with that error; the plan
    stays and the render can be asked for again."""
    autopilot = Story.objects.values_list("autopilot", flat=True).get(pk=story_id)
    if not autopilot:
        return
    try:
        with transaction.atomic():  # a refusal undoes the render's start, not the plan
            _start_render(story_id=story_id, profile=Profile(autopilot), by=None, inline=False)
    except DomainError as exc:
        story_services.fail_story(story_id=story_id, code=exc.code, message=str(exc.message))
        webhooks.queue_story_webhook(story_id=story_id)


def start_render_stage(*, story_id: int) -> None:
    """Send the story's current stage. Only chords queued before stages were sent by
    advance_story still call it (jobs.tasks.start_render_stage_task). Safe to repeat."""
    dispatch.queue_story(story_id=story_id)
