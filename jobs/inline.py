"""Runs a story's queued jobs in this process, stage by stage (`manage.py makereel`): the same
jobs, handlers and pipeline as the workers, with threads where a stage runs in parallel."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection

from jobs import pipeline
from jobs.models import Job
from jobs.services import ASSET_KINDS
from providers.base import TransientProviderError
from stories.models import Story
from stories.states import Status

# The longest wait between two tries of a job that hit a transient provider error.
MAX_BACKOFF_S = 30


def run_inline(
    *, story_id: int, on_stage: Callable[[str, int], Callable[[], None]] | None = None
) -> None:
    """Run the story's queued jobs here, stage by stage, stopping once the story FAILED.

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
                run_with_retries(job_id=job_id)
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


def run_with_retries(*, job_id: int) -> None:
    """Run one job, waiting and trying again after a transient error; the job's own attempt
    budget ends the loop (run_job stops raising once it is spent)."""
    delay = 0.5
    while True:
        try:
            pipeline.run_job(job_id=job_id, inline=True)
            return
        except TransientProviderError as exc:
            time.sleep(exc.retry_after_s or delay)
            delay = min(delay * 2, MAX_BACKOFF_S)
