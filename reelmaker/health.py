"""GET /health/ (alive, public and cheap) and GET /health/ready/ (database, broker, storage,
ffmpeg). Ready shows its checks only to HEALTH_TOKEN (X-Health-Token header) or an address in
HEALTH_INTERNAL_NETWORKS; others get the bare status. Its result is cached a few seconds so
probes cannot turn it into load."""

from __future__ import annotations

import hmac
import ipaddress
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from reelmaker.throttles import client_address

READY_CACHE_KEY = "health:ready"


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


def run_checks() -> tuple[bool, dict]:
    """Every ready check, each timed; a failure is reported, never raised."""
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
    return healthy, checks


def may_see_details(request) -> bool:
    """The HEALTH_TOKEN in X-Health-Token, or a client address on an internal network."""
    token = settings.HEALTH_TOKEN
    sent = request.headers.get("X-Health-Token", "")
    if token and sent and hmac.compare_digest(sent.encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.HEALTH_INTERNAL_NETWORKS
    )


@require_GET
def ready(request):
    result = cache.get(READY_CACHE_KEY)
    if result is None:
        result = run_checks()
        if settings.HEALTH_READY_CACHE_S:
            cache.set(READY_CACHE_KEY, result, timeout=settings.HEALTH_READY_CACHE_S)
    healthy, checks = result
    body: dict = {"status": "ok" if healthy else "failing"}
    if may_see_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)
