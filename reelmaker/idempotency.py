"""Idempotency-Key for the POSTs that start work: a repeat returns the first response.

The first request with a key claims it (a row with no response yet), runs, and stores its
2xx response. A repeat from the same user with the same key and the same request gets that
response back (header `Idempotent-Replayed: true`) and starts nothing. The same key with a
different request, or while the first is still running, is a 409. A failed first request
(4xx/5xx) releases the key so the client can try again. Keys are kept for a day.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from reelmaker.errors import IdempotencyConflict, InvalidRequest

HEADER = "Idempotency-Key"
MAX_KEY_CHARS = 255
KEEP_FOR = timedelta(hours=24)

SCHEMA_PARAMETER = OpenApiParameter(
    name=HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description="Any unique string (a UUID). A repeat with the same key returns the first "
    "response and starts nothing new. Kept for 24 hours.",
)


def _fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # QueryDict (form posts)
        data = dict(data.lists())
    body = json.dumps(data, sort_keys=True, default=_uploaded_file_digest)
    raw = f"{request.method}\n{request.path}\n{body}".encode()
    return hashlib.sha256(raw).hexdigest()


def _uploaded_file_digest(value) -> str:
    """An uploaded file stands in the fingerprint by its content, not its name."""
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return f"file:{digest.hexdigest()}"
    return str(value)


def _read_key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_CHARS or not key.isprintable():
        raise InvalidRequest(
            _("Idempotency-Key must be 1 to 255 printable characters."),
            details={"header": HEADER},
        )
    return key


def _claim(*, user, key: str, request):
    """(record, replay): a new claimed record, or the stored one to replay."""
    from stories.models import IdempotencyRecord

    fingerprint = _fingerprint(request)
    IdempotencyRecord.objects.filter(
        user=user, key=key, created_at__lt=timezone.now() - KEEP_FOR
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=user,
                key=key,
                method=request.method,
                path=request.path[:300],
                fingerprint=fingerprint,
            )
        return record, False
    except IntegrityError:
        pass  # the key is taken: replay its record, or refuse
    stored = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if stored is None or stored.fingerprint != fingerprint or stored.status_code is None:
        raise IdempotencyConflict(details={"header": HEADER})
    return stored, True


def purge_expired_records(*, now=None) -> int:
    """Delete the records older than KEEP_FOR (their keys may be used again). Returns how many."""
    from stories.models import IdempotencyRecord

    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def idempotent(view_method):
    """Decorate a viewset action (POST) so an Idempotency-Key makes repeats harmless."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = _read_key(request)
        if key is None or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        record, replay = _claim(user=request.user, key=key, request=request)
        if replay:
            return Response(
                record.response, status=record.status_code, headers={"Idempotent-Replayed": "true"}
            )
        try:
            response = view_method(self, request, *args, **kwargs)
        except BaseException:
            record.delete()
            raise
        if 200 <= response.status_code < 300:
            record.status_code, record.response = response.status_code, response.data
            record.save(update_fields=["status_code", "response", "updated_at"])
        else:
            record.delete()
        return response

    wrapper.is_idempotent = True  # type: ignore[attr-defined]  # the schema declares the header
    return wrapper
