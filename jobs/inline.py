"""Runs a story's queued jobs in this process, stage by stage (`manage.py makereel`): the same
jobs, handlers and pipeline as the workers, with threads where a stage runs in parallel."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

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
# How often a stage's progress bar is brought up to date while its jobs run in threads.
PROGRESS_POLL_S = 0.5


def run_inline(
    *, story_id: int, on_stage: Callable[[str, int], Callable[[int], None]] | None = None
) -> None:
    """Run the story's queued jobs here, stage by stage, stopping once the story FAILED.

    `on_stage(name, total)` returns a callback given the stage's progress as it moves: the sum
    of its jobs' progress (0-100 each, the numbers Job.progress and the events carry), out of
    `total` = 100 per job (a progress bar).
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
        update = on_stage(name, 100 * len(ids)) if on_stage else (lambda done: None)

        def report(ids=ids, update=update) -> None:
            update(_stage_progress(ids))

        def one_in_thread(job_id: int) -> None:
            try:
                run_with_retries(job_id=job_id)
            finally:
                connection.close()  # each pool thread has its own connection; free it

        if workers == 1 or len(ids) == 1:
            for job_id in ids:
                run_with_retries(job_id=job_id)
                report()
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                running = [pool.submit(one_in_thread, job_id) for job_id in ids]
                while wait(running, timeout=PROGRESS_POLL_S).not_done:
                    report()
                for future in running:
                    future.result()
            report()
        if Story.objects.get(pk=story_id).status == Status.FAILED:
            return


def _stage_progress(job_ids: list[int]) -> int:
    """The sum of the jobs' progress; a job that ended without success counts as done."""
    rows = Job.objects.filter(pk__in=job_ids).values_list("status", "progress")
    return sum(100 if status in Job.FINISHED else progress for status, progress in rows)


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
