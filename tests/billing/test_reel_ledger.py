"""[security] 2: the month's reels are counted from an append-only ledger written with the
move to FINALIZING, under the subscription's row lock.

Decision ([billing] 4): a final render reserves a reel (a FINAL row) when it starts, captures
it when it completes and releases it (a RELEASE row) when it fails or is canceled, so a failed
reel costs nothing; retrying it reserves again and needs a free slot then."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from billing import services as billing_services
from billing.models import Plan, ReelUsage, Subscription
from jobs import dispatch, pipeline
from jobs.models import Job
from reelmaker.errors import QuotaExceeded
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, StoryFactory, UserFactory


def _subscriber(reels: int):
    user = UserFactory()
    plan = Plan.objects.create(code=f"p{user.pk}", name="Plan", reels_per_month=reels)
    Subscription.objects.create(user=user, plan=plan)
    return user


def _ready(owner) -> Story:
    story = StoryFactory(owner=owner, duration_s=15)
    Story.objects.filter(pk=story.pk).update(status=Status.PREVIEW_READY)
    return story


@pytest.fixture
def no_broker(monkeypatch):
    monkeypatch.setattr(dispatch, "queue_story", lambda *, story_id: None)


@pytest.mark.django_db
def test_a_final_render_writes_one_ledger_row_with_its_move_to_finalizing():
    user = _subscriber(reels=3)
    story = _ready(user)

    pipeline.render_final(story_id=story.pk, inline=True)

    row = ReelUsage.objects.get()
    assert (row.user_id, row.story_id, row.kind) == (user.pk, story.pk, ReelUsage.Kind.FINAL)
    assert row.period == billing_services.month_start().date()
    assert Story.objects.get(pk=story.pk).status == Status.FINALIZING


@pytest.mark.django_db
def test_deleting_a_finished_story_does_not_give_its_slot_back():
    user = _subscriber(reels=1)
    finished = _ready(user)
    pipeline.render_final(story_id=finished.pk, inline=True)
    Story.objects.filter(pk=finished.pk).update(status=Status.COMPLETED)
    Story.objects.filter(pk=finished.pk).delete()
    story = _ready(user)
    client = APIClient()
    client.force_authenticate(user)

    response = client.post(f"/api/v1/stories/{story.pk}/render_final/")

    assert response.status_code == 402
    assert response.json()["error"]["details"] == {"reels_per_month": 1, "used": 1}
    assert Story.objects.get(pk=story.pk).status == Status.PREVIEW_READY
    assert ReelUsage.objects.count() == 1


@pytest.mark.django_db
def test_a_canceled_final_gives_its_slot_back_and_its_retry_needs_a_free_one(no_broker):
    user = _subscriber(reels=1)
    first, second = _ready(user), _ready(user)
    pipeline.render_final(story_id=first.pk, inline=True)
    pipeline.cancel_story(story_id=first.pk)
    assert Story.objects.get(pk=first.pk).status == Status.FAILED

    pipeline.render_final(story_id=second.pk, inline=True)  # the slot came back
    final_jobs = Job.objects.filter(story=first, kind=Job.Kind.ASSEMBLE, profile="final")
    with pytest.raises(QuotaExceeded):
        pipeline.retry_jobs(job_ids=list(final_jobs.values_list("pk", flat=True)))

    assert Story.objects.get(pk=first.pk).status == Status.FAILED
    assert Story.objects.get(pk=second.pk).status == Status.FINALIZING
    rows = ReelUsage.objects.order_by("id").values_list("story_id", "kind", "reels")
    assert list(rows) == [
        (first.pk, "final", -1),
        (first.pk, "release", 1),
        (second.pk, "final", -1),
    ]
    assert billing_services.reels_this_month(user=user) == 1


@pytest.mark.django_db
def test_retrying_a_final_that_was_never_counted_needs_a_free_slot(no_broker):
    user = _subscriber(reels=1)
    counted = _ready(user)
    pipeline.render_final(story_id=counted.pk, inline=True)
    failed = StoryFactory(owner=user, duration_s=15)  # its final started last month
    Story.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    job = JobFactory(story=failed, kind=Job.Kind.ASSEMBLE, profile="final", status="failed")

    with pytest.raises(QuotaExceeded):
        pipeline.retry_jobs(job_ids=[job.pk])

    assert Story.objects.get(pk=failed.pk).status == Status.FAILED
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    assert ReelUsage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_final_renders_with_one_slot_left_accept_exactly_one():
    assert connection.vendor == "postgresql"
    user = _subscriber(reels=2)
    used = _ready(user)
    ReelUsage.objects.create(user=user, story=used, period=billing_services.month_start().date())
    stories = [_ready(user) for _ in range(20)]
    barrier = threading.Barrier(len(stories))
    outcomes: list[str] = []

    def render(story_id: int) -> None:
        barrier.wait()
        try:
            pipeline.render_final(story_id=story_id, inline=True)
            outcomes.append("accepted")
        except QuotaExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=render, args=(s.pk,)) for s in stories]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted"] + ["refused"] * 19
    assert ReelUsage.objects.filter(user=user).count() == 2
    assert Story.objects.filter(owner=user, status=Status.FINALIZING).count() == 1
