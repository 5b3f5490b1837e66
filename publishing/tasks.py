"""Periodic work of this app (CELERY_BEAT_SCHEDULE): thin, safe to run twice. Nothing imports
this module; beat sends the task by name."""

from __future__ import annotations

from celery import shared_task

from publishing import linking


@shared_task
def refresh_expiring_tokens_task() -> int:
    return linking.refresh_expiring_tokens()
