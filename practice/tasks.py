"""Celery entry points of practice: ids in, one service call each. Imported by nobody."""

from celery import shared_task

from jobs.webhooks import WebhookDeliveryFailed
from practice import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def analyse_take_task(take_id: int) -> None:
    services.analyse_take(take_id=take_id)


@shared_task(
    acks_late=True,
    autoretry_for=(WebhookDeliveryFailed,),
    retry_backoff=True,
    max_retries=5,
)
def send_take_webhook_task(take_id: int) -> None:
    services.send_take_webhook(take_id=take_id)
