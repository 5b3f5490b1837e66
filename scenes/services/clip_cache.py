"""Expiry of the render cache: scene clips (`clips/<key>.mp4`) and mixed story audio
(`audio/<key>.m4a`) are keyed by content and shared by every story that renders the same
thing, so they belong to no story and are removed by age instead, when nothing uses them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from scenes.models import Scene
from scenes.services.rendering import audio_name, clip_name
from scenes.services.timeline import scan_name
from stories.states import TERMINAL

log = logging.getLogger(__name__)

CACHE_FOLDERS = (PurePosixPath(clip_name("x")).parent, PurePosixPath(audio_name("x")).parent)


def clips_in_use() -> set[str]:
    """The stored names of the clips last rendered for scenes of stories that may still render
    or assemble (not finished, not in the trash): an edit then re-renders only what changed."""
    keys = (
        Scene.objects.filter(story__deleted_at__isnull=True)
        .exclude(story__status__in=TERMINAL)
        .exclude(render_key="")
        .values_list("render_key", flat=True)
    )
    # With each clip, the QC scan stored beside it (scenes.services.timeline.scan_name).
    return {name for key in keys for name in (clip_name(key), scan_name(clip_name(key)))}


def remove_unused_clips(*, now: datetime | None = None) -> int:
    """Delete cached clips and mixed audio older than CLIP_CACHE_DAYS that no live scene names
    (a later render makes them again when needed). Returns how many. Safe to repeat."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CLIP_CACHE_DAYS)
    keep = clips_in_use()
    removed = 0
    for folder in CACHE_FOLDERS:
        try:
            _folders, files = default_storage.listdir(str(folder))
        except FileNotFoundError:
            continue
        for file in files:
            name = f"{folder}/{file}"
            if name in keep:
                continue
            try:
                if default_storage.get_modified_time(name) < cutoff:
                    default_storage.delete(name)
                    removed += 1
            except OSError:  # gone meanwhile, or unreadable: the next run sees it again
                log.warning("could not expire cached file %s", name, exc_info=True)
    return removed
