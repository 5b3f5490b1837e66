"""The periodic cleanups: trashed stories with their files, orphan uploads, the clip cache,
expired idempotency records, refresh tokens and task results. Old rows go, new ones stay."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_celery_results.models import TaskResult
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from media import retention
from media.models import Asset
from media.services import UPLOAD_PROVIDER
from reelmaker import housekeeping
from reelmaker.celery import app as celery_app
from scenes.models import Scene
from scenes.services import clip_cache
from stories.models import IdempotencyRecord, Story
from stories.states import Status
from tests.factories import JobFactory, SceneFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD = timezone.now() - timedelta(days=400)


def stored_asset(story, name: str, *, owner=None, kind=Asset.Kind.IMAGE, **fields) -> Asset:
    stored = default_storage.save(name, ContentFile(b"bytes of " + name.encode()))
    return Asset.objects.create(
        owner=owner or story.owner, story=story, kind=kind, file=stored, **fields
    )


def exists(asset_or_name) -> bool:
    name = getattr(getattr(asset_or_name, "file", None), "name", asset_or_name)
    return (Path(default_storage.location) / name).exists()


def trash(story, *, days_ago: int):
    Story.objects.filter(pk=story.pk).update(deleted_at=timezone.now() - timedelta(days=days_ago))


def test_purge_removes_stories_past_trash_days_with_their_files_after_commit(
    settings, django_capture_on_commit_callbacks
):
    settings.TRASH_DAYS = 30
    old, recent, live = StoryFactory(), StoryFactory(), StoryFactory()
    old_files = [stored_asset(old, f"stories/{old.pk}/image/a.png")]
    old_files.append(stored_asset(old, f"stories/{old.pk}/video/reel.mp4", kind="video"))
    Story.objects.filter(pk=old.pk).update(final=old_files[1])
    stray = default_storage.save(f"stories/{old.pk}/audio/left-over.m4a", ContentFile(b"x"))
    SceneFactory(story=old, visual=old_files[0])
    JobFactory(story=old, output=old_files[1])
    kept = [stored_asset(recent, f"stories/{recent.pk}/image/b.png")]
    kept.append(stored_asset(live, f"stories/{live.pk}/image/c.png"))
    trash(old, days_ago=31)
    trash(recent, days_ago=29)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert retention.purge_trashed_stories() == 1
    assert all(exists(a) for a in old_files)  # nothing is deleted before the commit
    for callback in callbacks:
        callback()

    assert not Story.objects.filter(pk=old.pk).exists()
    assert not Asset.objects.filter(story_id=old.pk).exists()
    assert not any(exists(a) for a in old_files)
    assert not exists(stray)
    assert all(exists(a) for a in kept)
    assert set(Story.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge_trashed_stories() == 0  # safe to repeat


def test_purge_keeps_an_asset_another_story_still_uses(django_capture_on_commit_callbacks):
    original = StoryFactory()
    visual = stored_asset(original, f"stories/{original.pk}/image/shared.png", sha256="ab" * 32)
    own = stored_asset(original, f"stories/{original.pk}/image/own.png")
    copy = StoryFactory(owner=original.owner)
    scene = SceneFactory(story=copy, visual=visual)  # a duplicate keeps the original's visual
    trash(original, days_ago=400)

    with django_capture_on_commit_callbacks(execute=True):
        retention.purge_trashed_stories()

    visual.refresh_from_db()
    scene.refresh_from_db()
    assert visual.story_id == copy.pk
    assert scene.visual_id == visual.pk
    assert exists(visual)
    assert not exists(own)


def test_a_rolled_back_purge_keeps_rows_and_files(django_capture_on_commit_callbacks):
    story = StoryFactory()
    asset = stored_asset(story, f"stories/{story.pk}/image/a.png")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retention.purge_story(story_id=story.pk)
    # The transaction never commits: its callbacks never run.
    del callbacks

    assert exists(asset)


def test_orphan_uploads_older_than_the_setting_are_removed(
    settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_ORPHAN_DAYS = 7
    user = UserFactory()
    fields = {"owner": user, "source_provider": UPLOAD_PROVIDER}
    old = stored_asset(None, f"uploads/{user.pk}/image/old.png", **fields)
    new = stored_asset(None, f"uploads/{user.pk}/image/new.png", **fields)
    attached = stored_asset(StoryFactory(owner=user), "stories/x/image/att.png", **fields)
    Asset.objects.filter(pk__in=[old.pk, attached.pk]).update(created_at=OLD)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.remove_orphan_uploads() == 1

    assert set(Asset.objects.values_list("pk", flat=True)) == {new.pk, attached.pk}
    assert not exists(old)
    assert exists(new)
    assert exists(attached)


def _cache_file(name: str, *, old: bool) -> str:
    stored = default_storage.save(name, ContentFile(b"clip"))
    if old:
        path = Path(default_storage.path(stored))
        os.utime(path, (OLD.timestamp(), OLD.timestamp()))
    return stored


def test_unused_cached_clips_older_than_the_setting_are_removed(settings):
    settings.CLIP_CACHE_DAYS = 14
    working = SceneFactory(story=StoryFactory(status=Status.PREVIEW_READY), render_key="inuse")
    SceneFactory(story=StoryFactory(status=Status.COMPLETED), render_key="done")
    old_unused = _cache_file("clips/unused.mp4", old=True)
    old_done = _cache_file("clips/done.mp4", old=True)
    old_in_use = _cache_file(f"clips/{working.render_key}.mp4", old=True)
    new_clip = _cache_file("clips/fresh.mp4", old=False)
    old_audio = _cache_file("audio/mix.m4a", old=True)
    new_audio = _cache_file("audio/new.m4a", old=False)

    assert clip_cache.remove_unused_clips() == 3

    assert not exists(old_unused)
    assert not exists(old_done)
    assert not exists(old_audio)
    assert exists(old_in_use)
    assert exists(new_clip)
    assert exists(new_audio)
    assert Scene.objects.count() == 2
    assert clip_cache.remove_unused_clips() == 0


def test_expired_records_are_purged_and_new_ones_kept():
    user = UserFactory()
    old_key = IdempotencyRecord.objects.create(
        user=user, key="old", method="POST", path="/", fingerprint="f"
    )
    new_key = IdempotencyRecord.objects.create(
        user=user, key="new", method="POST", path="/", fingerprint="f"
    )
    IdempotencyRecord.objects.filter(pk=old_key.pk).update(created_at=OLD)
    now = timezone.now()
    expired = OutstandingToken.objects.create(
        user=user, jti="old", token="t1", created_at=OLD, expires_at=now - timedelta(seconds=1)
    )
    BlacklistedToken.objects.create(token=expired)
    valid = OutstandingToken.objects.create(
        user=user, jti="new", token="t2", created_at=now, expires_at=now + timedelta(days=1)
    )
    TaskResult.objects.create(task_id="old", status="SUCCESS")
    TaskResult.objects.filter(task_id="old").update(date_done=OLD)
    TaskResult.objects.create(task_id="new", status="SUCCESS")

    counts = housekeeping.purge_expired_records()

    assert counts == {"idempotency_records": 1, "refresh_tokens": 1, "task_results": 1}
    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [new_key.pk]
    assert list(OutstandingToken.objects.values_list("pk", flat=True)) == [valid.pk]
    assert not BlacklistedToken.objects.exists()
    assert list(TaskResult.objects.values_list("task_id", flat=True)) == ["new"]


def test_every_beat_entry_names_a_registered_task(settings):
    celery_app.loader.import_default_modules()

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name


def test_the_periodic_task_runs_the_purge(settings, django_capture_on_commit_callbacks):
    story = StoryFactory()
    asset = stored_asset(story, f"stories/{story.pk}/image/a.png")
    trash(story, days_ago=settings.TRASH_DAYS + 1)
    celery_app.loader.import_default_modules()

    with django_capture_on_commit_callbacks(execute=True):
        result = celery_app.tasks["reelmaker.tasks.purge_trashed_stories_task"].apply()

    assert result.get() == 1
    assert not Story.objects.filter(pk=story.pk).exists()
    assert not exists(asset)
