"""Private media: signed, expiring download URLs and the local download view.

On S3 (AWS_STORAGE_BUCKET_NAME set) a URL is signed by the storage itself (a presigned GET
that expires after MEDIA_URL_EXPIRE_S). For local files it points at `download`, a Django
view that checks a TimestampSigner token carrying the asset id: an expired or altered link
is a 403 in the API's error envelope.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from media.models import Asset
from reelmaker.errors import DomainError, NotFound, renders_domain_errors

if TYPE_CHECKING:
    from storages.backends.s3 import S3Storage

_SALT = "reelmaker.media.download"


class DownloadLinkInvalid(DomainError):
    code = "FORBIDDEN"
    http_status = status.HTTP_403_FORBIDDEN
    default_message = _("This download link is not valid.")


class DownloadLinkExpired(DownloadLinkInvalid):
    default_message = _("This download link has expired. Ask the API for a new one.")


class DownloadGone(NotFound):
    default_message = _("This file no longer exists.")


class DownloadMethodNotAllowed(DomainError):
    code = "INVALID_REQUEST"
    http_status = status.HTTP_405_METHOD_NOT_ALLOWED
    default_message = _("Only GET is allowed here.")


def signed_media_url(asset: Asset | None, request: HttpRequest | None = None) -> str | None:
    """An expiring URL that downloads `asset` (None for no asset). Absolute: built from the
    request when there is one, else from settings.SITE_URL."""
    if asset is None or not asset.file.name:
        return None
    expire_s = settings.MEDIA_URL_EXPIRE_S
    if settings.AWS_STORAGE_BUCKET_NAME:
        # S3Storage.url signs the URL: a presigned GET that expires after `expire` seconds. The
        # response headers are signed into it too: the type found by content and a safe name.
        # (S3 cannot add X-Content-Type-Options; the type and the stored suffix agree.)
        return cast("S3Storage", default_storage).url(
            asset.file.name,
            expire=expire_s,
            parameters={
                "ResponseContentType": asset.mime_type or "application/octet-stream",
                "ResponseContentDisposition": f'inline; filename="{download_filename(asset)}"',
            },
        )
    token = signing.TimestampSigner(salt=_SALT).sign(str(asset.pk))
    path = reverse("media-download", kwargs={"token": token})
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL}{path}"


def download_filename(asset: Asset) -> str:
    """A safe name to save the asset under: ASCII, no path, the suffix of its stored type."""
    return f"reelmaker-{asset.kind}-{asset.pk}{Path(asset.file.name or '').suffix}"


@renders_domain_errors
def download(request: HttpRequest, token: str) -> FileResponse:
    """Serve a local asset for a valid, unexpired token (no login: the token is the key).
    Raises DownloadLinkExpired or DownloadLinkInvalid (403), DownloadGone (404)."""
    if request.method not in ("GET", "HEAD"):
        raise DownloadMethodNotAllowed()
    try:
        asset_id = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=settings.MEDIA_URL_EXPIRE_S
        )
    except signing.SignatureExpired:
        raise DownloadLinkExpired() from None
    except signing.BadSignature:
        raise DownloadLinkInvalid() from None
    asset = Asset.objects.filter(pk=int(asset_id)).first()
    name = asset.file.name if asset is not None else None
    if asset is None or not name or not default_storage.exists(name):
        raise DownloadGone()
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=asset.mime_type or "application/octet-stream",
        as_attachment=request.GET.get("download") == "1",
        filename=download_filename(asset),
    )
    response["Cache-Control"] = "private, max-age=0, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
