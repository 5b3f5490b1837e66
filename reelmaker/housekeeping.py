"""Rows that expire: Idempotency-Key records (KEEP_FOR), JWT refresh tokens past their expiry
(what simplejwt's `flushexpiredtokens` does) and Celery task results past CELERY_RESULT_EXPIRES.
Run by the `purge-expired-records` beat entry; each purge is safe to repeat."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_celery_results.models import TaskResult
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from reelmaker import idempotency


def purge_expired_tokens(*, now: datetime | None = None) -> int:
    """Delete refresh tokens past their expiry, with their blacklist entries (a token that has
    expired is refused anyway). Returns how many tokens."""
    rows = OutstandingToken.objects.filter(expires_at__lte=now or timezone.now())
    with transaction.atomic():
        count = rows.count()
        rows.delete()
    return count


def purge_task_results(*, now: datetime | None = None) -> int:
    """Delete django-celery-results rows finished longer than CELERY_RESULT_EXPIRES ago."""
    cutoff = (now or timezone.now()) - settings.CELERY_RESULT_EXPIRES
    deleted, _by_model = TaskResult.objects.filter(date_done__lt=cutoff).delete()
    return deleted


def purge_expired_records(*, now: datetime | None = None) -> dict[str, int]:
    """Every purge above; returns how many rows each removed."""
    return {
        "idempotency_records": idempotency.purge_expired_records(now=now),
        "refresh_tokens": purge_expired_tokens(now=now),
        "task_results": purge_task_results(now=now),
    }
