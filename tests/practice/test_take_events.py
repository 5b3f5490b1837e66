"""A take's analysis on the story-style event stream: the events of its job (it has no story),
polled as JSON or streamed as server-sent events that resume after Last-Event-ID, ending with
the job's status; a single-use ticket opens the stream from a browser."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from practice import analysis, services
from stories import event_tickets
from tests.factories import StoryFactory, UserFactory
from tests.practice.support import analyse, queue_take_jobs
from tests.speech import recordings as rec
from tests.stories.test_events import SseReader


@pytest.fixture(autouse=True)
def _fast_polls(settings, monkeypatch):
    settings.EVENTS_POLL_MS = 10
    queue_take_jobs(monkeypatch)


@pytest.fixture(scope="module")
def audio(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("events")
    words = rec.piper(rec.LINE, d / "reference.wav")
    rec.silence(d / "silence.wav", seconds=2)
    return {"dir": d, "words": [w.to_json() for w in words]}


@pytest.fixture
def take_of(user, audio):
    line = services.import_line(
        by=user,
        text=rec.LINE,
        language="en",
        words=audio["words"],
        audio=SimpleUploadedFile("ref.wav", (audio["dir"] / "reference.wav").read_bytes()),
    )

    def submit(name: str):
        recording = SimpleUploadedFile(name, (audio["dir"] / name).read_bytes())
        return analysis.submit_take(user=user, line=line, recording=recording)

    return submit


def url(take, tail: str = "") -> str:
    return f"/api/v1/practice/takes/{take.pk}/events{tail}"


def read_to_end(reader: SseReader) -> list[dict]:
    received = [reader.next_event()]
    while received[-1]["event"] != "end":
        received.append(reader.next_event())
    return received


@pytest.mark.django_db
def test_the_stream_follows_the_analysis_and_resumes_after_last_event_id(api, take_of):
    take = take_of("reference.wav")

    reader = SseReader(api.get(url(take, "/stream")))
    queued = reader.next_event()
    # The stream is lazy: the analysis that runs now is seen by its next polls.
    analyse(take.pk)
    rest = read_to_end(reader)

    assert queued["event"] == "job"
    assert queued["data"]["payload"]["status"] == "queued"
    assert queued["data"]["payload"]["job"] == take.job_id
    seen = [(e["event"], e["data"]["payload"].get("status")) for e in rest[:-1]]
    assert seen[0] == ("job", "running")
    assert ("progress", None) in seen
    assert seen[-1] == ("job", "succeeded")
    last = int(rest[-2]["id"])
    assert rest[-1]["data"] == {"status": "succeeded", "last_event_id": last}

    resumed = read_to_end(
        SseReader(api.get(url(take, "/stream"), HTTP_LAST_EVENT_ID=rest[0]["id"]))
    )
    assert [e["id"] for e in resumed[:-1]] == [e["id"] for e in rest[1:-1]]
    assert resumed[-1]["event"] == "end"


@pytest.mark.django_db
def test_no_speech_shows_on_the_polled_events(api, take_of):
    take = take_of("silence.wav")
    waiting = api.get(url(take)).json()

    analyse(take.pk)
    page = api.get(url(take), {"after": waiting["last_event_id"]}).json()

    assert (waiting["status"], waiting["is_final"]) == ("queued", False)
    assert (page["status"], page["is_final"]) == ("failed", True)
    failed = page["results"][-1]["payload"]
    assert (failed["status"], failed["error_code"]) == ("failed", "NO_SPEECH")
    assert "No speech was heard" in failed["error_message"]


@pytest.mark.django_db
def test_a_ticket_opens_the_take_stream_once_and_no_other(api, take_of, user):
    take = take_of("silence.wav")
    analyse(take.pk)
    ticket = api.post(url(take, "/ticket")).json()["ticket"]
    story_ticket = event_tickets.issue_ticket(user_id=user.pk, story_id=StoryFactory(owner=user).pk)
    browser = APIClient()  # no bearer token: the ticket signs it in

    opened = browser.get(url(take, "/stream"), {"ticket": ticket})
    reused = browser.get(url(take, "/stream"), {"ticket": ticket})
    other = browser.get(url(take, "/stream"), {"ticket": story_ticket.token})

    assert opened.status_code == 200
    assert read_to_end(SseReader(opened))[-1]["data"]["status"] == "failed"
    assert reused.status_code == 401
    assert other.status_code == 403


@pytest.mark.django_db
def test_another_users_take_events_are_404(take_of):
    take = take_of("silence.wav")
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    assert stranger.get(url(take)).status_code == 404
    assert stranger.get(url(take, "/stream")).status_code == 404
    assert stranger.post(url(take, "/ticket")).status_code == 404
