"""Job rows: create, claim, finish, fail, requeue, cancel; each change is written to the story's
event log in the same transaction. Nothing here moves a story or queues a task: that is
jobs.pipeline (what happens next) and jobs.dispatch (queueing).

A claim gives the run a lease (a fresh token, its owner and an expiry) that `hold_lease`
renews from a thread while the run works. Finishing, failing or requeueing a running job is a
conditional UPDATE on that token: a run that lost its lease (reaped as dead, or taken over)
changes nothing, and its result is dropped.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs.models import Job
from scenes.models import Scene
from scenes.services.pronunciations import stale_voice_scene_ids
from stories.events import record_event
from stories.models import Event, Story
from stories.states import PROFILE_STEP, Profile, Status

# The error code on jobs canceled because another job of their story failed.
SIBLING_FAILED = "SIBLING_FAILED"
ASSET_KINDS = (Job.Kind.VISUAL, Job.Kind.VOICE, Job.Kind.MUSIC)
OPEN = (Job.Status.QUEUED, Job.Status.RUNNING)
# A story's work runs stage by stage: a stage's jobs are sent once no job of an earlier stage
# is open (jobs.pipeline.advance_story). Webhooks are no stage: they are sent on their own.
STAGES: tuple[tuple[str, ...], ...] = (
    (Job.Kind.PLAN,),
    ASSET_KINDS,
    (Job.Kind.SCENE_RENDER,),
    (Job.Kind.ASSEMBLE,),
    (Job.Kind.QUICK_CLIP,),  # alone in its story (jobs.pipeline.start_quick_clip)
    # A song reel's story (places.services.song_jobs): the song, then its lyric video.
    (Job.Kind.SONG,),
    (Job.Kind.LYRIC_VIDEO,),
)
# The job that ends a render step: a narrated reel's assembly, a song reel's lyric video.
RENDER_ENDS = (Job.Kind.ASSEMBLE, Job.Kind.LYRIC_VIDEO)

log = logging.getLogger(__name__)

# The job fields an event carries: enough for a progress bar and an error line.
_EVENT_FIELDS = (
    "id",
    "kind",
    "status",
    "progress",
    "scene_id",
    "profile",
    "attempts",
    "error_code",
    "error_message",
)


def record_job_event(*, job_id: int) -> Event | None:
    """The job's current state, read back after a change, as a `job` event of its story."""
    row = Job.objects.filter(pk=job_id).values("story_id", *_EVENT_FIELDS).first()
    if row is None:
        return None
    story_id = row.pop("story_id")
    row["job"] = row.pop("id")
    row["scene"] = row.pop("scene_id")
    return record_event(kind=Event.Kind.JOB, payload=row, story_id=story_id, job_id=job_id)


def step_status_for(job: Job) -> Status:
    """The story status in which this job's step runs (where a retry takes the story back)."""
    if job.kind in (Job.Kind.PLAN, Job.Kind.SONG):
        return Status.PLANNING
    if job.kind == Job.Kind.WEBHOOK:
        return Status.FINALIZING
    return PROFILE_STEP.get(Profile(job.profile or Profile.PREVIEW), Status.PREVIEWING)


def create_job(
    *, story: Story | None, kind: str, scene=None, profile="", max_attempts=3, options=None
) -> Job:
    fields = {"profile": profile, "max_attempts": max_attempts, "options": options or {}}
    return Job.objects.create(story=story, scene=scene, kind=kind, **fields)


def create_asset_jobs(
    story: Story, *, skip: frozenset[tuple[str, int | None]] = frozenset()
) -> list[Job]:
    """A job for each missing visual and voice, each voice whose narration key changed (the
    owner's pronunciations changed what it says), and for the music, but for the (kind, scene
    id) pairs in `skip`."""
    wanted: list[tuple[str, Scene | None]] = []
    stale_voices = stale_voice_scene_ids(story=story)
    for scene in story.scenes.order_by("position"):
        if scene.visual_id is None:
            wanted.append((Job.Kind.VISUAL, scene))
        if scene.voice_id is None or scene.pk in stale_voices:
            wanted.append((Job.Kind.VOICE, scene))
    if not story.assets.filter(kind="music").exists():
        wanted.append((Job.Kind.MUSIC, None))
    return [
        create_job(story=story, scene=scene, kind=kind)
        for kind, scene in wanted
        if (kind, scene.pk if scene else None) not in skip
    ]


def create_render_jobs(story: Story, *, profile: Profile, options: dict | None = None) -> list[Job]:
    """A clip job per scene and the assembly that joins them, at `profile` with `options`
    (render.profiles.with_options; the clips and the assembly must share them)."""
    kinds = [(Job.Kind.SCENE_RENDER, s) for s in story.scenes.order_by("position")]
    return [
        create_job(story=story, scene=scene, kind=kind, profile=profile, options=options)
        for kind, scene in [*kinds, (Job.Kind.ASSEMBLE, None)]
    ]


def stage_of(kind: str) -> int:
    """The position of a job kind in STAGES."""
    return next(n for n, kinds in enumerate(STAGES) if kind in kinds)


def stage_is_open(*, story_id: int, kind: str) -> bool:
    """Whether a job of `kind`'s stage or an earlier one is still queued or running."""
    earlier = [k for kinds in STAGES[: stage_of(kind) + 1] for k in kinds]
    return Job.objects.filter(story_id=story_id, kind__in=earlier, status__in=OPEN).exists()


def lease_owner() -> str:
    """Who holds a lease taken by this process: host name and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _lease_expiry() -> datetime:
    return timezone.now() + timedelta(seconds=settings.JOB_LEASE_S)


def claim_job(*, job_id: int, task_id: str = "") -> str:
    """Move a queued job to running under a new lease; returns the lease token, or "" when
    another run holds the job or it is finished.

    A job left RUNNING under the same Celery task id whose lease ran out is claimed again: that
    is the broker redelivering the task of a worker that died mid-job (acks_late). While the
    lease is live its holder is alive, and the copy is dropped.
    """
    now = timezone.now()
    claimable = Q(status=Job.Status.QUEUED)
    if task_id:
        claimable |= Q(status=Job.Status.RUNNING, celery_task_id=task_id) & (
            Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
        )
    lease = uuid.uuid4().hex
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=Job.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        celery_task_id=task_id,
        lease_token=lease,
        lease_owner=lease_owner()[:255],
        lease_expires_at=_lease_expiry(),
        updated_at=now,
    )
    if claimed:
        record_job_event(job_id=job_id)
    return lease if claimed == 1 else ""


def _held(job_id: int, lease: str):
    return Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, lease_token=lease)


def renew_lease(*, job_id: int, lease: str) -> bool:
    """Push the lease's expiry JOB_LEASE_S ahead; False when the run no longer holds it."""
    return bool(_held(job_id, lease).update(lease_expires_at=_lease_expiry()))


@contextmanager
def hold_lease(*, job_id: int, lease: str) -> Iterator[None]:
    """Renew the job's lease every JOB_HEARTBEAT_S from a thread (with its own database
    connection) while the block runs, FFmpeg and provider calls included. Renewal stops once
    the lease is lost; a database error is logged and the next beat tries again."""
    done = threading.Event()

    def beat() -> None:
        try:
            while not done.wait(settings.JOB_HEARTBEAT_S):
                try:
                    if not renew_lease(job_id=job_id, lease=lease):
                        log.warning("job %s: lease lost; its result will be dropped", job_id)
                        return
                except Exception:
                    log.exception("job %s: could not renew its lease", job_id)
                    connection.close()  # a broken connection is opened afresh next beat
        finally:
            connection.close()  # this thread's own connection

    heart = threading.Thread(target=beat, name=f"lease-{job_id}", daemon=True)
    heart.start()
    try:
        yield
    finally:
        done.set()
        heart.join()


def succeed_job(*, job_id: int, lease: str, provider: str = "", cost_usd=None, output=None) -> bool:
    """Mark a running job done if this run still holds its lease; False (nothing changed) when
    it lost it or the job was canceled."""
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
    if not _held(job_id, lease).update(**fields):
        return False
    record_job_event(job_id=job_id)
    return True


def requeue_job(*, job_id: int, lease: str, expired_by: datetime | None = None) -> bool:
    """Give a running job back to the queue (it will be claimed again) if `lease` still holds
    it and, with `expired_by`, ran out before then (the reaper); False when nothing changed."""
    held = _held(job_id, lease)
    if expired_by is not None:
        held = held.filter(lease_expires_at__lt=expired_by)
    requeued = held.update(
        status=Job.Status.QUEUED, lease_token="", lease_expires_at=None, updated_at=timezone.now()
    )
    if requeued:
        record_job_event(job_id=job_id)
    return bool(requeued)


def expired_jobs(*, now: datetime) -> list[Job]:
    """Running jobs whose lease ran out before `now` (their worker stopped renewing it)."""
    return list(
        Job.objects.filter(status=Job.Status.RUNNING, lease_expires_at__lt=now).order_by("pk")
    )


def has_attempts_left(job: Job) -> bool:
    """The one retry budget: a job runs at most `max_attempts` times, whoever retries it."""
    return job.attempts < job.max_attempts


@transaction.atomic
def mark_job_failed(
    *,
    job_id: int,
    code: str,
    message: str,
    detail: str = "",
    cancel_siblings: bool = True,
    lease: str | None = None,
) -> Job:
    """Record the failure on the job; its story's queued jobs are canceled with it. A job that
    already succeeded or was canceled keeps its state, and so does one that `lease` (when
    given) no longer holds. Safe to repeat."""
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.status in (Job.Status.SUCCEEDED, Job.Status.CANCELED):
        return job
    if lease is not None and job.lease_token != lease:
        return job
    job.status = Job.Status.FAILED
    job.error_code, job.error_message, job.error_detail = code[:40], message, detail
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "error_code",
            "error_message",
            "error_detail",
            "finished_at",
            "updated_at",
        ]
    )
    record_job_event(job_id=job.pk)
    if cancel_siblings and job.story_id is not None:
        Job.objects.filter(story_id=job.story_id, status=Job.Status.QUEUED).update(
            status=Job.Status.CANCELED,
            error_code=SIBLING_FAILED,
            error_message="canceled: another job of this story failed",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    return job


def requeue_for_retry(job: Job, *, max_attempts: int) -> None:
    """Put a finished job back in the queue with its error cleared (the caller holds its lock)."""
    job.status = Job.Status.QUEUED
    job.error_code, job.error_message, job.error_detail = "", "", ""
    job.progress, job.finished_at = 0, None
    job.lease_token, job.lease_expires_at = "", None
    job.max_attempts = max_attempts
    job.save(
        update_fields=[
            "status",
            "lease_token",
            "lease_expires_at",
            "error_code",
            "error_message",
            "error_detail",
            "progress",
            "finished_at",
            "max_attempts",
            "updated_at",
        ]
    )
    record_job_event(job_id=job.pk)


@transaction.atomic
def mark_jobs_canceled(*, job_ids: Iterable[int], by=None) -> list[Job]:
    """Cancel the queued or running jobs among `job_ids`; returns those canceled."""
    canceled: list[Job] = []
    for job in Job.objects.select_for_update().filter(pk__in=list(job_ids), status__in=OPEN):
        job.status = Job.Status.CANCELED
        job.finished_at = timezone.now()
        job.error_message = f"canceled by {by}" if by else "canceled"
        job.save(update_fields=["status", "finished_at", "error_message", "updated_at"])
        record_job_event(job_id=job.pk)
        canceled.append(job)
    return canceled


def open_job_ids(*, story_id: int) -> list[int]:
    """The story's queued and running jobs."""
    return list(Job.objects.filter(story_id=story_id, status__in=OPEN).values_list("pk", flat=True))


# ---------------------------------------------------------------- progress

# At most 2 progress events per second for one job: a little over half a second apart, so
# that database timestamps taken a few milliseconds late never put three in one second.
PROGRESS_MIN_INTERVAL_S = 0.55


def set_progress(*, job_id: int, progress: int) -> bool:
    """Raise a running job's progress (0-100) and write a `progress` event of its story; a
    finished job, or a value not above the stored one, changes nothing. True when written."""
    progress = max(0, min(100, int(progress)))
    with transaction.atomic():
        moved = Job.objects.filter(
            pk=job_id, status=Job.Status.RUNNING, progress__lt=progress
        ).update(progress=progress, updated_at=timezone.now())
        if not moved:
            return False
        row = Job.objects.values("story_id", "kind", "scene_id", "profile").get(pk=job_id)
        record_event(
            story_id=row["story_id"],
            job_id=job_id,
            kind=Event.Kind.PROGRESS,
            payload={
                "job": job_id,
                "kind": row["kind"],
                "scene": row["scene_id"],
                "profile": row["profile"],
                "progress": progress,
            },
        )
    return True


def progress_reporter(*, job_id: int, clock=time.monotonic) -> Callable[[float], None]:
    """An `on_progress(fraction)` callback for one run of a job: the fraction done (0..1)
    becomes set_progress, at most twice a second. 100 is left to succeed_job, so a job never
    reads 100 while it still runs."""
    last_at: float | None = None

    def on_progress(fraction: float) -> None:
        nonlocal last_at
        now = clock()
        if last_at is not None and now - last_at < PROGRESS_MIN_INTERVAL_S:
            return
        if set_progress(job_id=job_id, progress=min(99, int(fraction * 100))):
            last_at = now

    return on_progress
