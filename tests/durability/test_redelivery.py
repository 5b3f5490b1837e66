"""What a redelivered task may do: take over its dead worker's job, and nothing else."""

from __future__ import annotations

import pytest
from celery.exceptions import Ignore
from django_celery_results.models import TaskResult

from jobs.models import Job
from jobs.services import claim_job
from jobs.tasks import run_render_job_task, skip_if_already_done
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def running_job(task_id: str = "task-1") -> Job:
    return JobFactory(
        kind=Job.Kind.SCENE_RENDER, status=Job.Status.RUNNING, attempts=1, celery_task_id=task_id
    )


def test_the_same_task_reclaims_a_job_its_dead_worker_left_running():
    job = running_job()

    claimed = claim_job(job_id=job.pk, task_id="task-1")

    assert claimed
    job.refresh_from_db()
    assert (job.status, job.attempts, job.celery_task_id) == (Job.Status.RUNNING, 2, "task-1")


@pytest.mark.parametrize("task_id", ["task-2", ""])
def test_another_task_cannot_claim_a_running_job(task_id):
    job = running_job()
    before = Job.objects.filter(pk=job.pk).values().get()

    claimed = claim_job(job_id=job.pk, task_id=task_id)

    assert not claimed
    assert Job.objects.filter(pk=job.pk).values().get() == before


@pytest.mark.parametrize("status", [Job.Status.SUCCEEDED, Job.Status.FAILED, Job.Status.CANCELED])
def test_the_same_task_cannot_reclaim_a_finished_job(status):
    job = JobFactory(status=status, attempts=1, celery_task_id="task-1")
    before = Job.objects.filter(pk=job.pk).values().get()

    claimed = claim_job(job_id=job.pk, task_id="task-1")

    assert not claimed
    assert Job.objects.filter(pk=job.pk).values().get() == before


def as_delivered(task_id: str, *, redelivered: bool):
    run_render_job_task.push_request(id=task_id, delivery_info={"redelivered": redelivered})


def test_a_redelivered_copy_of_a_task_that_already_succeeded_is_ignored():
    TaskResult.objects.create(task_id="task-1", status="SUCCESS", result="7")
    as_delivered("task-1", redelivered=True)
    try:
        with pytest.raises(Ignore):
            skip_if_already_done(run_render_job_task)
    finally:
        run_render_job_task.pop_request()


@pytest.mark.parametrize(("stored", "redelivered"), [(None, True), ("SUCCESS", False)])
def test_a_first_delivery_or_an_unfinished_task_runs(stored, redelivered):
    if stored:
        TaskResult.objects.create(task_id="task-1", status=stored, result="7")
    as_delivered("task-1", redelivered=redelivered)
    try:
        skip_if_already_done(run_render_job_task)  # does not raise
    finally:
        run_render_job_task.pop_request()
