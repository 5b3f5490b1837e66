"""The story workflow as jobs: start a step, fan its work out, run one job, advance the story.

Steps (DESIGN.md §1):
- plan:     one PLAN job.
- preview:  per scene a VISUAL and a VOICE job plus one MUSIC job (stage 1), then one
            SCENE_RENDER job per scene (stage 2), then ASSEMBLE. Over Celery, stage 1 is a
            group joined by a chord into a task that starts stage 2, itself a group joined
            by a chord into assembly. Inline (makereel), the same stages run in threads.
- final:    SCENE_RENDER per scene at the final profile, then ASSEMBLE (assets are reused).
A job runs through `run_job`, which claims it, calls its handler and advances the story.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, transaction

from jobs import services as job_services
from jobs.models import Job
from providers.base import InvalidInput, ProviderError, TransientProviderError
from reelmaker.errors import DomainError
from stories import services as story_services
from stories.models import Story
from stories.states import Status

log = logging.getLogger(__name__)

ASSET_KINDS = (Job.Kind.VISUAL, Job.Kind.VOICE, Job.Kind.MUSIC)
RENDER_QUEUE = "render"


# ---------------------------------------------------------------- starting steps


def start_plan(*, story_id: int, by=None, inline: bool = False) -> list[Job]:
    """DRAFT -> PLANNING and one PLAN job, queued after commit. Raises IllegalTransition."""
    with transaction.atomic():
        story = story_services.transition_story(
            story_id=story_id, to=Status.PLANNING, by=by, reason="plan requested"
        )
        jobs = [job_services.create_job(story=story, kind=Job.Kind.PLAN)]
    if not inline:
        dispatch(story_id=story_id)
    return jobs


def start_preview(*, story_id: int, by=None, inline: bool = False) -> list[Job]:
    """PLANNED -> PREVIEWING; jobs for missing assets, scene clips and a preview assembly."""
    return _start_render_step(
        story_id=story_id, to=Status.PREVIEWING, profile="preview", by=by, inline=inline
    )


def start_final(*, story_id: int, by=None, inline: bool = False) -> list[Job]:
    """PREVIEW_READY -> FINALIZING; scene clips and assembly at the final profile."""
    return _start_render_step(
        story_id=story_id, to=Status.FINALIZING, profile="final", by=by, inline=inline
    )


def _start_render_step(*, story_id: int, to: Status, profile: str, by, inline: bool) -> list[Job]:
    with transaction.atomic():
        story = story_services.transition_story(
            story_id=story_id, to=to, by=by, reason=f"{profile} render requested"
        )
        story_services.set_story_lock(story_id=story_id, is_locked=True)
        jobs = asset_jobs(story) + render_step_jobs(story, profile=profile)
    if not inline:
        dispatch(story_id=story_id)
    return jobs


def render_step_jobs(story: Story, *, profile: str) -> list[Job]:
    """A clip job per scene and the assembly that joins them, at `profile`."""
    return [
        *_render_jobs(story, profile=profile),
        job_services.create_job(story=story, kind=Job.Kind.ASSEMBLE, profile=profile),
    ]


def asset_jobs(story: Story, *, skip: frozenset[tuple[str, int | None]] = frozenset()) -> list[Job]:
    """A job for each missing visual, voice and the music, but for the (kind, scene id) in skip."""
    wanted = []
    for scene in story.scenes.order_by("position"):
        if scene.visual_id is None:
            wanted.append((Job.Kind.VISUAL, scene))
        if scene.voice_id is None:
            wanted.append((Job.Kind.VOICE, scene))
    if not story.assets.filter(kind="music").exists():
        wanted.append((Job.Kind.MUSIC, None))
    return [
        job_services.create_job(story=story, scene=scene, kind=kind)
        for kind, scene in wanted
        if (kind, scene.pk if scene else None) not in skip
    ]


def _render_jobs(story: Story, *, profile: str) -> list[Job]:
    return [
        job_services.create_job(
            story=story, scene=scene, kind=Job.Kind.SCENE_RENDER, profile=profile
        )
        for scene in story.scenes.order_by("position")
    ]


# ---------------------------------------------------------------- Celery fan-out


def dispatch(*, story_id: int) -> None:
    """Queue the story's queued jobs as a Celery canvas once the current transaction commits."""
    transaction.on_commit(lambda: _send_canvas(story_id))


def resume_story(*, story_id: int) -> None:
    """Queue again whatever is queued for the story (after a retry)."""
    dispatch(story_id=story_id)


def _signature(job: Job):
    from jobs.tasks import run_job_task, run_render_job_task

    if job.kind in (Job.Kind.SCENE_RENDER, Job.Kind.ASSEMBLE):
        return run_render_job_task.si(job.pk).set(queue=RENDER_QUEUE)
    return run_job_task.si(job.pk)


def _send_canvas(story_id: int) -> None:
    from celery import chord, group

    from jobs.tasks import start_render_stage_task

    queued = list(Job.objects.filter(story_id=story_id, status=Job.Status.QUEUED).order_by("pk"))
    plan = [j for j in queued if j.kind == Job.Kind.PLAN]
    assets = [j for j in queued if j.kind in ASSET_KINDS]
    if plan:
        for job in plan:
            _signature(job).apply_async()
    elif assets:
        chord(
            group(_signature(j) for j in assets), start_render_stage_task.si(story_id)
        ).apply_async()
    else:
        start_render_stage(story_id=story_id)


def start_render_stage(*, story_id: int) -> None:
    """Stage 2: scene clips as a group, joined by a chord into assembly. Safe to repeat."""
    from celery import chord, group

    queued = list(Job.objects.filter(story_id=story_id, status=Job.Status.QUEUED).order_by("pk"))
    renders = [j for j in queued if j.kind == Job.Kind.SCENE_RENDER]
    assemble = [j for j in queued if j.kind == Job.Kind.ASSEMBLE]
    if not assemble:
        return
    if renders:
        chord(group(_signature(j) for j in renders), _signature(assemble[0])).apply_async()
    else:
        _signature(assemble[0]).apply_async()


# ---------------------------------------------------------------- running one job


def run_job(*, job_id: int, task_id: str = "") -> None:
    """Claim and run one job, then advance its story. Safe to run twice: a finished or
    claimed-elsewhere job is skipped. Transient errors re-raise for a retry with backoff while
    attempts remain; every other failure is recorded on the job and the story."""
    if not job_services.claim_job(job_id=job_id, task_id=task_id):
        return
    from jobs.handlers import HANDLERS  # handlers import the app services; keep this module light

    job = Job.objects.select_related("story", "scene").get(pk=job_id)
    try:
        result = HANDLERS[job.kind](job)
    except TransientProviderError as exc:
        if job.attempts < job.max_attempts:
            job_services.requeue_job(job_id=job_id)
            raise
        record_task_failure(job_id=job_id, error=exc)
        return
    except Exception as exc:  # every failure is recorded; nothing is lost
        log.exception("job %s (%s) failed", job_id, job.kind)
        record_task_failure(job_id=job_id, error=exc)
        return
    job_services.succeed_job(job_id=job_id, **(result or {}))
    advance_story(job=job)


def record_task_failure(*, job_id: int, error: BaseException) -> None:
    """Record a failure on the job and its story: the code, and a message saying what to do."""
    code, message = error_code_and_message(error)
    kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first() or "job"
    step = Job.Kind(kind).label if kind in Job.Kind.values else kind
    job_services.fail_job(job_id=job_id, code=code, message=f"{step} step failed: {message}")

    # Webhook (issue 5, item 11): tell the story's callback URL that it FAILED.
    from jobs import webhooks

    webhooks.queue_story_webhook(job_id=job_id)


def error_code_and_message(error: BaseException) -> tuple[str, str]:
    if isinstance(error, DomainError):
        return error.code, str(error.message)
    if isinstance(error, InvalidInput):
        return "INVALID_REQUEST", str(error)
    if isinstance(error, ProviderError):
        return "EXTERNAL_API_ERROR", str(error)
    return "INTERNAL_ERROR", f"{type(error).__name__}: {error}"


def advance_story(*, job: Job) -> None:
    """Move the story on when a step's last job has finished."""
    story_id = job.story_id
    if job.kind == Job.Kind.PLAN:
        story_services.transition_story(story_id=story_id, to=Status.PLANNED, reason="plan written")
    elif job.kind == Job.Kind.ASSEMBLE:
        with transaction.atomic():
            story = Story.objects.select_for_update().get(pk=story_id)
            target = Status.COMPLETED if job.profile == "final" else Status.PREVIEW_READY
            if story.status in (Status.PREVIEWING, Status.FINALIZING):
                story_services.transition_story(story_id=story_id, to=target, reason="rendered")
                story_services.set_story_lock(story_id=story_id, is_locked=False)

        # Webhook (issue 5, item 11): tell the story's callback URL that it COMPLETED.
        from jobs import webhooks

        webhooks.queue_story_webhook(story_id=story_id)


# ---------------------------------------------------------------- inline (makereel)


def run_inline(
    *, story_id: int, on_stage: Callable[[str, int], Callable[[], None]] | None = None
) -> None:
    """Run the story's queued jobs in this process, stage by stage, in threads where parallel.

    `on_stage(name, total)` returns a callback called once per finished job (a progress bar).
    """
    stages = [
        ("plan", (Job.Kind.PLAN,), 1),
        ("assets", ASSET_KINDS, 4),
        ("render", (Job.Kind.SCENE_RENDER,), settings.RENDER_WORKERS),
        ("assemble", (Job.Kind.ASSEMBLE,), 1),
    ]
    for name, kinds, workers in stages:
        ids = list(
            Job.objects.filter(story_id=story_id, status=Job.Status.QUEUED, kind__in=kinds)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            continue
        tick = on_stage(name, len(ids)) if on_stage else (lambda: None)

        def one(job_id: int, tick=tick) -> None:
            try:
                _run_with_retries(job_id)
            finally:
                tick()

        def one_in_thread(job_id: int) -> None:
            try:
                one(job_id)
            finally:
                connection.close()  # each pool thread has its own connection; free it

        if workers == 1 or len(ids) == 1:
            for job_id in ids:
                one(job_id)
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(one_in_thread, ids))
        if Story.objects.get(pk=story_id).status == Status.FAILED:
            return


def _run_with_retries(job_id: int) -> None:
    import time

    delay = 0.5
    while True:
        try:
            run_job(job_id=job_id)
            return
        except TransientProviderError as exc:
            time.sleep(exc.retry_after_s or delay)
            delay = min(delay * 2, 30)
