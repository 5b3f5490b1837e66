"""A song reel's song and lyric video on real Celery workers: the song on the default queue,
the lyric video on the `render` queue that FFmpeg machines consume."""

from __future__ import annotations

import pytest
from django_celery_results.models import TaskResult

from jobs.models import Job
from places.models import Place, SongReel
from places.services import places, song_reels, song_requests
from stories.models import Event
from stories.states import Status
from tests.durability.support import wait_for_story
from tests.factories import UserFactory
from tests.places.helpers import PLACES, photo_upload
from tests.realservices import broker, celery_workers, redis_server  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_the_song_and_the_lyric_video_run_on_workers(celery_workers):  # noqa: F811
    general = celery_workers("general", queues="default")
    render = celery_workers("render", queues="render")
    owner = UserFactory()
    place = places.create_place(
        owner=owner, data={**PLACES["ko"], "category": Place.Category.CAFE, "language": "ko"}
    )
    places.add_photo_upload(place=place, file=photo_upload(0))
    reel = song_reels.start_song_reel(owner=owner, place=place, language="ko", duration_s=15)

    song_requests.request_song(reel=reel)
    wait_for_story(reel.story_id, Status.PLANNED, celery_workers)
    reel.refresh_from_db()
    assert reel.sketch
    assert len(reel.words) >= 4  # two lines of words: 15 s, the last 2.5 under the end card
    song_requests.request_render(reel=reel, profile="preview")
    story = wait_for_story(reel.story_id, Status.PREVIEW_READY, celery_workers)

    reel = SongReel.objects.get(pk=reel.pk)
    assert story.preview_id == reel.video_id is not None
    assert reel.status == SongReel.Status.RENDERED
    jobs = list(story.jobs.order_by("pk"))
    assert [(j.kind, j.status, j.attempts) for j in jobs] == [
        (Job.Kind.SONG, Job.Status.SUCCEEDED, 1),
        (Job.Kind.LYRIC_VIDEO, Job.Status.SUCCEEDED, 1),
    ]
    results = TaskResult.objects.filter(task_id__in=[j.celery_task_id for j in jobs])
    assert set(results.values_list("task_name", "worker")) == {
        ("jobs.tasks.run_job_task", general.hostname),
        ("jobs.tasks.run_render_job_task", render.hostname),
    }
    statuses = [e.payload["to"] for e in story.events.filter(kind=Event.Kind.STATUS)]
    assert statuses == ["PLANNING", "PLANNED", "PREVIEWING", "PREVIEW_READY"]
