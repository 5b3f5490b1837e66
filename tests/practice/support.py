"""Running a take's analysis job in the test's own process, as a worker would."""

from __future__ import annotations

from jobs import dispatch, side_jobs
from practice.models import Take


def queue_take_jobs(monkeypatch, sent: list[int] | None = None) -> list[int]:
    """Queue nothing: the ids of the takes whose analysis would be sent are kept in `sent`."""
    sent = [] if sent is None else sent

    def keep(jobs) -> None:
        sent.extend(t for t in Take.objects.filter(job__in=list(jobs)).values_list("pk", flat=True))

    monkeypatch.setattr(dispatch, "queue_jobs", keep)
    return sent


def analyse(take_id: int) -> Take:
    """Run the take's analysis job (claim, handler, success or failure) and read the take."""
    side_jobs.run_side_job(job_id=Take.objects.values_list("job_id", flat=True).get(pk=take_id))
    return Take.objects.select_related("job").get(pk=take_id)
