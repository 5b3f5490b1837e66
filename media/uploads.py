"""User media: checked by content (not by name) and stored as the story's upload assets."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from media.models import Asset
from media.services import save_asset
from providers.base import InvalidInput
from render.inspection import UnusableMedia, inspect_media

UPLOAD_PROVIDER = "upload"
_ASSET_KIND = {"image": Asset.Kind.IMAGE, "video": Asset.Kind.VIDEO, "audio": Asset.Kind.MUSIC}


def attach_upload(*, story, path: Path, expect: tuple[str, ...]) -> Asset:
    """Check `path` by its content and store it for `story`. Raises InvalidInput saying why."""
    try:
        info = inspect_media(path)
    except UnusableMedia as exc:  # name the file: a folder of uploads may hold many
        raise InvalidInput(f"{path.name}: {exc}", provider="upload") from None
    if info.kind not in expect:
        raise InvalidInput(
            f"{path.name} is {info.kind}, expected {' or '.join(expect)}", provider="upload"
        )
    return save_asset(
        owner=story.owner,
        story=story,
        kind=_ASSET_KIND[info.kind],
        path=path,
        mime_type=info.mime or mimetypes.guess_type(path.name)[0] or "",
        source_provider=UPLOAD_PROVIDER,
        duration_ms=info.duration_ms,
        width=info.width,
        height=info.height,
    )
