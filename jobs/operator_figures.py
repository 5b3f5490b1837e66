"""The figures on the admin index: work waiting per queue, running jobs, failures of the last
24 hours, provider cost today and this month, each with the admin list it counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import UsageRecord
from jobs.dispatch import RENDER_KINDS, RENDER_QUEUE, WEBHOOK_QUEUE
from jobs.models import Job

DEFAULT_QUEUE = "default"


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str


def _queue_kinds() -> dict[str, list[str]]:
    render = [str(kind) for kind in RENDER_KINDS]
    webhooks = [str(Job.Kind.WEBHOOK)]
    default = [str(kind) for kind in Job.Kind if kind not in render and kind not in webhooks]
    return {DEFAULT_QUEUE: default, RENDER_QUEUE: render, WEBHOOK_QUEUE: webhooks}


def _jobs_url(**params: str) -> str:
    return f"{reverse('admin:jobs_job_changelist')}?{urlencode(params)}"


def _usage_url(since: datetime) -> str:
    query = urlencode({"created_at__gte": since.isoformat()})
    return f"{reverse('admin:billing_usagerecord_changelist')}?{query}"


def _cost_since(since: datetime) -> Decimal:
    total = UsageRecord.objects.filter(created_at__gte=since).aggregate(t=Sum("cost_usd"))["t"]
    return total if total is not None else Decimal("0")


def operator_figures(now: datetime | None = None) -> dict[str, list[Figure]]:
    """The index's figures in groups: queues, jobs, cost. Reads only (five small queries)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month = today.replace(day=1)
    day_ago = now - timedelta(hours=24)
    waiting = Job.objects.filter(status=Job.Status.QUEUED)
    queues = [
        Figure(
            label=_("%(queue)s queue") % {"queue": queue},
            value=str(waiting.filter(kind__in=kinds).count()),
            url=_jobs_url(status__exact="queued", kind__in=",".join(kinds)),
        )
        for queue, kinds in _queue_kinds().items()
    ]
    jobs = [
        Figure(
            label=_("running now"),
            value=str(Job.objects.filter(status=Job.Status.RUNNING).count()),
            url=_jobs_url(status__exact="running"),
        ),
        Figure(
            label=_("running in the last 24 h"),
            value=str(Job.objects.filter(started_at__gte=day_ago).count()),
            url=_jobs_url(started_at__gte=day_ago.isoformat()),
        ),
        Figure(
            label=_("failed in the last 24 h"),
            value=str(
                Job.objects.filter(status=Job.Status.FAILED, finished_at__gte=day_ago).count()
            ),
            url=_jobs_url(status__exact="failed", finished_at__gte=day_ago.isoformat()),
        ),
    ]
    cost = [
        Figure(
            label=_("provider cost today"),
            value=f"${_cost_since(today):.2f}",
            url=_usage_url(today),
        ),
        Figure(
            label=_("provider cost this month"),
            value=f"${_cost_since(month):.2f}",
            url=_usage_url(month),
        ),
    ]
    return {_("Queues (jobs waiting)"): queues, _("Jobs"): jobs, _("Provider cost (USD)"): cost}
