"""DELETE moves a story to the trash; restore brings it back within TRASH_DAYS."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Job
from stories.models import Event, Story
from stories.states import Status
from tests.factories import JobFactory, SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db


def trashed(story, *, days_ago: float = 0):
    Story.objects.filter(pk=story.pk).update(deleted_at=timezone.now() - timedelta(days=days_ago))
    story.refresh_from_db()
    return story


def test_delete_moves_the_story_to_the_trash_and_it_vanishes_for_the_owner(api, user):
    story = StoryFactory(owner=user, status=Status.PLANNED)
    scene = SceneFactory(story=story)
    job = JobFactory(story=story)
    Event.objects.create(story=story, kind=Event.Kind.STATUS, payload={})

    response = api.delete(f"/api/v1/stories/{story.pk}/")

    assert response.status_code == 204
    story.refresh_from_db()
    assert story.deleted_at is not None
    assert story.status == Status.PLANNED
    assert api.get("/api/v1/stories/").json()["count"] == 0
    for path in (
        f"/api/v1/stories/{story.pk}/",
        f"/api/v1/stories/{story.pk}/jobs/",
        f"/api/v1/stories/{story.pk}/events/",
        f"/api/v1/scenes/{scene.pk}/",
        f"/api/v1/jobs/{job.pk}/",
    ):
        assert api.get(path).status_code == 404, path
    assert api.get("/api/v1/jobs/").json()["count"] == 0
    assert api.get("/api/v1/stories/statistics/").json()["total"] == 0
    trash = api.get("/api/v1/stories/trash/").json()
    assert [row["id"] for row in trash["results"]] == [story.pk]


def test_a_trashed_story_cannot_start_work(api, user):
    story = trashed(StoryFactory(owner=user))

    response = api.post(f"/api/v1/stories/{story.pk}/plan/")

    assert response.status_code == 404
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert not Job.objects.filter(story=story).exists()


def test_a_trashed_story_refuses_a_move_to_work_even_from_inside(user):
    from reelmaker.errors import StoryInTrash
    from stories.services import transition_story

    story = trashed(StoryFactory(owner=user))

    with pytest.raises(StoryInTrash):
        transition_story(story_id=story.pk, to=Status.PLANNING)
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert not story.transitions.exists()


def test_restore_brings_the_story_back_as_it_was(api, user):
    story = StoryFactory(owner=user, status=Status.PLANNED)
    api.delete(f"/api/v1/stories/{story.pk}/")

    response = api.post(f"/api/v1/stories/{story.pk}/restore/")

    assert response.status_code == 200
    assert response.json()["id"] == story.pk
    assert response.json()["deleted_at"] is None
    assert api.get(f"/api/v1/stories/{story.pk}/").status_code == 200
    assert api.get("/api/v1/stories/trash/").json()["count"] == 0
    story.refresh_from_db()
    assert story.deleted_at is None
    assert story.status == Status.PLANNED


def test_restore_after_trash_days_is_404_and_changes_nothing(api, user, settings):
    settings.TRASH_DAYS = 30
    story = trashed(StoryFactory(owner=user), days_ago=31)

    response = api.post(f"/api/v1/stories/{story.pk}/restore/")

    assert response.status_code == 404
    story.refresh_from_db()
    assert story.deleted_at is not None


def test_another_users_trash_is_not_restorable(other_api, user):
    story = trashed(StoryFactory(owner=user))

    assert other_api.post(f"/api/v1/stories/{story.pk}/restore/").status_code == 404
    story.refresh_from_db()
    assert story.deleted_at is not None


def test_a_story_at_work_is_not_trashed(api, user):
    story = StoryFactory(owner=user, status=Status.PREVIEWING)

    assert api.delete(f"/api/v1/stories/{story.pk}/").status_code == 409
    story.refresh_from_db()
    assert story.deleted_at is None
