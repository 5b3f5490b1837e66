"""Queues a take's analysis on Celery by task name, after the current transaction commits."""

from __future__ import annotations

from django.db import transaction

from reelmaker.celery import app

ANALYSE_TAKE = "practice.tasks.analyse_take_task"
SEND_TAKE_WEBHOOK = "practice.tasks.send_take_webhook_task"
WEBHOOK_QUEUE = "webhooks"


def queue_analysis(*, take_id: int) -> None:
    """Send the analysis of this take once the transaction commits. Safe to repeat: a take
    is claimed once."""
    signature = app.signature(ANALYSE_TAKE, args=(take_id,), immutable=True)
    transaction.on_commit(signature.apply_async)


def queue_take_webhook(*, take_id: int) -> None:
    """Send the take's analysis.completed / analysis.failed webhook once the transaction
    commits, on the webhooks queue (a slow receiver never holds the analysis workers)."""
    signature = app.signature(
        SEND_TAKE_WEBHOOK, args=(take_id,), immutable=True, queue=WEBHOOK_QUEUE
    )
    transaction.on_commit(signature.apply_async)
