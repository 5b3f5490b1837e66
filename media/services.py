"""Assets: files in the configured storage (local or S3), keyed by content so reruns reuse them."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from media.models import Asset

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def save_asset(
    *,
    owner,
    story,
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
    name = f"stories/{story.pk}/{kind}/{digest[:20]}{path.suffix.lower()}"
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
    )


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
