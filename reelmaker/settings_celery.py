"""Celery settings: broker, queues, periodic work, time limits and job leases, read from the
environment (part of reelmaker.settings, which imports everything here)."""

from __future__ import annotations

import os
from datetime import timedelta
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured

from reelmaker.env import env_int, env_str
from reelmaker.paths import VAR_DIR

# Celery: an in-project Redis on a unix socket under var/ by default (make run starts it);
# Redis or RabbitMQ (amqp://, amqps://) at scale.
CELERY_BROKER_SOCKET = VAR_DIR / "redis.sock"
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", f"redis+socket://{quote(str(CELERY_BROKER_SOCKET))}"
)
REDIS_SCHEMES = ("redis://", "rediss://", "redis+socket://")
AMQP_SCHEMES = ("amqp://", "amqps://", "pyamqp://")
if not CELERY_BROKER_URL.startswith((*REDIS_SCHEMES, *AMQP_SCHEMES, "memory://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL={CELERY_BROKER_URL!r} must be a Redis URL (redis://, rediss://, "
        "redis+socket://) or a RabbitMQ URL (amqp://, amqps://)."
    )
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
# Task results (django-celery-results rows) older than this are purged daily.
CELERY_RESULT_EXPIRES = timedelta(days=env_int("TASK_RESULT_DAYS", 7, minimum=1))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith(REDIS_SCHEMES):
    # Redis only (RabbitMQ redelivers a dead consumer's unacked messages when its channel closes).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Must exceed the longest task, or a live worker's task is delivered twice.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
        # A dead worker's unacked task is swept back to its queue only every interval x
        # throttle seconds (kombu's defaults: 10 x 10); lower both with the visibility timeout.
        "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10, minimum=1),
        "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10, minimum=1),
    }
# Periodic work, run by `celery beat` (Procfile). Each entry is a thin task calling one service.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Stories in the trash past TRASH_DAYS, with their files.
    "purge-trashed-stories": {
        "task": "reelmaker.tasks.purge_trashed_stories_task",
        "schedule": timedelta(hours=1),
    },
    # Uploads never attached to a story, past UPLOAD_ORPHAN_DAYS.
    "remove-orphan-uploads": {
        "task": "reelmaker.tasks.remove_orphan_uploads_task",
        "schedule": timedelta(hours=6),
    },
    # Cached scene clips and mixed audio no live scene uses, past CLIP_CACHE_DAYS.
    "remove-unused-clips": {
        "task": "reelmaker.tasks.remove_unused_clips_task",
        "schedule": timedelta(hours=6),
    },
    # Linked accounts whose long-lived token (Meta's, no refresh token) runs out within a week.
    "refresh-expiring-tokens": {
        "task": "publishing.tasks.refresh_expiring_tokens_task",
        "schedule": timedelta(hours=12),
    },
    # Expired Idempotency-Key records, JWT refresh tokens and task results.
    "purge-expired-records": {
        "task": "reelmaker.tasks.purge_expired_records_task",
        "schedule": timedelta(hours=1),
    },
}
# FFmpeg work goes to "render" (GPU or CPU render machines: `-Q render`), webhook deliveries
# to "webhooks" (a slow receiver never holds a render or plan worker); the rest to "default".
CELERY_TASK_ROUTES = {
    "jobs.tasks.run_render_job_task": {"queue": "render"},
    "jobs.tasks.send_webhook_task": {"queue": "webhooks"},
    # Uploads to YouTube, Instagram and TikTok wait on the network for minutes: their own queue.
    "jobs.tasks.run_upload_job_task": {"queue": "uploads"},
}
# Time limits per kind of task. Past the soft limit the task gets SoftTimeLimitExceeded and its
# job fails ("took longer than N s"); TASK_HARD_LIMIT_GRACE_S later the worker process is
# killed. Plan and asset jobs wait on providers (video generation polls up to
# VIDEO_POLL_DEADLINE_S); render jobs run FFmpeg; webhooks post one small body.
JOB_TIME_LIMIT_S = env_int("JOB_TIME_LIMIT_S", 1200, minimum=1)
RENDER_TIME_LIMIT_S = env_int("RENDER_TIME_LIMIT_S", 1800, minimum=1)
WEBHOOK_TIME_LIMIT_S = env_int("WEBHOOK_TIME_LIMIT_S", 60, minimum=1)
UPLOAD_TIME_LIMIT_S = env_int("UPLOAD_TIME_LIMIT_S", 1800, minimum=1)
TASK_HARD_LIMIT_GRACE_S = env_int("TASK_HARD_LIMIT_GRACE_S", 30, minimum=1)
_TASK_SOFT_LIMITS = {
    "jobs.tasks.run_job_task": JOB_TIME_LIMIT_S,
    "jobs.tasks.start_render_stage_task": JOB_TIME_LIMIT_S,
    "jobs.tasks.run_render_job_task": RENDER_TIME_LIMIT_S,
    "jobs.tasks.send_webhook_task": WEBHOOK_TIME_LIMIT_S,
    "jobs.tasks.run_upload_job_task": UPLOAD_TIME_LIMIT_S,
    "jobs.tasks.run_side_job_task": JOB_TIME_LIMIT_S,
}
CELERY_TASK_ANNOTATIONS = {
    name: {"soft_time_limit": soft, "time_limit": soft + TASK_HARD_LIMIT_GRACE_S}
    for name, soft in _TASK_SOFT_LIMITS.items()
}
_longest_task_s = max(_TASK_SOFT_LIMITS.values()) + TASK_HARD_LIMIT_GRACE_S
_limits_set = any(
    os.environ.get(name)
    for name in (
        "JOB_TIME_LIMIT_S",
        "RENDER_TIME_LIMIT_S",
        "WEBHOOK_TIME_LIMIT_S",
        "UPLOAD_TIME_LIMIT_S",
        "TASK_HARD_LIMIT_GRACE_S",
    )
)
# Refused when chosen together; a deliberately short visibility timeout alone (the durability
# tests' redelivery drills) keeps the default limits.
_visibility_s = CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")  # Redis only
if _limits_set and _visibility_s is not None and _longest_task_s >= _visibility_s:
    raise ImproperlyConfigured(
        "JOB_TIME_LIMIT_S, RENDER_TIME_LIMIT_S and WEBHOOK_TIME_LIMIT_S plus "
        "TASK_HARD_LIMIT_GRACE_S must stay below CELERY_VISIBILITY_TIMEOUT, or a task still "
        "running is delivered a second time."
    )

# Job leases: a running job's worker renews its lease every JOB_HEARTBEAT_S; the reaper (a
# Celery beat task every REAPER_INTERVAL_S) requeues jobs whose lease ran out, so a dead
# worker's job resumes within JOB_LEASE_S + REAPER_INTERVAL_S, whatever the visibility timeout.
JOB_LEASE_S = env_int("JOB_LEASE_S", 30, minimum=2)
JOB_HEARTBEAT_S = env_int("JOB_HEARTBEAT_S", 10, minimum=1)
REAPER_INTERVAL_S = env_int("REAPER_INTERVAL_S", 15, minimum=1)
if JOB_HEARTBEAT_S >= JOB_LEASE_S:
    raise ImproperlyConfigured(
        f"JOB_HEARTBEAT_S={JOB_HEARTBEAT_S} must be shorter than JOB_LEASE_S={JOB_LEASE_S}."
    )
if _visibility_s is not None and _visibility_s <= JOB_LEASE_S:
    raise ImproperlyConfigured(
        f"JOB_LEASE_S={JOB_LEASE_S} must be shorter than CELERY_VISIBILITY_TIMEOUT: the reaper,"
        " not the broker, resumes a dead worker's job."
    )
CELERY_BEAT_SCHEDULE |= {
    # Jobs whose worker died: requeued within JOB_LEASE_S + REAPER_INTERVAL_S.
    "reap-expired-jobs": {
        "task": "jobs.tasks.reap_expired_jobs_task",
        "schedule": float(REAPER_INTERVAL_S),
        # Runs piled up while no worker listened are dropped: the next one does the same work.
        "options": {"queue": "default", "expires": REAPER_INTERVAL_S},
    },
}
