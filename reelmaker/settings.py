"""reelmaker settings: every knob from the environment, with offline defaults for a first run."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from reelmaker.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REELMAKER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (e.g. DEBUG=1 for local use)."
        )
    SECRET_KEY = "insecure-local-development-key-only-used-with-DEBUG"  # noqa: S105
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
    # Static files (admin, Swagger UI) from the production server itself: collected under
    # STATIC_ROOT (`collectstatic`, done in the image), or found in the apps with DEBUG on.
    "reelmaker.static.StaticFilesMiddleware",  # whitenoise, async-capable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "reelmaker.urls"
WSGI_APPLICATION = "reelmaker.wsgi.application"  # runserver and the tests' live server
ASGI_APPLICATION = "reelmaker.asgi.application"  # the web server (gunicorn.conf.py)

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
# The web server (ASGI) runs each sync view on a thread of its own, so a connection kept per
# thread would be left open by every request: there (reelmaker/asgi.py sets DATABASE_POOL)
# connections close after each request, and PostgreSQL's come from a pool per process.
if env_bool("DATABASE_POOL", False):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2,
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 20, minimum=1),
            "timeout": 10,
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

# Story events (server-sent events and polling) and webhooks to a story's callback URL.
EVENTS_POLL_MS = env_int("EVENTS_POLL_MS", 500, minimum=10)
EVENTS_HEARTBEAT_S = env_int("EVENTS_HEARTBEAT_S", 15, minimum=1)
EVENTS_STREAM_MAX_S = env_int("EVENTS_STREAM_MAX_S", 300, minimum=1)
# Open streams one user may hold (counted in the default cache: set CACHE_URL with many web
# processes); past it the stream is refused with 429 and the client can poll instead.
EVENTS_MAX_STREAMS_PER_USER = env_int("EVENTS_MAX_STREAMS_PER_USER", 5, minimum=1)
WEBHOOK_SECRET = env_str("WEBHOOK_SECRET")  # no default: unsigned webhooks are never sent
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT_S = env_int("WEBHOOK_TIMEOUT_S", 10, minimum=1, maximum=120)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1, maximum=20)

# Celery: an in-project Redis on a unix socket under var/ by default (make run starts it).
CELERY_BROKER_SOCKET = VAR_DIR / "redis.sock"
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", f"redis+socket://{quote(str(CELERY_BROKER_SOCKET))}"
)
if not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "redis+socket://", "memory://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL={CELERY_BROKER_URL!r} must be a redis://, rediss:// "
        "or redis+socket:// URL."
    )
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Must exceed the longest task, or a live worker's task is delivered twice.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
    # A dead worker's unacked task is swept back to its queue only every interval x throttle
    # seconds (kombu's defaults: 10 x 10); lower both together with the visibility timeout.
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10, minimum=1),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10, minimum=1),
}
# FFmpeg work goes to "render" (GPU or CPU render machines: `-Q render`); the rest to "default".
CELERY_TASK_ROUTES = {"jobs.tasks.run_render_job_task": {"queue": "render"}}

# Rendering.
RENDER_ENCODER = env_choice("RENDER_ENCODER", "", ("", "libx264", "h264_nvenc"))
RENDER_WORKERS = env_int("RENDER_WORKERS", 2, minimum=1, maximum=64)
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
PROVIDER_MAX_DOWNLOAD_BYTES = env_int("PROVIDER_MAX_DOWNLOAD_BYTES", 100 * 1024 * 1024, minimum=1)
PROVIDER_ATTEMPTS = env_int("PROVIDER_ATTEMPTS", 2, minimum=1, maximum=10)  # per visual provider
PROVIDER_RETRY_AFTER_MAX_S = env_int("PROVIDER_RETRY_AFTER_MAX_S", 10, minimum=0)
FETCH_ALLOW_PRIVATE_URLS = env_bool("FETCH_ALLOW_PRIVATE_URLS", False)  # tests, trusted setups

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reelmaker.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "reelmaker.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Throttle counters live in the default cache: use a shared cache (Redis) with many web
    # processes, or each process counts on its own.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "1000/min"),
        "user": env_str("THROTTLE_USER", "6000/min"),
        "login_ip": env_str("THROTTLE_LOGIN_IP", "30/min"),
        "login_user": env_str("THROTTLE_LOGIN_USER", "10/min"),
        "prompt_test": env_str("THROTTLE_PROMPT_TEST", "30/min"),
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
}

# Throttle counters and other shared caches: per process by default; set CACHE_URL to a
# redis:// URL so every web process counts against the same limits.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
WORK_DIR = Path(env_str("REELMAKER_WORK_DIR", str(VAR_DIR / "work")))
