"""reelmaker settings: every knob from the environment, with offline defaults for a first run."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from reelmaker.env import (
    check_secret_key,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    parse_proxy_ssl_header,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REELMAKER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
DEV_SECRET_KEY = "insecure-local-development-key-only-used-with-DEBUG"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
if not DEBUG:
    check_secret_key(SECRET_KEY, dev_key=DEV_SECRET_KEY)
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "rest_framework_simplejwt.token_blacklist",
    "reelmaker",
    "accounts",
    "stories",
    "scenes",
    "media",
    "providers",
    "jobs",
    "billing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware, so its 413 speaks the client's language.
    "reelmaker.request_limits.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "reelmaker.urls"
WSGI_APPLICATION = "reelmaker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: a SQLite file under var/ by default; postgres:// goes through psycopg 3.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'reelmaker.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Workers, threads and the web server share the file: WAL lets readers run beside a
    # writer, and IMMEDIATE transactions wait for the write lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# SQLite (the first-run default) has no deferrable constraints; PostgreSQL enforces them.
SILENCED_SYSTEM_CHECKS = ["models.W038"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "en", ("en", "ko"))
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
# locale/ holds our own messages (make messages); locale_vendor/ holds Korean for libraries
# that ship none (DRF), which makemessages would otherwise mark obsolete.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Media: local files by default; S3 (or any S3-compatible store) when a bucket is named.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
    AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "us-east-1")
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_S3_ADDRESSING_STYLE = env_choice(
        "AWS_S3_ADDRESSING_STYLE", "path", ("path", "virtual", "auto")
    )
    AWS_DEFAULT_ACL = None  # private objects: access only through signed URLs
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 3600, minimum=1)
    AWS_S3_FILE_OVERWRITE = False
    # Rendered reels are large: multipart above the threshold, parts uploaded in parallel.
    from boto3.s3.transfer import TransferConfig

    AWS_S3_TRANSFER_CONFIG = TransferConfig(
        multipart_threshold=env_int("AWS_S3_MULTIPART_THRESHOLD_MB", 8, minimum=5) * 1024 * 1024,
        multipart_chunksize=env_int("AWS_S3_MULTIPART_CHUNKSIZE_MB", 8, minimum=5) * 1024 * 1024,
        max_concurrency=env_int("AWS_S3_MAX_CONCURRENCY", 4, minimum=1, maximum=32),
    )
MEDIA_URL_EXPIRE_S = env_int("MEDIA_URL_EXPIRE_S", 3600, minimum=1)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 200 * 1024 * 1024, minimum=1)
# What one user's uploads may take in storage, all together (413 STORAGE_QUOTA_EXCEEDED past it).
UPLOAD_QUOTA_BYTES = env_int("UPLOAD_QUOTA_BYTES", 5 * 1024 * 1024 * 1024, minimum=1)
# A JSON (or any non-multipart) request body past this is refused with 413 before it is read;
# JSON nested deeper than MAX_JSON_DEPTH is a 400. Uploads (multipart) have UPLOAD_MAX_BYTES.
MAX_JSON_BODY_BYTES = env_int("MAX_JSON_BODY_BYTES", 1024 * 1024, minimum=1024)
MAX_JSON_DEPTH = env_int("MAX_JSON_DEPTH", 32, minimum=2, maximum=512)

# Retention: a deleted story waits in the trash (restorable) this long, then is purged with
# its files; uploads never attached to a story and scene clips no story uses expire too.
TRASH_DAYS = env_int("TRASH_DAYS", 30, minimum=1)
UPLOAD_ORPHAN_DAYS = env_int("UPLOAD_ORPHAN_DAYS", 7, minimum=1)
CLIP_CACHE_DAYS = env_int("CLIP_CACHE_DAYS", 14, minimum=1)
# An uploaded image or clip larger than 8K (7680x4320) or a clip or track longer than this is
# refused: decoding and scaling it would cost more than any reel needs.
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 7680 * 4320, minimum=1)
UPLOAD_MAX_DURATION_S = env_int("UPLOAD_MAX_DURATION_S", 600, minimum=1)

# Story events (server-sent events and polling) and webhooks to a story's callback URL.
EVENTS_POLL_MS = env_int("EVENTS_POLL_MS", 500, minimum=10)
EVENTS_HEARTBEAT_S = env_int("EVENTS_HEARTBEAT_S", 15, minimum=1)
EVENTS_STREAM_MAX_S = env_int("EVENTS_STREAM_MAX_S", 300, minimum=1)
# Signs the webhooks of users who have not made their own secret (users/me/webhook-secret).
WEBHOOK_SECRET = env_str("WEBHOOK_SECRET")  # no default: unsigned webhooks are never sent
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)  # https callback URLs only if off
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT_S = env_int("WEBHOOK_TIMEOUT_S", 10, minimum=1, maximum=120)
# The whole delivery (connect, send, answer) ends after this many seconds, however slowly the
# receiver trickles its answer.
WEBHOOK_DEADLINE_S = env_int("WEBHOOK_DEADLINE_S", 30, minimum=1, maximum=300)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1, maximum=20)

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
}
# Time limits per kind of task. Past the soft limit the task gets SoftTimeLimitExceeded and its
# job fails ("took longer than N s"); TASK_HARD_LIMIT_GRACE_S later the worker process is
# killed. Plan and asset jobs wait on providers (video generation polls up to
# VIDEO_POLL_DEADLINE_S); render jobs run FFmpeg; webhooks post one small body.
JOB_TIME_LIMIT_S = env_int("JOB_TIME_LIMIT_S", 1200, minimum=1)
RENDER_TIME_LIMIT_S = env_int("RENDER_TIME_LIMIT_S", 1800, minimum=1)
WEBHOOK_TIME_LIMIT_S = env_int("WEBHOOK_TIME_LIMIT_S", 60, minimum=1)
TASK_HARD_LIMIT_GRACE_S = env_int("TASK_HARD_LIMIT_GRACE_S", 30, minimum=1)
_TASK_SOFT_LIMITS = {
    "jobs.tasks.run_job_task": JOB_TIME_LIMIT_S,
    "jobs.tasks.start_render_stage_task": JOB_TIME_LIMIT_S,
    "jobs.tasks.run_render_job_task": RENDER_TIME_LIMIT_S,
    "jobs.tasks.send_webhook_task": WEBHOOK_TIME_LIMIT_S,
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
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= JOB_LEASE_S:
    raise ImproperlyConfigured(
        f"JOB_LEASE_S={JOB_LEASE_S} must be shorter than CELERY_VISIBILITY_TIMEOUT: the reaper,"
        " not the broker, resumes a dead worker's job."
    )
CELERY_BEAT_SCHEDULE = {
    "reap-expired-jobs": {
        "task": "jobs.tasks.reap_expired_jobs_task",
        "schedule": float(REAPER_INTERVAL_S),
        # Runs piled up while no worker listened are dropped: the next one does the same work.
        "options": {"queue": "default", "expires": REAPER_INTERVAL_S},
    },
}

# Rendering.
RENDER_ENCODER = env_choice("RENDER_ENCODER", "", ("", "libx264", "h264_nvenc"))
RENDER_WORKERS = env_int("RENDER_WORKERS", 2, minimum=1, maximum=64)
# Every FFmpeg run is stopped past max(MIN, seconds of media x PER_MEDIA) seconds.
RENDER_TIMEOUT_MIN_S = env_int("RENDER_TIMEOUT_MIN_S", 120, minimum=1)
RENDER_TIMEOUT_PER_MEDIA_S = env_int("RENDER_TIMEOUT_PER_MEDIA_S", 20, minimum=1)
FFMPEG_BIN = env_str("FFMPEG_BIN", "ffmpeg")
FFPROBE_BIN = env_str("FFPROBE_BIN", "ffprobe")

# Providers: offline by default (see README "Providers").
REELMAKER_WRITER = env_str("REELMAKER_WRITER", "template")
REELMAKER_VOICE = env_str("REELMAKER_VOICE", "offline")
REELMAKER_VISUALS = env_list("REELMAKER_VISUALS", ["artwork"])

# Writer: OpenAI or any OpenAI-compatible server (vLLM, Ollama, llama.cpp) by base URL.
OPENAI_API_KEY = env_str("OPENAI_API_KEY")
OPENAI_BASE_URL = env_str("OPENAI_BASE_URL")  # empty: https://api.openai.com/v1
OPENAI_WRITER_MODEL = env_str("OPENAI_WRITER_MODEL", "gpt-4o-mini")
OPENAI_TIMEOUT_S = env_int("OPENAI_TIMEOUT_S", 60, minimum=1, maximum=600)
# Voice: ElevenLabs text-to-speech with timestamps.
ELEVENLABS_API_KEY = env_str("ELEVENLABS_API_KEY")
ELEVENLABS_BASE_URL = env_str("ELEVENLABS_BASE_URL")  # empty: https://api.elevenlabs.io
ELEVENLABS_MODEL_ID = env_str("ELEVENLABS_MODEL_ID", "eleven_multilingual_v2")
ELEVENLABS_VOICE_ID = env_str("ELEVENLABS_VOICE_ID", "JBFqnCBsd6RMkjVDRZzb")  # "George"
ELEVENLABS_TIMEOUT_S = env_int("ELEVENLABS_TIMEOUT_S", 60, minimum=1, maximum=600)
# Visuals: stock photos/clips and generated images, tried per scene in REELMAKER_VISUALS
# order (or AIProviderConfig rows), each on only when its key is set; artwork is the fallback.
PEXELS_API_KEY = env_str("PEXELS_API_KEY")
PEXELS_BASE_URL = env_str("PEXELS_BASE_URL", "https://api.pexels.com")
UNSPLASH_ACCESS_KEY = env_str("UNSPLASH_ACCESS_KEY")
UNSPLASH_BASE_URL = env_str("UNSPLASH_BASE_URL", "https://api.unsplash.com")
UNSPLASH_APP_NAME = env_str("UNSPLASH_APP_NAME", "reelmaker")  # utm_source of credit links
OPENAI_IMAGE_MODEL = env_str("OPENAI_IMAGE_MODEL", "gpt-image-1")
# Video clips for scenes that ask for motion (REELMAKER_VIDEO_SCENES: hook, all or none).
REELMAKER_VIDEO = env_list("REELMAKER_VIDEO", [])
REELMAKER_VIDEO_SCENES = env_choice("REELMAKER_VIDEO_SCENES", "hook", ("hook", "all", "none"))
GEMINI_API_KEY = env_str("GEMINI_API_KEY")
GEMINI_BASE_URL = env_str("GEMINI_BASE_URL")  # empty: https://generativelanguage.googleapis.com
GEMINI_VIDEO_MODEL = env_str("GEMINI_VIDEO_MODEL", "veo-3.0-generate-001")
RUNWAYML_API_SECRET = env_str("RUNWAYML_API_SECRET")
RUNWAYML_BASE_URL = env_str("RUNWAYML_BASE_URL")  # empty: https://api.dev.runwayml.com
RUNWAYML_VIDEO_MODEL = env_str("RUNWAYML_VIDEO_MODEL", "gen4.5")
OPENAI_VIDEO_MODEL = env_str("OPENAI_VIDEO_MODEL", "sora-2")
OPENAI_WEBHOOK_SECRET = env_str("OPENAI_WEBHOOK_SECRET")  # verifies Sora video.completed
VIDEO_POLL_FIRST_S = float(env_int("VIDEO_POLL_FIRST_MS", 5000, minimum=1)) / 1000
VIDEO_POLL_MAX_S = float(env_int("VIDEO_POLL_MAX_MS", 30000, minimum=1)) / 1000
VIDEO_POLL_DEADLINE_S = env_int("VIDEO_POLL_DEADLINE_S", 900, minimum=1)
# Every provider call has a timeout; downloads of provider media are capped and SSRF-guarded.
PROVIDER_TIMEOUT_S = env_int("PROVIDER_TIMEOUT_S", 60, minimum=1, maximum=600)
# The whole call (connect, send, every read of the answer) ends after this many seconds, however
# slowly the provider trickles bytes; PROVIDER_TIMEOUT_S bounds each single wait within it.
PROVIDER_DEADLINE_S = env_int("PROVIDER_DEADLINE_S", 300, minimum=1, maximum=3600)
PROVIDER_MAX_DOWNLOAD_BYTES = env_int("PROVIDER_MAX_DOWNLOAD_BYTES", 100 * 1024 * 1024, minimum=1)
PROVIDER_ATTEMPTS = env_int("PROVIDER_ATTEMPTS", 2, minimum=1, maximum=10)  # per visual provider
PROVIDER_RETRY_AFTER_MAX_S = env_int("PROVIDER_RETRY_AFTER_MAX_S", 10, minimum=0)
FETCH_ALLOW_PRIVATE_URLS = env_bool("FETCH_ALLOW_PRIVATE_URLS", False)  # tests, trusted setups

# Plans and quotas. Every user has a plan: a new account (and one found without a
# subscription) gets the `free` plan, made from these settings the first time it is needed;
# operators change that row in admin afterwards.
FREE_PLAN_REELS_PER_MONTH = env_int("FREE_PLAN_REELS_PER_MONTH", 3, minimum=0)
FREE_PLAN_MAX_DURATION_S = env_int("FREE_PLAN_MAX_DURATION_S", 60, minimum=1)
FREE_PLAN_PREVIEW_WATERMARK = env_bool("FREE_PLAN_PREVIEW_WATERMARK", True)
try:
    FREE_PLAN_MONTHLY_BUDGET_USD = Decimal(env_str("FREE_PLAN_MONTHLY_BUDGET_USD", "1.00"))
except InvalidOperation:
    raise ImproperlyConfigured("FREE_PLAN_MONTHLY_BUDGET_USD must be a number of USD.") from None
if not FREE_PLAN_MONTHLY_BUDGET_USD.is_finite() or FREE_PLAN_MONTHLY_BUDGET_USD < 0:
    raise ImproperlyConfigured("FREE_PLAN_MONTHLY_BUDGET_USD must be 0 or more.")
# Queued and running jobs one user may have at once (a preview of a 30-scene story is ~90).
MAX_QUEUED_JOBS_PER_USER = env_int("MAX_QUEUED_JOBS_PER_USER", 300, minimum=1)
# Narration a story may hold: the plan's longest reel x this rate. Voices say ~7 (ko) to ~15
# (en) written characters a second; 25 leaves room for any language and a fast voice.
NARRATION_CHARS_PER_S = env_int("NARRATION_CHARS_PER_S", 25, minimum=1)
# How far the spoken reel may run past the plan's longest reel (pauses, a slow voice).
REEL_DURATION_GRACE_S = env_int("REEL_DURATION_GRACE_S", 5, minimum=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reelmaker.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "reelmaker.request_limits.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "reelmaker.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Throttle counters live in the default cache: use a shared cache (Redis) with many web
    # processes, or each process counts on its own.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "60/min"),
        "user": env_str("THROTTLE_USER", "600/min"),
        "login_ip": env_str("THROTTLE_LOGIN_IP", "30/min"),
        "login_user": env_str("THROTTLE_LOGIN_USER", "10/min"),
        "prompt_test": env_str("THROTTLE_PROMPT_TEST", "10/min"),
    },
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7, minimum=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "reelmaker API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, so the schema (and `check --deploy`) has no naming warnings.
    "ENUM_NAME_OVERRIDES": {
        "StoryStatusEnum": "stories.states.Status",
        "JobStatusEnum": "jobs.models.Job.Status",
        "JobKindEnum": "jobs.models.Job.Kind",
        "EventKindEnum": "stories.models.Event.Kind",
        "PromptKindEnum": "scenes.models.Prompt.Kind",
        "AssetKindEnum": "media.models.Asset.Kind",
        "SubscriptionStatusEnum": "billing.models.Subscription.Status",
    },
}

# Throttle counters and other shared caches: per process by default; set CACHE_URL to a
# redis:// URL so every web process counts against the same limits.
# CACHE_URL=locmem:// asks for the per-process cache explicitly (tests, one process).
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
if CACHE_URL not in ("", "locmem://") and not CACHE_URL.startswith(
    ("redis://", "rediss://", "unix://")
):
    raise ImproperlyConfigured(
        f"CACHE_URL={CACHE_URL!r} must be a redis://, rediss:// or unix:// URL, or locmem://."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
WORK_DIR = Path(env_str("REELMAKER_WORK_DIR", str(VAR_DIR / "work")))

# ---------------------------------------------------------------- security: auth, proxies, deploy
# One block for the [security] settings (login throttles, lockout, account mail, health
# details, HTTPS); other settings live above.

# Client addresses: REMOTE_ADDR, unless this many proxies in front of us append their hop to
# X-Forwarded-For (DRF's NUM_PROXIES). Any other X-Forwarded-For value is the client's to forge.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0, maximum=10)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXIES

# Throttles and the admin lockout count in the cache: without a shared one every process
# counts on its own, and N processes allow N times the limit.
if not DEBUG and not CACHE_URL:
    raise ImproperlyConfigured(
        "CACHE_URL must name a shared cache (redis://...) when DEBUG is off, so login limits "
        "hold across processes (CACHE_URL=locmem:// accepts a per-process cache)."
    )

# Admin sign-in lockout (reelmaker/lockout.py): after this many failed admin logins for one
# account name or one client address, further tries are refused for ADMIN_LOCKOUT_S.
ADMIN_LOGIN_MAX_FAILURES = env_int("ADMIN_LOGIN_MAX_FAILURES", 5, minimum=1)
ADMIN_LOCKOUT_S = env_int("ADMIN_LOCKOUT_S", 900, minimum=1)

# Account mail (password reset, email verification): printed to the console by default.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "reelmaker <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_S", 3 * 3600, minimum=60)
# Work-starting verbs (plan, preview, final, regenerate, retry) answer 403 EMAIL_NOT_VERIFIED
# until the user has confirmed their email.
REQUIRE_VERIFIED_EMAIL = env_bool("REQUIRE_VERIFIED_EMAIL", False)

# /health/ready/ shows its checks only to this token (X-Health-Token header) or to these
# networks; everyone else gets the bare status. The result is cached this many seconds.
HEALTH_TOKEN = env_str("HEALTH_TOKEN")
HEALTH_INTERNAL_NETWORKS = env_list("HEALTH_INTERNAL_NETWORKS", ["127.0.0.0/8", "::1/128"])
HEALTH_READY_CACHE_S = env_int("HEALTH_READY_CACHE_S", 5, minimum=0, maximum=300)

# HTTPS: on by default with DEBUG off. SECURE_PROXY_SSL_HEADER names the header a trusted
# proxy sets, e.g. "HTTP_X_FORWARDED_PROTO,https".
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # load balancer probes speak plain HTTP
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = parse_proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER"))
