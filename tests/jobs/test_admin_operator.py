"""The operator's admin: figures on the index that match the database and link to their lists;
the story list's columns; the story page's players, QC report, cost and job timeline with
retry and cancel."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape
from unittest import mock

import pytest
from django.utils import timezone

from billing.models import UsageRecord
from jobs.models import Job
from media.services import save_asset
from stories.models import Story
from tests.factories import JobFactory, SceneFactory, StoryFactory, UserFactory
from tests.scenes.render_fixtures import make_still

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _figures(html: str) -> dict[str, tuple[str, str]]:
    """label -> (value, link) as the index shows them."""
    found = re.findall(
        r'<a href="([^"]+)"><strong class="figure-value">([^<]+)</strong> '
        r'<span class="figure-label">([^<]+)</span>',
        html,
    )
    return {unescape(label): (value, unescape(url)) for url, value, label in found}


def _usage(user, usd: str, at) -> None:
    record = UsageRecord.objects.create(
        user=user, provider="openai", model="m", unit="images", units=1, cost_usd=Decimal(usd)
    )
    UsageRecord.objects.filter(pk=record.pk).update(created_at=at)


def test_index_figures_match_the_database_and_link_to_filtered_lists(client, staff):
    now = timezone.now()
    story = StoryFactory()
    JobFactory.create_batch(2, story=story, kind=Job.Kind.VISUAL)
    JobFactory(story=story, kind=Job.Kind.SCENE_RENDER)
    JobFactory(story=story, kind=Job.Kind.VOICE, status=Job.Status.RUNNING, started_at=now)
    recent, old = now - timedelta(hours=2), now - timedelta(hours=30)
    failed = {"status": Job.Status.FAILED}
    JobFactory(story=story, kind=Job.Kind.VOICE, started_at=recent, finished_at=recent, **failed)
    JobFactory(story=story, kind=Job.Kind.PLAN, started_at=old, finished_at=old, **failed)
    local = timezone.localtime(now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month = today.replace(day=1)
    _usage(story.owner, "1.25", now)
    _usage(story.owner, "0.50", month)
    _usage(story.owner, "9.00", month - timedelta(days=1))

    response = client.get("/admin/")

    assert response.status_code == 200
    figures = _figures(response.content.decode())
    assert figures["default queue"][0] == "2"
    assert figures["render queue"][0] == "1"
    assert figures["webhooks queue"][0] == "0"
    assert figures["running now"][0] == "1"
    assert figures["running in the last 24 h"][0] == "2"
    assert figures["failed in the last 24 h"][0] == "1"
    expected_today = Decimal("1.25") + (Decimal("0.50") if month == today else 0)
    assert figures["provider cost today"][0] == f"${expected_today:.2f}"
    assert figures["provider cost this month"][0] == "$1.75"
    failed = client.get(figures["failed in the last 24 h"][1])
    assert failed.status_code == 200
    assert list(failed.context["cl"].queryset.values_list("kind", flat=True)) == ["voice"]
    render = client.get(figures["render queue"][1])
    assert [j.kind for j in render.context["cl"].queryset] == ["scene_render"]
    month_list = client.get(figures["provider cost this month"][1])
    assert month_list.context["cl"].result_count == 2


def test_the_index_is_for_staff_only(client):
    client.force_login(UserFactory())

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "figure-value" not in response.content.decode()


def _reel(story, tmp_path):
    thumb = save_asset(
        owner=story.owner, story=story, kind="thumbnail",
        path=make_still(tmp_path / "t.png", seed=1), mime_type="image/png",
    )  # fmt: skip
    final = save_asset(
        owner=story.owner, story=story, kind="video",
        path=make_still(tmp_path / "f.png", seed=2), mime_type="video/mp4",
        source_provider="render", duration_ms=31_400,
    )  # fmt: skip
    final.qc = {
        "status": "WARN", "profile": "final", "aspect": "9:16", "failed": [],
        "rerendered": False, "elapsed_s": 1.0,
        "checks": [
            {"name": "loudness", "status": "WARN", "value": "-16.2 LUFS",
             "limit": "-14 ± 1.5", "message": "a little quiet"},
            {"name": "codec", "status": "PASS", "value": "h264", "limit": "h264", "message": ""},
        ],
    }  # fmt: skip
    final.save(update_fields=["qc"])
    Story.objects.filter(pk=story.pk).update(thumbnail=thumb, final=final)
    story.refresh_from_db()
    return story


def test_story_list_shows_thumbnail_badge_length_cost_and_qc(client, staff, tmp_path):
    story = _reel(StoryFactory(title="A very long title about morning coffee in Seoul"), tmp_path)
    _usage(story.owner, "0.1234", timezone.now())
    UsageRecord.objects.update(story=story)

    response = client.get("/admin/stories/story/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="rm-thumb"' in html
    assert 'class="rm-badge rm-badge--idle">Draft<' in html
    assert ">0:31<" in html
    assert ">0.1234<" in html
    assert "WARN: loudness" in html
    assert "admin/reelmaker.css" in html  # the title column keeps its width


def test_story_page_shows_players_qc_cost_and_the_job_timeline(client, staff, tmp_path):
    story = _reel(StoryFactory(), tmp_path)
    scene = SceneFactory(story=story, position=0)
    failed = JobFactory(story=story, scene=scene, kind=Job.Kind.VISUAL, status=Job.Status.FAILED,
                        error_message="Visual step failed: provider said no")  # fmt: skip
    running = JobFactory(story=story, kind=Job.Kind.VOICE, status=Job.Status.RUNNING, progress=40)
    done = JobFactory(story=story, kind=Job.Kind.PLAN, status=Job.Status.SUCCEEDED, progress=100)
    _usage(story.owner, "0.2000", timezone.now())
    UsageRecord.objects.update(story=story)

    response = client.get(f"/admin/stories/story/{story.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<video class="rm-player"') == 1  # the final; no preview yet
    assert "No preview yet." in html
    assert 'class="rm-thumb rm-thumb--large"' in html
    assert "a little quiet" in html
    assert "-16.2 LUFS" in html
    assert response.context["cost_spent"] == Decimal("0.2000")
    assert '<span class="rm-cost__spent">0.2000</span>' in html
    assert "provider said no" in html
    assert 'value="40"' in html
    assert f"/jobs/{failed.pk}/retry/" in html
    assert f"/jobs/{running.pk}/cancel/" in html
    assert f"/jobs/{done.pk}/retry/" not in html
    assert f"/jobs/{done.pk}/cancel/" not in html


def test_retry_beside_a_failed_job_calls_the_pipeline_and_comes_back(client, staff):
    story = StoryFactory()
    job = JobFactory(story=story, kind=Job.Kind.VISUAL, status=Job.Status.FAILED)

    with mock.patch("jobs.pipeline.retry_jobs", return_value=[job]) as retry:
        response = client.post(f"/admin/stories/story/{story.pk}/jobs/{job.pk}/retry/")

    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/stories/story/{story.pk}/change/")
    retry.assert_called_once_with(job_ids=[job.pk], by=staff)


def test_cancel_beside_a_running_job_cancels_it(client, staff):
    story = StoryFactory(status=Story.Status.PLANNING)
    job = JobFactory(story=story, kind=Job.Kind.PLAN, status=Job.Status.QUEUED)

    response = client.post(f"/admin/stories/story/{story.pk}/jobs/{job.pk}/cancel/", follow=True)

    job.refresh_from_db()
    assert job.status == Job.Status.CANCELED
    assert "1 job(s) canceled." in response.content.decode()


def test_a_job_of_another_story_is_not_touched(client, staff):
    story, other = StoryFactory(), StoryFactory()
    job = JobFactory(story=other, kind=Job.Kind.PLAN, status=Job.Status.QUEUED)

    response = client.post(f"/admin/stories/story/{story.pk}/jobs/{job.pk}/cancel/")

    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_a_get_changes_nothing(client, staff):
    story = StoryFactory()
    job = JobFactory(story=story, kind=Job.Kind.PLAN, status=Job.Status.QUEUED)

    client.get(f"/admin/stories/story/{story.pk}/jobs/{job.pk}/cancel/")

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
