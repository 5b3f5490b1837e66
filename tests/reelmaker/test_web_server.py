"""The production web server (gunicorn + uvicorn workers, ASGI) against the suite's PostgreSQL:
open event streams take no worker, and each user holds only so many of them."""

import json
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from jobs import services as job_services
from jobs.models import Job
from practice import services as practice_services
from practice.models import Take
from stories import services as story_services
from stories.models import Event, Story
from stories.states import Status
from tests.factories import StoryFactory, UserFactory
from tests.pgserver import free_port
from tests.speech import recordings as rec
from tests.webserver import start_web_server, stop_web_server

STREAM_CAP = 3
SSE = {"Accept": "text/event-stream"}

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def server_url(django_db_setup, django_db_blocker, pg_server):
    """One uvicorn worker on the test database, streams capped at STREAM_CAP per user."""
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="web-")) / "server.log"
    server = start_web_server(
        port=port,
        database_url=f"postgres://postgres@127.0.0.1:{pg_server.port}/{name}",
        log=log,
        workers=1,
        env={
            "SECRET_KEY": settings.SECRET_KEY,  # the tests sign tokens and sessions with it
            "EVENTS_MAX_STREAMS_PER_USER": str(STREAM_CAP),
            "EVENTS_POLL_MS": "100",
        },
    )
    yield f"http://127.0.0.1:{port}"
    stop_web_server(server)


def working_story(user) -> Story:
    story = StoryFactory(owner=user)
    Story.objects.filter(pk=story.pk).update(status=Status.FINALIZING)  # streams stay open
    return story


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {AccessToken.for_user(user)}"}


class OpenStream:
    """A followed event stream: open once its first message (the retry hint) arrived."""

    def __init__(self, http: httpx.Client, url: str, headers: dict):
        self.context = http.stream("GET", url, headers={**headers, **SSE})
        self.response = self.context.__enter__()
        assert self.response.status_code == 200, self.response.read()
        self.chunks = self.response.iter_text()  # dropping it would close the connection
        self.first = next(self.chunks)

    def close(self) -> None:
        self.context.__exit__(None, None, None)


def test_a_detail_answers_at_once_while_more_streams_than_workers_are_open(server_url):
    users = [UserFactory() for _ in range(2)]
    stories = {user.pk: working_story(user) for user in users}
    http = httpx.Client(base_url=server_url, timeout=10)
    streams = [
        OpenStream(http, f"/api/v1/stories/{stories[user.pk].pk}/events/", bearer(user))
        for user in users
        for _ in range(STREAM_CAP)
    ]

    started = time.monotonic()
    detail = http.get(f"/api/v1/stories/{stories[users[0].pk].pk}/", headers=bearer(users[0]))
    elapsed_s = time.monotonic() - started
    for stream in streams:
        stream.close()
    http.close()

    assert len(streams) == 6  # on one worker process
    assert all(stream.first.startswith("retry: ") for stream in streams)
    assert detail.status_code == 200
    assert detail.json()["id"] == stories[users[0].pk].pk
    assert elapsed_s < 2


def test_streams_past_the_cap_are_429_until_one_closes(server_url):
    user = UserFactory()
    story = working_story(user)
    url = f"/api/v1/stories/{story.pk}/events/"
    http = httpx.Client(base_url=server_url, timeout=10)
    streams = [OpenStream(http, url, bearer(user)) for _ in range(STREAM_CAP)]

    refused = http.get(url, headers={**bearer(user), **SSE})
    polled = http.get(url, headers=bearer(user))  # polling is not capped
    streams.pop().close()
    deadline = time.monotonic() + 10
    while True:  # the server notices the client went away, then gives the slot back
        with http.stream("GET", url, headers=bearer(user), params={"format": "sse"}) as reopened:
            pass
        if reopened.status_code != 429 or time.monotonic() > deadline:
            break
    for stream in streams:
        stream.close()
    http.close()

    assert refused.status_code == 429
    assert refused.text.startswith("event: error\ndata: ")  # the envelope, as an event
    error = json.loads(refused.text.split("data: ", 1)[1])["error"]
    assert error["code"] == "RATE_LIMIT_EXCEEDED"
    assert error["details"]["limit"] == STREAM_CAP
    assert int(refused.headers["Retry-After"]) > 0
    assert polled.status_code == 200
    assert reopened.status_code == 200


def test_streams_keep_owner_scoping_and_session_sign_in(server_url):
    owner, stranger = UserFactory(), UserFactory()
    story = working_story(owner)
    url = f"/api/v1/stories/{story.pk}/events/"
    browser = Client()
    browser.force_login(owner)
    session = {"Cookie": f"sessionid={browser.cookies['sessionid'].value}"}
    http = httpx.Client(base_url=server_url, timeout=10)

    strangers = http.get(url, headers={**bearer(stranger), **SSE})
    anonymous = http.get(url, headers=SSE)
    by_session = OpenStream(http, url, session)
    by_session.close()
    http.close()

    assert strangers.status_code == 404
    assert b"NOT_FOUND" in strangers.content
    assert anonymous.status_code == 401
    assert by_session.first.startswith("retry: ")


def test_a_stream_on_the_server_sends_new_events_and_ends_with_the_status(server_url):
    user = UserFactory()
    story = working_story(user)
    http = httpx.Client(base_url=server_url, timeout=10)
    stream = OpenStream(http, f"/api/v1/stories/{story.pk}/events/", bearer(user))

    story_services.transition_story(story_id=story.pk, to=Status.COMPLETED, reason="rendered")
    received = ""
    for chunk in stream.chunks:  # ends when the server closes the stream
        received += chunk
    stream.close()
    http.close()

    event = Event.objects.get(story=story)
    assert f"id: {event.pk}\nevent: status\n" in received
    assert '"to":"COMPLETED"' in received
    assert received.endswith(
        f'event: end\ndata: {{"status": "COMPLETED", "last_event_id": {event.pk}}}\n\n'
    )


def test_a_browser_opens_the_stream_with_a_ticket_once(server_url):
    user = UserFactory()
    story = working_story(user)
    http = httpx.Client(base_url=server_url, timeout=10)
    ticket = http.post(f"/api/v1/stories/{story.pk}/events/ticket/", headers=bearer(user))
    url = f"/api/v1/stories/{story.pk}/events/stream/?ticket={ticket.json()['ticket']}"
    stream = OpenStream(http, url, {})  # as EventSource: no Authorization header

    story_services.transition_story(story_id=story.pk, to=Status.COMPLETED, reason="rendered")
    received = "".join(stream.chunks)
    stream.close()
    again = http.get(url, headers=SSE)
    http.close()

    assert ticket.status_code == 201
    assert '"to":"COMPLETED"' in received
    assert 'event: end\ndata: {"status": "COMPLETED"' in received
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "UNAUTHORIZED"


def test_a_take_stream_on_the_server_follows_its_job_and_ends_with_its_status(server_url, tmp_path):
    """A story-less job's stream (a practice take's analysis) on the ASGI path: no story
    watcher wakes it, so it reads every poll."""
    user = UserFactory()
    rec.silence(tmp_path / "reference.wav", seconds=1)
    line = practice_services.import_line(
        by=user,
        text="Hello.",
        language="en",
        words=[{"text": "Hello.", "start_ms": 0, "end_ms": 500}],
        audio=SimpleUploadedFile("ref.wav", (tmp_path / "reference.wav").read_bytes()),
    )
    job = job_services.create_job(story=None, kind=Job.Kind.ANALYSIS)
    take = Take.objects.create(user=user, line=line, recording=line.reference, job=job)
    http = httpx.Client(base_url=server_url, timeout=10)
    stream = OpenStream(http, f"/api/v1/practice/takes/{take.pk}/events/", bearer(user))

    lease = job_services.claim_job(job_id=job.pk)
    job_services.succeed_job(job_id=job.pk, lease=lease)
    received = ""
    for chunk in stream.chunks:  # ends when the server closes the stream
        received += chunk
    stream.close()
    http.close()

    claimed, succeeded = Event.objects.filter(job=job).order_by("pk")
    assert f"id: {claimed.pk}\nevent: job\n" in received
    assert '"status":"succeeded"' in received
    assert received.endswith(
        f'event: end\ndata: {{"status": "succeeded", "last_event_id": {succeeded.pk}}}\n\n'
    )
