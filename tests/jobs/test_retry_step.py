"""Retrying the one failed job of a step brings back the jobs its failure canceled."""

import pytest

from jobs import inline, pipeline, services
from jobs.models import Job
from providers import registry as providers
from providers.base import PermanentProviderError
from reelmaker.celery import app as celery_app
from stories import services as story_services
from stories.states import Status
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_retrying_only_the_failed_job_completes_the_step(monkeypatch, eager_celery):
    story = story_services.create_story(
        owner=UserFactory(), keyword="harbour sunrise", language="en", duration_s=8
    )
    pipeline.plan_story(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    real_provider = providers.get_voice_provider()

    class BrokenVoice:
        def synthesize(self, **kwargs):
            raise PermanentProviderError("voice engine is down", provider="test-voice")

    monkeypatch.setattr(providers, "get_voice_provider", lambda: BrokenVoice())
    pipeline.generate_preview(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)

    story.refresh_from_db()
    assert story.status == Status.FAILED
    failed = Job.objects.filter(story=story, status=Job.Status.FAILED)
    assert failed.count() >= 1
    canceled = Job.objects.filter(story=story, error_code=services.SIBLING_FAILED)
    assert canceled.filter(kind=Job.Kind.ASSEMBLE).exists()

    monkeypatch.setattr(providers, "get_voice_provider", lambda: real_provider)
    pipeline.retry_jobs(job_ids=list(failed.values_list("pk", flat=True)))

    story.refresh_from_db()
    assert story.status == Status.PREVIEW_READY
    assert story.preview is not None
    assert not Job.objects.filter(
        story=story, status__in=(Job.Status.QUEUED, Job.Status.FAILED, Job.Status.CANCELED)
    ).exists()


def test_retrying_a_failed_scene_regeneration_finishes_with_a_preview(monkeypatch, eager_celery):
    story = story_services.create_story(
        owner=UserFactory(), keyword="night market", language="en", duration_s=8
    )
    pipeline.plan_story(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    real_provider = providers.get_voice_provider()

    class BrokenVoice:
        def synthesize(self, **kwargs):
            raise PermanentProviderError("voice engine is down", provider="test-voice")

    monkeypatch.setattr(providers, "get_voice_provider", lambda: BrokenVoice())
    first_scene = story.scenes.order_by("position").first()
    pipeline.regenerate_scene(scene_id=first_scene.pk, what="voice")

    story.refresh_from_db()
    assert story.status == Status.FAILED
    failed = Job.objects.get(story=story, status=Job.Status.FAILED)
    assert failed.kind == Job.Kind.VOICE

    monkeypatch.setattr(providers, "get_voice_provider", lambda: real_provider)
    pipeline.retry_jobs(job_ids=[failed.pk])

    story.refresh_from_db()
    assert story.status == Status.PREVIEW_READY
    assert story.preview is not None
    assert Job.objects.filter(story=story, kind=Job.Kind.ASSEMBLE, profile="preview").count() == 1
