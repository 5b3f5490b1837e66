"""Assets: files in the configured storage (local or S3), keyed by content so reruns reuse
them; and uploads, the user's own files checked by content before they are stored."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from media.models import Asset
from reelmaker.errors import DomainError, InvalidRequest
from render.inspection import UnusableMedia, inspect_media
from stories import services as story_services
from stories.models import Story

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_CHUNK = 1 << 20
# The stored name's suffix for each type inspection can find: S3 (and any static server)
# serves a file with the Content-Type its suffix implies, so the suffix follows the content,
# never the name a client sent (a PNG named page.html is stored as .png).
SUFFIXES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "video/x-matroska": ".mkv",
    "video/ogg": ".ogv",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/flac": ".flac",
    "audio/aac": ".aac",
}


def suffix_for(mime_type: str, *, default: str = ".bin") -> str:
    """The stored file suffix for `mime_type` (`default` for a type not in SUFFIXES)."""
    return SUFFIXES.get(mime_type, default)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def save_asset(
    *,
    owner: User,
    story: Story,
    kind: str,
    path: Path,
    mime_type: str,
    source_provider: str = "",
    duration_ms: int | None = None,
    width: int | None = None,
    height: int | None = None,
    licence: str = "",
    attribution: str = "",
    source_url: str = "",
    prompt: str = "",
) -> Asset:
    """Store `path` as an Asset of `story`. Safe to repeat: the same bytes from the same source
    give the same row (the same bytes from another source keep their own credit)."""
    digest = sha256_of(path)
    existing = Asset.objects.filter(
        story=story,
        kind=kind,
        sha256=digest,
        source_provider=source_provider,
        source_url=source_url,
        attribution=attribution,
    ).first()
    if existing is not None:
        return existing
    suffix = suffix_for(mime_type, default=path.suffix.lower())
    name = f"stories/{story.pk}/{kind}/{digest[:20]}{suffix}"
    with path.open("rb") as fh:
        stored = default_storage.save(name, File(fh, name=path.name))
    return Asset.objects.create(
        owner=owner,
        story=story,
        kind=kind,
        file=stored,
        mime_type=mime_type,
        bytes=path.stat().st_size,
        sha256=digest,
        source_provider=source_provider,
        duration_ms=duration_ms,
        width=width,
        height=height,
        licence=licence,
        attribution=attribution,
        source_url=source_url,
        prompt=prompt,
    )


def tag_asset(*, asset_id: int, tags: str) -> Asset:
    """Set the words the library finds this file by (spaces or commas between them)."""
    asset = Asset.objects.get(pk=asset_id)
    asset.tags = " ".join(tags.replace(",", " ").split())[:300]
    asset.save(update_fields=["tags", "updated_at"])
    return asset


def local_copy(asset: Asset, workdir: Path) -> Path:
    """A local path to the asset's bytes: the file itself on local storage, else a download."""
    if not asset.file.name:
        raise FileNotFoundError(f"asset {asset.pk} has no stored file")
    return stored_file_path(asset.file.name, workdir)


def stored_file_path(name: str, workdir: Path) -> Path:
    """A local path to a stored file: itself on local storage, else a copy in `workdir`."""
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:  # remote storage (S3) has no local path
        target = workdir / Path(name).name
        with default_storage.open(name, "rb") as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, _CHUNK)
        return target


# ---------------------------------------------------------------- uploads

UPLOAD_PROVIDER = "upload"
# What a client asks for -> what inspect_media must find -> the asset kind stored.
UPLOAD_KINDS: dict[str, tuple[str, Asset.Kind]] = {
    "image": ("image", Asset.Kind.IMAGE),
    "clip": ("video", Asset.Kind.VIDEO),
    "music": ("audio", Asset.Kind.MUSIC),
}
UPLOAD_KIND_NAMES = sorted(UPLOAD_KINDS)
_UPLOAD_KIND_OF = {inspected: name for name, (inspected, _kind) in UPLOAD_KINDS.items()}


class UploadTooLarge(DomainError):
    code = "INVALID_REQUEST"
    http_status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = _("The file is larger than the upload limit.")


class StorageQuotaExceeded(DomainError):
    code = "STORAGE_QUOTA_EXCEEDED"
    http_status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = _(
        "Your uploads use up your storage quota. Delete some uploads or choose a smaller file."
    )


def store_upload(
    *,
    owner: User,
    file: File,
    story: Story | None = None,
    expect: Collection[str] = (),
) -> Asset:
    """Check a user's file by its content and store it as an asset of `owner` (and of `story`
    when given): the one way in for uploads, from the API and from `makereel` alike.

    `expect` names the upload kinds it may be (image, clip, music); empty, whatever its content
    is. Raises UploadTooLarge (413) past UPLOAD_MAX_BYTES, UPLOAD_MAX_PIXELS or
    UPLOAD_MAX_DURATION_S, StorageQuotaExceeded (413) past the owner's UPLOAD_QUOTA_BYTES,
    InvalidRequest (400) saying what is
    wrong and PlanLocked (409) while the story renders. Safe to repeat: the same bytes give
    the same asset."""
    name = Path(file.name or "upload").name
    unknown = set(expect) - set(UPLOAD_KINDS)
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    if file.size is not None and file.size > settings.UPLOAD_MAX_BYTES:
        raise UploadTooLarge(details={"max_bytes": settings.UPLOAD_MAX_BYTES})
    if story is not None:
        story_services.ensure_editable(story=story)
    with tempfile.TemporaryDirectory(prefix="upload-") as workdir:
        path = _local_file(file, name=name, workdir=Path(workdir))
        try:
            info = inspect_media(path)
        except UnusableMedia as exc:
            raise InvalidRequest(
                gettext("%(name)s: %(reason)s") % {"name": name, "reason": str(exc)},
                details={"file": name},
            ) from None
        found = _UPLOAD_KIND_OF[info.kind]
        if expect and found not in expect:
            wanted = " or ".join(expect)
            raise InvalidRequest(
                gettext("%(name)s is not a %(kind)s file by its content (it reads as %(found)s).")
                % {"name": name, "kind": wanted, "found": found},
                details={"expected": wanted, "found": found},
            )
        _ensure_upload_size(info, name=name)
        kind = UPLOAD_KINDS[found][1]
        mime_type = info.mime  # by content: the client's name says nothing
        _ensure_storage_quota(owner=owner, path=path)
        if story is not None:
            asset = save_asset(
                owner=owner,
                story=story,
                kind=kind,
                path=path,
                mime_type=mime_type,
                source_provider=UPLOAD_PROVIDER,
                duration_ms=info.duration_ms or None,
                width=info.width or None,
                height=info.height or None,
            )
        else:
            asset = _save_unattached(
                owner=owner,
                path=path,
                kind=kind,
                mime_type=mime_type,
                duration_ms=info.duration_ms or None,
                width=info.width or None,
                height=info.height or None,
            )
    if not asset.tags:
        # The library finds an upload by the words of the name it came with, until retagged.
        asset.tags = Path(name).stem.replace("_", " ").replace("-", " ")[:300]
        asset.save(update_fields=["tags", "updated_at"])
    return asset


def _ensure_upload_size(info, *, name: str) -> None:
    """Raises UploadTooLarge past UPLOAD_MAX_PIXELS (width x height) or UPLOAD_MAX_DURATION_S."""
    pixels, max_pixels = info.width * info.height, settings.UPLOAD_MAX_PIXELS
    if pixels > max_pixels:
        raise UploadTooLarge(
            gettext("%(name)s is %(width)dx%(height)d; uploads may have up to %(max)d pixels.")
            % {"name": name, "width": info.width, "height": info.height, "max": max_pixels},
            details={"max_pixels": max_pixels, "pixels": pixels},
        )
    seconds, max_s = info.duration_ms / 1000, settings.UPLOAD_MAX_DURATION_S
    if seconds > max_s:
        raise UploadTooLarge(
            gettext("%(name)s lasts %(seconds).0f s; uploads may last up to %(max)d s.")
            % {"name": name, "seconds": seconds, "max": max_s},
            details={"max_duration_s": max_s, "duration_s": round(seconds, 1)},
        )


def _local_file(file: File, *, name: str, workdir: Path) -> Path:
    """A path to the file's bytes in `workdir`, without the client's suffix: the content
    decides what it is. The copy stops past UPLOAD_MAX_BYTES: a file that grew after its size
    was read is refused too."""
    path = workdir / "upload"
    temporary = getattr(file, "temporary_file_path", None)
    if temporary is not None:
        shutil.copyfile(temporary(), path)
    else:
        written = 0
        with path.open("wb") as out:
            for chunk in file.chunks(_CHUNK):
                written += len(chunk)
                if written > settings.UPLOAD_MAX_BYTES:
                    raise UploadTooLarge(details={"max_bytes": settings.UPLOAD_MAX_BYTES})
                out.write(chunk)
    if path.stat().st_size > settings.UPLOAD_MAX_BYTES:
        raise UploadTooLarge(details={"max_bytes": settings.UPLOAD_MAX_BYTES})
    return path


def _ensure_storage_quota(*, owner: User, path: Path) -> None:
    """Raise StorageQuotaExceeded when storing `path` would take the owner's uploads past
    UPLOAD_QUOTA_BYTES. Bytes the owner already uploaded are stored once, so they pass."""
    quota = settings.UPLOAD_QUOTA_BYTES
    used = (
        Asset.objects.filter(owner=owner, source_provider=UPLOAD_PROVIDER).aggregate(
            total=Sum("bytes")
        )["total"]
        or 0
    )
    size = path.stat().st_size
    if used + size <= quota:
        return
    digest = sha256_of(path)
    if Asset.objects.filter(owner=owner, source_provider=UPLOAD_PROVIDER, sha256=digest).exists():
        return
    raise StorageQuotaExceeded(details={"quota_bytes": quota, "used_bytes": used, "bytes": size})


def _save_unattached(
    *,
    owner: User,
    path: Path,
    kind: str,
    mime_type: str,
    duration_ms: int | None,
    width: int | None,
    height: int | None,
) -> Asset:
    """save_asset for an upload that belongs to no story yet (kept under the owner)."""
    digest = sha256_of(path)
    existing = Asset.objects.filter(owner=owner, story=None, kind=kind, sha256=digest).first()
    if existing is not None:
        return existing
    name = f"uploads/{owner.pk}/{kind}/{digest[:20]}{suffix_for(mime_type)}"
    with path.open("rb") as fh:
        stored = default_storage.save(name, File(fh, name=path.name))
    return Asset.objects.create(
        owner=owner,
        story=None,
        kind=kind,
        file=stored,
        mime_type=mime_type,
        bytes=path.stat().st_size,
        sha256=digest,
        source_provider=UPLOAD_PROVIDER,
        duration_ms=duration_ms,
        width=width,
        height=height,
    )
