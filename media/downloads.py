"""Private media: signed, expiring download URLs, the local download view, and uploads.

On S3 (AWS_STORAGE_BUCKET_NAME set) a URL is signed by the storage itself (a presigned GET
that expires after MEDIA_URL_EXPIRE_S). For local files it points at `download`, a Django
view that checks a TimestampSigner token carrying the asset id: an expired or altered link
is a 403 in the API's error envelope.
"""

from __future__ import annotations

import mimetypes
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status

from media.models import Asset
from media.services import save_asset, sha256_of
from reelmaker.errors import DomainError, InvalidRequest, error_body
from render.inspection import UnusableMedia, inspect_media
from stories import services as story_services

_SALT = "reelmaker.media.download"
UPLOAD_PROVIDER = "upload"
# What the client asks for -> what inspect_media must find -> the asset kind stored.
UPLOAD_KINDS = {
    "image": ("image", Asset.Kind.IMAGE),
    "clip": ("video", Asset.Kind.VIDEO),
    "music": ("audio", Asset.Kind.MUSIC),
}
_CHUNK = 1 << 20


# ---------------------------------------------------------------- signed URLs


def signed_media_url(asset: Asset | None, request: HttpRequest | None = None) -> str | None:
    """An expiring URL that downloads `asset` (None for no asset). Absolute: built from the
    request when there is one, else from settings.SITE_URL."""
    if asset is None or not asset.file:
        return None
    expire_s = settings.MEDIA_URL_EXPIRE_S
    if settings.AWS_STORAGE_BUCKET_NAME:
        return default_storage.url(asset.file.name, expire=expire_s)
    token = signing.TimestampSigner(salt=_SALT).sign(str(asset.pk))
    path = reverse("media-download", kwargs={"token": token})
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}"


def download(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a local asset for a valid, unexpired token (no login: the token is the key)."""
    if request.method not in ("GET", "HEAD"):
        return _error(
            "INVALID_REQUEST", _("Only GET is allowed here."), status.HTTP_405_METHOD_NOT_ALLOWED
        )
    try:
        asset_id = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=settings.MEDIA_URL_EXPIRE_S
        )
    except signing.SignatureExpired:
        return _error(
            "FORBIDDEN",
            _("This download link has expired. Ask the API for a new one."),
            status.HTTP_403_FORBIDDEN,
        )
    except signing.BadSignature:
        return _error("FORBIDDEN", _("This download link is not valid."), status.HTTP_403_FORBIDDEN)
    asset = Asset.objects.filter(pk=int(asset_id)).first()
    if asset is None or not asset.file or not default_storage.exists(asset.file.name):
        return _error("NOT_FOUND", _("This file no longer exists."), status.HTTP_404_NOT_FOUND)
    response = FileResponse(
        default_storage.open(asset.file.name, "rb"),
        content_type=asset.mime_type or "application/octet-stream",
        as_attachment=request.GET.get("download") == "1",
        filename=Path(asset.file.name).name,
    )
    response["Cache-Control"] = "private, max-age=0, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _error(code: str, message: str, http_status: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=http_status)


# ---------------------------------------------------------------- uploads


class UploadTooLarge(DomainError):
    code = "INVALID_REQUEST"
    http_status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = gettext_lazy("The file is larger than the upload limit.")


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts an upload's bytes as they arrive and stops reading past UPLOAD_MAX_BYTES, so an
    oversized file is refused without being written out in full. Goes first in the chain."""

    def __init__(self, request=None, max_bytes: int | None = None):
        super().__init__(request)
        self.max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
        self.received = 0
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The whole body (file plus a little multipart framing) says it is too big: stop at
        # the first chunk instead of reading it.
        if content_length and content_length > self.max_bytes + 64 * 1024:
            self.exceeded = True

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.exceeded or self.received > self.max_bytes:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def store_upload(*, owner, uploaded, story=None, kind: str | None = None) -> Asset:
    """Check an uploaded file by its content and store it as an asset of `owner` (and of
    `story` when given). Raises InvalidRequest saying what is wrong, PlanLocked while the
    story renders. Safe to repeat: the same bytes give the same asset."""
    if story is not None:
        story_services.ensure_editable(story=story)
    with tempfile.TemporaryDirectory(prefix="upload-") as workdir:
        path = _local_file(uploaded, Path(workdir))
        try:
            info = inspect_media(path)
        except UnusableMedia as exc:
            raise InvalidRequest(
                _("%(name)s: %(reason)s") % {"name": uploaded.name, "reason": str(exc)},
                details={"file": uploaded.name},
            ) from None
        found = {inspected: name for name, (inspected, _kind) in UPLOAD_KINDS.items()}
        if kind is not None and UPLOAD_KINDS[kind][0] != info.kind:
            raise InvalidRequest(
                _("%(name)s is not a %(kind)s file by its content (it reads as %(found)s).")
                % {"name": uploaded.name, "kind": kind, "found": found[info.kind]},
                details={"expected": kind, "found": found[info.kind]},
            )
        asset_kind = UPLOAD_KINDS[found[info.kind]][1]
        fields = {
            "kind": asset_kind,
            "mime_type": info.mime or mimetypes.guess_type(uploaded.name)[0] or "",
            "source_provider": UPLOAD_PROVIDER,
            "duration_ms": info.duration_ms or None,
            "width": info.width or None,
            "height": info.height or None,
        }
        if story is not None:
            return save_asset(owner=owner, story=story, path=path, **fields)
        return _save_unattached(owner=owner, path=path, **fields)


def _local_file(uploaded, workdir: Path) -> Path:
    """A path to the upload's bytes: Django's temporary file, or a copy of a small one held
    in memory. The suffix is the client's, lowercased; the content decides what it is."""
    suffix = Path(uploaded.name or "").suffix.lower()[:10]
    path = workdir / f"upload{suffix}"
    if hasattr(uploaded, "temporary_file_path"):
        shutil.copyfile(uploaded.temporary_file_path(), path)
    else:
        with path.open("wb") as out:
            for chunk in uploaded.chunks(_CHUNK):
                out.write(chunk)
    return path


def _save_unattached(*, owner, path: Path, kind: str, **fields) -> Asset:
    """save_asset for an upload that belongs to no story yet (kept under the owner)."""
    digest = sha256_of(path)
    existing = Asset.objects.filter(owner=owner, story=None, kind=kind, sha256=digest).first()
    if existing is not None:
        return existing
    name = f"uploads/{owner.pk}/{kind}/{digest[:20]}{path.suffix}"
    with path.open("rb") as fh:
        stored = default_storage.save(name, fh)
    return Asset.objects.create(
        owner=owner,
        story=None,
        kind=kind,
        file=stored,
        bytes=path.stat().st_size,
        sha256=digest,
        **fields,
    )
