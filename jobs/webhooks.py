"""Signed webhooks: when a story COMPLETED or FAILED, POST a JSON event to its callback URL.

Each delivery is a Job of kind `webhook` (visible in the API and admin, retried with backoff).
The request:

    POST <callback_url>
    Content-Type: application/json
    Reelmaker-Event: story.completed | story.failed
    Reelmaker-Delivery: evt_<id>        (the same on every attempt: receivers dedupe on it)
    Reelmaker-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>

The secret is the story owner's own (POST /api/v1/users/me/webhook-secret/), else the
deployment's WEBHOOK_SECRET. Callback URLs must be https unless WEBHOOK_ALLOW_HTTP.

The URL is checked against private, loopback and link-local addresses when it is saved
(`check_callback_url`) and again right before each send; the connection then goes to the very
address that was checked, so a DNS answer that changes in between (rebinding) cannot redirect
it. Redirects are not followed. The whole delivery ends after WEBHOOK_DEADLINE_S, however slowly
the receiver answers (each single wait is WEBHOOK_TIMEOUT_S at most).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jobs import dispatch, webhook_secrets
from jobs import services as job_services
from jobs.models import Job
from media.downloads import signed_media_url
from reelmaker.ssrf import UnsafeUrl, resolve_public
from stories.events import record_event
from stories.models import Event, Story
from stories.states import OUTCOMES, Profile, Status

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Reelmaker-Signature"
EVENT_HEADER = "Reelmaker-Event"
DELIVERY_HEADER = "Reelmaker-Delivery"
USER_AGENT = "reelmaker-webhook/1"
_RESPONSE_READ_LIMIT = 64 * 1024


class WebhookDeliveryFailed(Exception):
    """The receiver could not be reached or did not answer 2xx: worth another attempt."""


def check_callback_url(url: str) -> str:
    """`url` when it may receive webhooks; raises UnsafeUrl (400) for a private, loopback or
    link-local target unless settings.WEBHOOK_ALLOW_PRIVATE. An empty URL passes."""
    if url:
        resolve_public(
            url,
            allow_private=settings.WEBHOOK_ALLOW_PRIVATE,
            allow_http=settings.WEBHOOK_ALLOW_HTTP,
        )
    return url


def sign(*, body: bytes, timestamp: int, secret: str) -> str:
    """The Reelmaker-Signature value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


# The moves a callback URL is told about: the outcomes, and a preview that an autopilot asked
# for (one request from idea to preview) being ready.
_TOLD = Q(status__in=OUTCOMES) | Q(status=Status.PREVIEW_READY, autopilot=Profile.PREVIEW)


def queue_story_webhook(*, story_id: int | None = None, job_id: int | None = None) -> Job | None:
    """One webhook job for the story's move to COMPLETED or FAILED (or PREVIEW_READY, when an
    autopilot asked for a preview), sent after commit, when it has a callback URL. Safe to
    repeat: a second call for the same move queues nothing. Pass the story, or a job of it."""
    if story_id is None and job_id is not None:
        story_id = Job.objects.filter(pk=job_id).values_list("story_id", flat=True).first()
    if (
        story_id is None
        or not Story.objects.filter(_TOLD, pk=story_id).exclude(callback_url="").exists()
    ):
        return None
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story_id)
        if not Story.objects.filter(_TOLD, pk=story_id).exists() or not story.callback_url:
            return None
        move = story.transitions.filter(to_status=story.status).order_by("-id").first()
        if (
            move is None
            or Event.objects.filter(
                story=story, kind=Event.Kind.WEBHOOK, payload__transition=move.pk
            ).exists()
        ):
            return None
        job = job_services.create_job(
            story=story, kind=Job.Kind.WEBHOOK, max_attempts=settings.WEBHOOK_MAX_ATTEMPTS
        )
        record_event(
            story_id=story.pk,
            kind=Event.Kind.WEBHOOK,
            payload={"job": job.pk, "transition": move.pk, "type": _event_type(story.status)},
        )
        dispatch.queue_webhook(job_id=job.pk)
    return job


def queue_job_webhook(
    *, about: Job, user_id: int, callback_url: str, event_type: str, data: dict
) -> Job | None:
    """One webhook job telling `callback_url` what became of a job that is no step of a story
    (a take's analysis.completed / analysis.failed), sent after commit on the same queue,
    signing and retries as a story's. Its event goes on `about`'s stream (its story's, or its
    own). `data` is the body's "data"; the delivery id is the same on every attempt. Call it
    inside the transaction that records the outcome. None without a callback URL."""
    if not callback_url:
        return None
    job = Job.objects.create(
        story_id=about.story_id,
        kind=Job.Kind.WEBHOOK,
        max_attempts=settings.WEBHOOK_MAX_ATTEMPTS,
        options={
            "callback_url": callback_url,
            "type": event_type,
            "data": data,
            "user": user_id,
            "about": about.pk,
        },
    )
    record_event(
        kind=Event.Kind.WEBHOOK,
        payload={"job": job.pk, "transition": None, "type": event_type},
        story_id=about.story_id,
        job_id=about.pk,
    )
    dispatch.queue_webhook(job_id=job.pk)
    return job


def requeue_webhook_jobs(*, job_ids: Iterable[int]) -> list[Job]:
    """Send failed or canceled webhook jobs again with a fresh attempt budget; their story stays
    where it is (it already finished). Called by jobs.cancel_retry.retry_jobs."""
    retried: list[Job] = []
    with transaction.atomic():
        for job in Job.objects.select_for_update().filter(
            pk__in=list(job_ids),
            kind=Job.Kind.WEBHOOK,
            status__in=(Job.Status.FAILED, Job.Status.CANCELED),
        ):
            job_services.requeue_for_retry(
                job, max_attempts=job.attempts + settings.WEBHOOK_MAX_ATTEMPTS
            )
            dispatch.queue_webhook(job_id=job.pk)
            retried.append(job)
    return retried


def _event_type(status: str) -> str:
    return f"story.{str(status).lower()}"


# ---------------------------------------------------------------- sending


def send_webhook(*, job_id: int, task_id: str = "") -> None:
    """Claim and send one webhook job. Safe to repeat: a finished or claimed job is skipped.
    Raises WebhookDeliveryFailed while attempts remain (the task retries with backoff); an
    unsafe URL, a missing secret or the last failed attempt fail the job for good."""
    lease = job_services.claim_job(job_id=job_id, task_id=task_id)
    if not lease:
        return
    job = Job.objects.select_related("story").get(pk=job_id)
    told = _job_outcome(job) if "about" in job.options else _story_outcome(job)
    secret = webhook_secrets.signing_secret_for(user_id=told["user"])
    if not secret:
        fail_webhook_job(
            job_id=job_id,
            code="INTERNAL_ERROR",
            message="WEBHOOK_SECRET is not set; cannot sign.",
            lease=lease,
        )
        return
    event_type, delivery = told["type"], told["delivery"]
    body = json.dumps(
        {
            "id": delivery,
            "type": event_type,
            "created": int(job.created_at.timestamp()),
            "data": told["data"],
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    try:
        with job_services.hold_lease(job_id=job_id, lease=lease):
            status = post_signed(
                url=told["url"],
                body=body,
                event_type=event_type,
                delivery=delivery,
                secret=secret,
            )
    except UnsafeUrl as exc:
        fail_webhook_job(job_id=job_id, code=exc.code, message=str(exc.message), lease=lease)
        return
    except WebhookDeliveryFailed as exc:
        if not job_services.has_attempts_left(job):
            fail_webhook_job(
                job_id=job_id, code="EXTERNAL_API_ERROR", message=str(exc), lease=lease
            )
        elif job_services.requeue_job(job_id=job_id, lease=lease):
            raise
        return
    job_services.succeed_job(job_id=job_id, lease=lease, provider=f"webhook HTTP {status}")


def _story_outcome(job: Job) -> dict:
    story = Story.objects.get(pk=job.step_story_id)
    queued = Event.objects.filter(story=story, kind=Event.Kind.WEBHOOK, payload__job=job.pk).first()
    return {
        "user": story.owner_id,
        "url": story.callback_url,
        "type": queued.payload["type"] if queued else _event_type(story.status),
        "delivery": f"evt_{queued.pk if queued else job.pk}",
        "data": {"story": story_payload(story)},
    }


def _job_outcome(job: Job) -> dict:
    """What queue_job_webhook stored on the webhook job."""
    options = job.options
    return {
        "user": options["user"],
        "url": options["callback_url"],
        "type": options["type"],
        "delivery": f"evt_job_{job.pk}",
        "data": options["data"],
    }


def fail_webhook_job(*, job_id: int, code: str, message: str, lease: str | None = None) -> None:
    """Record a failed delivery on the job only: the story itself has already finished. With
    `lease`, only while that lease holds the job."""
    jobs = Job.objects.filter(pk=job_id, status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
    if lease is not None:
        jobs = jobs.filter(lease_token=lease)
    jobs.update(
        status=Job.Status.FAILED,
        error_code=code[:40],
        error_message=f"webhook failed: {message}",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    job_services.record_job_event(job_id=job_id)


def story_payload(story: Story) -> dict:
    return {
        "id": story.pk,
        "status": story.status,
        "title": story.title,
        "keyword": story.keyword,
        "language": story.language,
        "aspect": story.aspect,
        "duration_s": story.duration_s,
        "error_code": story.error_code,
        "error_message": story.error_message,
        "completed_at": story.completed_at.isoformat() if story.completed_at else None,
        "is_degraded": story.is_degraded,
        "degradation": list(story.degradation),
        "media": {
            name: signed_media_url(getattr(story, name))
            for name in ("preview", "final", "thumbnail", "captions_srt", "captions_vtt")
        },
    }


def post_signed(*, url: str, body: bytes, event_type: str, delivery: str, secret: str = "") -> int:
    """POST `body` signed now with `secret` (WEBHOOK_SECRET when empty); the HTTP status.
    Raises UnsafeUrl (a private address, or http without WEBHOOK_ALLOW_HTTP) or
    WebhookDeliveryFailed."""
    addresses = resolve_public(
        url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE, allow_http=settings.WEBHOOK_ALLOW_HTTP
    )
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: delivery,
        SIGNATURE_HEADER: sign(
            body=body, timestamp=timestamp, secret=secret or settings.WEBHOOK_SECRET
        ),
    }
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    deadline_s = settings.WEBHOOK_DEADLINE_S
    started = time.monotonic()
    connection = _connect(parts, addresses, timeout=min(settings.WEBHOOK_TIMEOUT_S, deadline_s))
    # A socket timeout bounds one wait only: a receiver trickling a byte at a time would hold
    # the worker for ever. At the deadline the socket is shut down under the blocked read.
    cut = threading.Event()
    timer = threading.Timer(
        max(0.0, deadline_s - (time.monotonic() - started)), _cut, args=(connection, cut)
    )
    timer.daemon = True
    timer.start()
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(_RESPONSE_READ_LIMIT)
    except (OSError, http.client.HTTPException) as exc:
        if cut.is_set():
            raise WebhookDeliveryFailed(_too_slow(deadline_s)) from exc
        raise WebhookDeliveryFailed(f"no answer from the callback URL: {exc}") from exc
    finally:
        timer.cancel()
        connection.close()
    if cut.is_set():
        raise WebhookDeliveryFailed(_too_slow(deadline_s))
    if not 200 <= response.status < 300:
        raise WebhookDeliveryFailed(f"the callback URL answered HTTP {response.status}")
    return response.status


def _too_slow(deadline_s: float) -> str:
    return f"the callback URL did not answer in full within {deadline_s:g} s; it was cut off"


def _cut(connection: http.client.HTTPConnection, cut: threading.Event) -> None:
    cut.set()
    if connection.sock is not None:
        with contextlib.suppress(OSError):  # already closed
            connection.sock.shutdown(socket.SHUT_RDWR)


def _connect(parts, addresses: list[str], *, timeout: float) -> http.client.HTTPConnection:
    """A connection to the first address that accepts one, speaking to the URL's host name."""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    errors = []
    for address in addresses:
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
                parts.hostname, port, address=address, timeout=timeout
            )
        else:
            connection = _PinnedHTTPConnection(
                parts.hostname, port, address=address, timeout=timeout
            )
        try:
            connection.connect()
        except OSError as exc:
            errors.append(f"{address}: {exc}")
            connection.close()
            continue
        return connection
    raise WebhookDeliveryFailed(f"could not connect to the callback URL ({'; '.join(errors)})")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a fixed IP address while the Host header names the URL's host."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed IP address; the certificate is still checked against the host name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
