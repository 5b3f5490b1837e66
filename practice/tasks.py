"""Celery entry points of practice: ids in, one service call each. Imported by nobody."""

from celery import shared_task

from practice import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def analyse_take_task(take_id: int) -> None:
    services.analyse_take(take_id=take_id)
