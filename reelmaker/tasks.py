"""Periodic housekeeping tasks (CELERY_BEAT_SCHEDULE in settings): thin, each calls one service
and is safe to run twice. Nothing imports this module; beat sends these tasks by name."""

from __future__ import annotations

from celery import shared_task

from media import retention
from reelmaker import housekeeping
from scenes.services import clip_cache


@shared_task
def purge_trashed_stories_task() -> int:
    return retention.purge_trashed_stories()


@shared_task
def remove_orphan_uploads_task() -> int:
    return retention.remove_orphan_uploads()


@shared_task
def remove_unused_clips_task() -> int:
    return clip_cache.remove_unused_clips()


@shared_task
def purge_expired_records_task() -> dict[str, int]:
    return housekeeping.purge_expired_records()
