"""A song reel's song and lyric video as jobs of its story: 202 with the job, the story's
state machine and events, a final charged like any reel's (and free when it fails), the post
text from the place's SEO, and the Suno-style gateway polled inside the job: a timeout fails
with its code and a retry (or a 429 while polling) resumes the task it had, never a new one."""

from __future__ import annotations

import pytest

from billing.models import ReelUsage
from jobs import pipeline
from jobs.inline import run_with_retries
from jobs.models import Job
from places.models import Place, SongReel
from places.services import places, song_reels
from provenance import seo as provenance_seo
from publishing.services import refuse_what_breaks_rules
from stories.models import Event, Story
from stories.states import Status
from tests.places.fake_suno import API_KEY, FakeSuno, make_track
from tests.places.helpers import PLACES, photo_upload

pytestmark = pytest.mark.django_db


def _place(user, language: str = "en", photos: int = 2) -> Place:
    place = places.create_place(
        owner=user,
        data={**PLACES[language], "category": Place.Category.CAFE, "language": language},
    )
    for index in range(photos):
        places.add_photo_upload(place=place, file=photo_upload(index))
    return place


def _events(story_id: int, kind: str) -> list[dict]:
    rows = Event.objects.filter(story_id=story_id, kind=kind).order_by("pk")
    return [row.payload for row in rows]


def test_song_and_final_render_run_as_jobs_of_the_reels_story(api, user):
    place = _place(user)
    made = api.post("/api/v1/song-reels/", {"place": place.pk, "duration_s": 15}, format="json")
    assert made.status_code == 201, made.json()
    reel_id, story_id = made.json()["id"], made.json()["story"]
    story = Story.objects.get(pk=story_id)
    assert (story.keyword, story.language, story.status) == ("Harbor Bean", "en", Status.DRAFT)

    narrated = api.post(f"/api/v1/stories/{story_id}/plan")
    assert narrated.status_code == 409  # a song reel's story takes its own steps only
    assert "song reel" in narrated.json()["error"]["message"]
    assert Story.objects.get(pk=story_id).status == Status.DRAFT
    asked = api.post(f"/api/v1/song-reels/{reel_id}/song")
    assert asked.status_code == 202, asked.json()
    job = asked.json()["job"]
    assert (job["kind"], job["status"], job["story"]) == ("song", "queued", story_id)
    assert Story.objects.get(pk=story_id).status == Status.PLANNING
    again = api.post(f"/api/v1/song-reels/{reel_id}/song")
    assert again.status_code == 409  # one song job at a time
    run_with_retries(job_id=job["id"])
    assert Story.objects.get(pk=story_id).status == Status.PLANNED
    song_events = [e for e in _events(story_id, Event.Kind.JOB) if e["kind"] == "song"]
    assert [e["status"] for e in song_events] == ["running", "succeeded"]
    assert any(e["kind"] == "song" for e in _events(story_id, Event.Kind.PROGRESS))
    listed = api.get(f"/api/v1/stories/{story_id}/events")
    assert listed.status_code == 200
    assert "song" in listed.content.decode()

    rendering = api.post(f"/api/v1/song-reels/{reel_id}/render", {"profile": "final"})
    assert rendering.status_code == 202, rendering.json()
    assert rendering.json()["status"] == "rendering"
    render_job = rendering.json()["job"]
    assert (render_job["kind"], render_job["profile"]) == ("lyric_video", "final")
    assert ReelUsage.objects.filter(story_id=story_id, kind=ReelUsage.Kind.FINAL).count() == 1
    run_with_retries(job_id=render_job["id"])

    story = Story.objects.get(pk=story_id)
    reel = SongReel.objects.get(pk=reel_id)
    assert story.status == Status.COMPLETED
    assert story.final_id == reel.video_id is not None
    assert story.thumbnail is not None
    assert story.thumbnail.mime_type == "image/jpeg"
    srt = story.captions_srt.file.read().decode()
    first_word = reel.words[0]
    assert first_word["text"] in srt
    start = srt.split("\n")[1].split(" --> ")[0]  # "00:00:01,250"
    h, m, rest = start.split(":")
    start_ms = (int(h) * 60 + int(m)) * 60_000 + int(rest.replace(",", ""))
    assert abs(start_ms - first_word["start_ms"]) <= 100, (start_ms, first_word)
    assert story.captions_vtt.file.read().decode().startswith("WEBVTT")
    assert api.get(f"/api/v1/song-reels/{reel_id}").json()["status"] == "rendered"
    # Charged like any reel: the month's reel kept, the hold captured.
    assert ReelUsage.objects.filter(story_id=story_id, kind=ReelUsage.Kind.CAPTURE).count() == 1
    (qc,) = _events(story_id, Event.Kind.QC)
    assert (qc["profile"], qc["failed"]) == ("final", [])

    # Publishing: the story's post text is the place's SEO, within each platform's limits.
    posts = {p.platform: p for p in provenance_seo.proposed_posts(story)}
    assert posts["youtube"].writer == provenance_seo.PLACE
    assert posts["youtube"].title.startswith("Harbor Bean")
    assert 45 <= len(posts["youtube"].title) <= 65
    assert posts["instagram"].title == ""  # a Reel has no title
    assert "#HarborBean" in posts["tiktok"].hashtags
    refuse_what_breaks_rules(story=story, platforms=["youtube", "instagram", "tiktok"])
    edited = api.patch(
        f"/api/v1/stories/{story_id}/seo",
        {"platform": "youtube", "title": "Harbor Bean, Busan: the song"},
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    seo = api.get(f"/api/v1/song-reels/{reel_id}/seo").json()
    assert seo["youtube"]["title"] == "Harbor Bean, Busan: the song"  # one post text, not two


def test_a_failed_final_costs_nothing_and_its_retry_renders_the_lyric_video_only(user, api):
    from places.services import song_requests

    place = _place(user, photos=1)
    refused = api.post(
        "/api/v1/song-reels/",
        {"place": place.pk, "callback_url": "http://127.0.0.1:9/hook"},
        format="json",
    )
    assert refused.status_code == 400  # a private address is never called back
    reel = song_reels.start_song_reel(
        owner=user,
        place=place,
        language="en",
        duration_s=15,
        callback_url="https://hooks.example.com/song",
    )
    run_with_retries(job_id=song_requests.request_song(reel=reel).pk)
    reel.refresh_from_db()
    job = song_requests.request_render(reel=reel, profile="final")
    place.photos.all().delete()  # the render finds no photo: it fails
    run_with_retries(job_id=job.pk)

    job.refresh_from_db()
    story = Story.objects.get(pk=reel.story_id)
    assert job.status == Job.Status.FAILED
    assert "photo" in job.error_message
    assert story.status == Status.FAILED
    kinds = set(ReelUsage.objects.filter(story=story).values_list("kind", flat=True))
    assert kinds == {ReelUsage.Kind.FINAL, ReelUsage.Kind.RELEASE}
    assert api_status(reel) == "failed"
    webhook = story.jobs.get(kind=Job.Kind.WEBHOOK)  # the callback hears of the failure
    assert webhook.status == Job.Status.QUEUED

    retried = pipeline.retry_jobs(job_ids=[job.pk])
    assert [j.kind for j in retried] == [Job.Kind.LYRIC_VIDEO]  # no scene clips, no assembly
    assert Story.objects.get(pk=story.pk).status == Status.FINALIZING
    kinds = set(story.jobs.values_list("kind", flat=True))
    assert kinds == {Job.Kind.SONG, Job.Kind.LYRIC_VIDEO, Job.Kind.WEBHOOK}


def api_status(reel: SongReel) -> str:
    return song_reels.status_of(SongReel.objects.get(pk=reel.pk))


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = FakeSuno(make_track(tmp_path_factory.mktemp("suno") / "track.mp3"))
    yield server
    server.close()


@pytest.fixture
def suno(gateway, settings):
    gateway.state.mode, gateway.state.polls = "ok", 0
    gateway.state.requests.clear()
    settings.FETCH_ALLOW_PRIVATE_URLS = True  # the local server is on 127.0.0.1
    settings.REELMAKER_SONG = "suno"
    settings.SUNO_API_KEY = API_KEY
    settings.SUNO_BASE_URL = gateway.url
    settings.SONG_POLL_FIRST_S = 0.01
    settings.SONG_POLL_MAX_S = 0.05
    return gateway


def _generates(gateway) -> int:
    return sum(1 for method, path, _b in gateway.state.requests if path == "/api/v1/generate")


def _song_job(user) -> tuple[SongReel, Job]:
    from places.services import song_requests

    place = _place(user, photos=0)
    reel = song_reels.start_song_reel(owner=user, place=place, language="en", duration_s=15)
    return reel, song_requests.request_song(reel=reel)


def test_a_gateway_timeout_fails_with_its_code_and_a_retry_polls_the_same_task(
    suno, settings, user
):
    settings.SONG_POLL_DEADLINE_S = 0.3
    suno.state.mode = "never"
    reel, job = _song_job(user)
    run_with_retries(job_id=job.pk)

    job.refresh_from_db()
    reel.refresh_from_db()
    assert (job.status, job.error_code) == (Job.Status.FAILED, "SONG_TIMEOUT")
    assert "not ordered twice" in job.error_message
    assert reel.gateway_task_id == "task-1"  # kept for the retry
    assert Story.objects.get(pk=reel.story_id).status == Status.FAILED

    suno.state.mode = "ok"
    pipeline.retry_jobs(job_ids=[job.pk])
    run_with_retries(job_id=job.pk)
    job.refresh_from_db()
    reel.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert _generates(suno) == 1  # polled again, not generated (and paid for) again
    assert reel.song_id is not None
    assert reel.provider == "suno"
    assert Story.objects.get(pk=reel.story_id).status == Status.PLANNED


def test_a_429_while_polling_retries_the_job_on_the_same_task(suno, user):
    suno.state.mode = "busy_once"
    reel, job = _song_job(user)
    run_with_retries(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 2
    assert _generates(suno) == 1
    assert SongReel.objects.get(pk=reel.pk).status == SongReel.Status.SONG


def test_a_song_job_whose_worker_died_mid_poll_is_reaped_and_resumes_its_task(suno, user):
    from datetime import timedelta

    from django.utils import timezone

    from jobs import recovery

    reel, job = _song_job(user)
    # A worker had the gateway accept the song, kept its task id, then died while polling.
    SongReel.objects.filter(pk=reel.pk).update(gateway_task_id="task-1")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        attempts=1,
        lease_token="dead-worker",
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    suno.state.prompt = "[Chorus]\nHarbor Bean in Busan"
    assert [j.pk for j in recovery.reap_expired_jobs()] == [job.pk]
    run_with_retries(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 2
    assert _generates(suno) == 0  # the accepted task was polled, no second song ordered
    assert SongReel.objects.get(pk=reel.pk).song_id is not None


def test_a_thai_song_reels_story_is_listed_in_its_language_and_cannot_be_duplicated(api, user):
    place = _place(user, language="th", photos=1)
    made = api.post("/api/v1/song-reels/", {"place": place.pk, "duration_s": 15}, format="json")
    assert made.status_code == 201, made.json()
    story_id = made.json()["story"]

    listed = api.get("/api/v1/stories/", {"language": "th"})
    assert listed.status_code == 200, listed.json()
    assert [row["id"] for row in listed.json()["results"]] == [story_id]
    assert listed.json()["results"][0]["language"] == "th"
    schema = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert set(schema["ReelLanguage"]["enum"]) == {"ko", "en", "zh", "ja", "th", "vi"}
    assert schema["Language"]["enum"] == ["ko", "en"]  # what a narrated brief may ask for

    copied = api.post(f"/api/v1/stories/{story_id}/duplicate")
    assert copied.status_code == 409, copied.json()
    assert copied.json()["error"]["code"] == "ILLEGAL_TRANSITION"
    assert Story.objects.filter(owner=user).count() == 1
