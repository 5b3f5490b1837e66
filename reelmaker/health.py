"""GET /health/ (alive) and GET /health/ready/ (database, broker, storage, ffmpeg)."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def check_broker() -> str:
    from reelmaker.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return conn.as_uri()  # as_uri() masks any password


def check_storage() -> str:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as fh:
            if fh.read() != b"ok":
                raise RuntimeError("storage returned other bytes than written")
    finally:
        default_storage.delete(name)
    return default_storage.__class__.__name__  # the lazy wrapper proxies __class__


def check_ffmpeg() -> str:
    binary = shutil.which(settings.FFMPEG_BIN)
    if not binary:
        raise RuntimeError(f"{settings.FFMPEG_BIN} not found on PATH; install ffmpeg")
    out = subprocess.run(
        [binary, "-hide_banner", "-version"], capture_output=True, text=True, timeout=5, check=True
    ).stdout
    return out.split("\n", 1)[0]


READY_CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
    "ffmpeg": check_ffmpeg,
}


@require_GET
def alive(request):
    return JsonResponse({"status": "ok"})


@require_GET
def ready(request):
    checks, healthy = {}, True
    for name, check in READY_CHECKS.items():
        started = time.monotonic()
        try:
            detail, ok = check(), True
        except Exception as exc:  # a health check reports every failure instead of raising
            detail, ok = f"{type(exc).__name__}: {exc}", False
        healthy &= ok
        checks[name] = {
            "ok": ok,
            "detail": detail,
            "ms": round((time.monotonic() - started) * 1000, 1),
        }
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503
    )
