"""How long files are kept: trashed stories are purged with their files after TRASH_DAYS, uploads
never attached to a story after UPLOAD_ORPHAN_DAYS. Files go through default_storage (local
or S3), only once the rows that named them are gone for good (after the commit), and never
while another Asset row still names the same stored file."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone

from media.models import Asset
from media.services import UPLOAD_PROVIDER
from stories.models import Story
from stories.selectors import trash_cutoff

log = logging.getLogger(__name__)


def _asset_links() -> list[ForeignObjectRel]:
    """Every foreign key that points at Asset (scene visuals and voices, a story's reel, a job's
    output, ...), found from the models so that a new link is covered without a change here."""
    return [
        rel
        for rel in Asset._meta.get_fields(include_hidden=True)
        if isinstance(rel, ForeignObjectRel) and rel.field.model is not Asset
    ]


def users_of_assets(
    asset_ids: Iterable[int], *, except_story_id: int | None = None
) -> dict[int, int | None]:
    """{asset id: id of a story that uses it} for the assets that some row links to, leaving
    out the rows of `except_story_id` (they go with it)."""
    ids = list(asset_ids)
    used: dict[int, int | None] = {}
    if not ids:
        return used
    for rel in _asset_links():
        model, field = rel.field.model, rel.field
        rows = model._base_manager.filter(**{f"{field.name}__in": ids})
        if model is Story:
            story_of = "pk"
        elif any(f.name == "story" for f in model._meta.concrete_fields):
            story_of = "story_id"
        else:  # a link from a row that belongs to no story: the asset stays, unattached
            story_of = None
        if except_story_id is not None and story_of is not None:
            rows = rows.exclude(**{story_of: except_story_id})
        values = [field.attname, story_of] if story_of else [field.attname]
        for row in rows.values_list(*values):
            used.setdefault(row[0], row[1] if story_of else None)
    return used


def _stored_under(prefix: str) -> list[str]:
    """Every stored name under `prefix` (a folder on local storage, a key prefix on S3)."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [f"{prefix}/{name}" for name in files]
    for folder in folders:
        names += _stored_under(f"{prefix}/{folder}")
    return names


def delete_stored_files(names: Iterable[str]) -> int:
    """Delete stored files that no Asset row names any more. Safe to repeat; a file that is
    already gone is skipped. Returns how many were deleted."""
    names = {name for name in names if name}
    in_use = set(Asset.objects.filter(file__in=names).values_list("file", flat=True))
    deleted = 0
    for name in sorted(names - in_use):
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
                deleted += 1
        except OSError:  # one unreadable file must not keep the others
            log.warning("could not delete stored file %s", name, exc_info=True)
    return deleted


def delete_files_after_commit(names: Iterable[str]) -> None:
    """Delete the files once the transaction that dropped their rows has committed: a rollback
    then leaves rows and files as they were."""
    names = list(names)
    transaction.on_commit(lambda: delete_stored_files(names))


@transaction.atomic
def purge_story(*, story_id: int) -> bool:
    """Delete a story for good with its scenes, jobs, events and assets, then (after commit)
    its files. An asset another story still uses (a duplicate's scenes keep the original's
    visuals and voices) moves to that story with its file. Safe to repeat: False when the
    story is already gone."""
    story = Story.objects.select_for_update().filter(pk=story_id).first()
    if story is None:
        return False
    asset_ids = list(Asset.objects.filter(story=story).values_list("pk", flat=True))
    for asset_id, user_story_id in users_of_assets(asset_ids, except_story_id=story_id).items():
        Asset.objects.filter(pk=asset_id).update(story_id=user_story_id, updated_at=timezone.now())
    names = set(Asset.objects.filter(story=story).values_list("file", flat=True))
    names |= set(_stored_under(f"stories/{story_id}"))
    story.delete()
    delete_files_after_commit(names)
    return True


def purge_trashed_stories(*, now: datetime | None = None) -> int:
    """Purge the stories that have been in the trash longer than TRASH_DAYS, one transaction
    each. Returns how many. Safe to repeat."""
    due = Story.objects.filter(deleted_at__lt=trash_cutoff(now)).values_list("pk", flat=True)
    return sum(purge_story(story_id=story_id) for story_id in list(due))


@transaction.atomic
def remove_orphan_uploads(*, now: datetime | None = None) -> int:
    """Delete uploads never attached to a story, older than UPLOAD_ORPHAN_DAYS and not used by
    any row, then (after commit) their files. Returns how many. Safe to repeat."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.UPLOAD_ORPHAN_DAYS)
    stale = Asset.objects.select_for_update().filter(
        story=None, source_provider=UPLOAD_PROVIDER, created_at__lt=cutoff
    )
    ids = set(stale.values_list("pk", flat=True))
    ids -= set(users_of_assets(ids))
    names = list(Asset.objects.filter(pk__in=ids).values_list("file", flat=True))
    Asset.objects.filter(pk__in=ids).delete()
    delete_files_after_commit(names)
    return len(ids)
