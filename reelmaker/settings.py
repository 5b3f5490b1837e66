"""reelmaker settings: every knob from the environment, with offline defaults for a first run."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
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
from reelmaker.paths import BASE_DIR, VAR_DIR

DEBUG = env_bool("DEBUG", False)
DEV_SECRET_KEY = "insecure-local-development-key-only-used-with-DEBUG"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
if not DEBUG:
    check_secret_key(SECRET_KEY, dev_key=DEV_SECRET_KEY)
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Other frontends: the origins (scheme://host[:port]) whose pages may call the API; none by
# default. They call it with a JWT (Authorization: Bearer), never with the studio's cookie.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
for _origin in CORS_ALLOWED_ORIGINS:
    if not re.fullmatch(r"https?://[^/\s]+", _origin):
        raise ImproperlyConfigured(
            f"CORS_ALLOWED_ORIGINS: {_origin!r} is not scheme://host[:port] (no path)."
        )
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = [*default_cors_headers, "idempotency-key"]
CORS_EXPOSE_HEADERS = ["Retry-After", "Idempotent-Replayed", "Location"]
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
    "corsheaders",
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
    "publishing",
    "studio",
    "provenance",
    "places",
    "practice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (admin, Swagger UI) from the production server itself: collected under
    # STATIC_ROOT (`collectstatic`, done in the image), or found in the apps with DEBUG on.
    "reelmaker.static.StaticFilesMiddleware",  # whitenoise, async-capable
    # Before anything that may answer (CommonMiddleware, the body limit): a refusal to another
    # origin's request still carries the CORS headers, so its page can read the error.
    "corsheaders.middleware.CorsMiddleware",
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

# The studio's sign-in page, where login_required sends a signed-out visitor.
LOGIN_URL = "studio:sign-in"
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
# Open streams one user may hold (counted in the default cache: set CACHE_URL with many web
# processes); past it the stream is refused with 429 and the client can poll instead.
EVENTS_MAX_STREAMS_PER_USER = env_int("EVENTS_MAX_STREAMS_PER_USER", 5, minimum=1)
# A stream ticket (POST .../events/ticket/, for EventSource, which sends no bearer token)
# opens one stream within this many seconds.
EVENTS_TICKET_TTL_S = env_int("EVENTS_TICKET_TTL_S", 60, minimum=1, maximum=3600)
# Signs the webhooks of users who have not made their own secret (users/me/webhook-secret).
WEBHOOK_SECRET = env_str("WEBHOOK_SECRET")  # no default: unsigned webhooks are never sent
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)  # https callback URLs only if off
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT_S = env_int("WEBHOOK_TIMEOUT_S", 10, minimum=1, maximum=120)
# The whole delivery (connect, send, answer) ends after this many seconds, however slowly the
# receiver trickles its answer.
WEBHOOK_DEADLINE_S = env_int("WEBHOOK_DEADLINE_S", 30, minimum=1, maximum=300)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1, maximum=20)

# Celery, its periodic work, time limits and job leases: reelmaker/settings_celery.py.
from reelmaker.settings_celery import *  # noqa: E402, F403

# Platform rules, post text, provenance and rights: reelmaker/settings_provenance.py.
from reelmaker.settings_provenance import *  # noqa: E402, F403

# Rendering and providers: reelmaker/settings_providers.py.
from reelmaker.settings_providers import *  # noqa: E402, F403

# Linked accounts, publishing and social sign-in: reelmaker/settings_publishing.py.
from reelmaker.settings_publishing import *  # noqa: E402, F403

# Plans and quotas. Every user has a plan: a new account (and one found without a
# subscription) gets the `free` plan. Migration billing 0011 makes that row from these settings
# (and so does the first use, should the row be gone); operators change it in admin afterwards.
FREE_PLAN_REELS_PER_MONTH = env_int("FREE_PLAN_REELS_PER_MONTH", 3, minimum=0)
FREE_PLAN_MAX_DURATION_S = env_int("FREE_PLAN_MAX_DURATION_S", 60, minimum=1)
FREE_PLAN_PREVIEW_WATERMARK = env_bool("FREE_PLAN_PREVIEW_WATERMARK", True)
FREE_PLAN_FINAL_RESOLUTION = env_choice("FREE_PLAN_FINAL_RESOLUTION", "1080p", ("720p", "1080p"))
try:
    FREE_PLAN_MONTHLY_BUDGET_USD = Decimal(env_str("FREE_PLAN_MONTHLY_BUDGET_USD", "1.00"))
except InvalidOperation:
    raise ImproperlyConfigured("FREE_PLAN_MONTHLY_BUDGET_USD must be a number of USD.") from None
if not FREE_PLAN_MONTHLY_BUDGET_USD.is_finite() or FREE_PLAN_MONTHLY_BUDGET_USD < 0:
    raise ImproperlyConfigured("FREE_PLAN_MONTHLY_BUDGET_USD must be 0 or more.")
# Stripe (billing/): live when STRIPE_SECRET_KEY is set; STRIPE_API_BASE points the official
# SDK at another server (tests: a local Stripe). Without a key, checkout and the portal answer
# 503 and the webhook refuses every event.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
# How old a signed webhook may be (Stripe's own default is 300 s).
STRIPE_WEBHOOK_TOLERANCE_S = env_int("STRIPE_WEBHOOK_TOLERANCE_S", 300, minimum=1, maximum=3600)
# Where Checkout and the Portal send the user back to (this site's public origin).
BILLING_RETURN_ORIGIN = env_str("BILLING_RETURN_ORIGIN", "http://localhost:8000")
# After a failed payment the paid plan stays usable this long; then the free plan applies.
BILLING_GRACE_DAYS = env_int("BILLING_GRACE_DAYS", 7, minimum=0, maximum=60)
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
    "DEFAULT_SCHEMA_CLASS": "reelmaker.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reelmaker.errors.api_exception_handler",
    # JSON only: the upload view takes multipart itself. One body format per operation is
    # what generated clients can call.
    "DEFAULT_PARSER_CLASSES": ["reelmaker.request_limits.LimitedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
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
        "media_search": env_str("THROTTLE_MEDIA_SEARCH", "60/min"),
        "place_search": env_str("THROTTLE_PLACE_SEARCH", "120/min"),
    },
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7, minimum=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
}
# The OpenAPI schema (drf-spectacular): reelmaker/settings_schema.py.
from reelmaker.settings_schema import *  # noqa: E402, F403

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
