import json

import pytest
from rest_framework.test import APIClient

from jobs import services as job_services
from jobs.models import Job
from stories import services as story_services
from stories.models import Event, Story
from stories.states import Status
from tests.factories import JobFactory, StoryFactory, UserFactory


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture(autouse=True)
def _fast_polls(settings):
    settings.EVENTS_POLL_MS = 10


def events_url(story) -> str:
    return f"/api/v1/stories/{story.pk}/events/"


def story_in(status, **fields):
    story = StoryFactory(**fields)
    Story.objects.filter(pk=story.pk).update(status=status)
    return Story.objects.get(pk=story.pk)


class SseReader:
    """Reads a streaming response one server-sent event at a time."""

    def __init__(self, response):
        self.chunks = iter(response.streaming_content)
        self.buffer = ""

    def next_event(self) -> dict:
        while "\n\n" not in self.buffer:
            self.buffer += next(self.chunks).decode()
        block, self.buffer = self.buffer.split("\n\n", 1)
        fields: dict = {}
        for line in block.splitlines():
            name, _, value = line.partition(": ")
            fields[name] = value
        if "retry" in block and "data" not in fields:
            return self.next_event()  # the reconnect hint, then the first real event
        if "data" in fields:
            fields["data"] = json.loads(fields["data"])
        return fields


def finish_final_render(story):
    job = JobFactory(story=story, kind=Job.Kind.ASSEMBLE, profile="final")
    lease = job_services.claim_job(job_id=job.pk, task_id="t-1")
    job_services.succeed_job(job_id=job.pk, lease=lease)
    story_services.transition_story(story_id=story.pk, to=Status.COMPLETED, reason="rendered")
    return job


@pytest.mark.django_db
def test_status_and_job_changes_are_polled_in_order_as_json(client, user):
    story = story_in(Status.FINALIZING, owner=user)
    job = finish_final_render(story)

    first = client.get(events_url(story)).json()
    later = client.get(events_url(story), {"after": first["results"][0]["id"]}).json()

    kinds = [
        (e["kind"], e["payload"].get("status") or e["payload"].get("to")) for e in first["results"]
    ]
    assert kinds == [("job", "running"), ("job", "succeeded"), ("status", "COMPLETED")]
    assert first["results"][0]["payload"]["job"] == job.pk
    assert first["results"][2]["payload"]["from"] == "FINALIZING"
    assert first["last_event_id"] == first["results"][-1]["id"]
    assert first["status"] == "COMPLETED"
    assert first["is_final"] is True
    assert [e["id"] for e in later["results"]] == [e["id"] for e in first["results"][1:]]


@pytest.mark.django_db
def test_the_stream_follows_new_events_and_ends_with_the_final_status(client, user):
    story = story_in(Status.FINALIZING, owner=user)
    job = JobFactory(story=story, kind=Job.Kind.ASSEMBLE, profile="final")
    lease = job_services.claim_job(job_id=job.pk, task_id="t-1")

    response = client.get(events_url(story), HTTP_ACCEPT="text/event-stream")
    reader = SseReader(response)
    claimed = reader.next_event()
    # The generator is lazy: what happens now is seen by its next polls.
    job_services.succeed_job(job_id=job.pk, lease=lease)
    story_services.transition_story(story_id=story.pk, to=Status.COMPLETED, reason="rendered")
    succeeded, completed, end = reader.next_event(), reader.next_event(), reader.next_event()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert claimed["event"] == "job"
    assert claimed["data"]["payload"]["status"] == "running"
    assert succeeded["data"]["payload"]["status"] == "succeeded"
    assert completed["event"] == "status"
    assert completed["data"]["payload"]["to"] == "COMPLETED"
    assert int(completed["id"]) > int(succeeded["id"]) > int(claimed["id"])
    assert end["event"] == "end"
    assert end["data"] == {"status": "COMPLETED", "last_event_id": int(completed["id"])}
    with pytest.raises(StopIteration):
        reader.next_event()


@pytest.mark.django_db
def test_a_stream_resumes_after_last_event_id(client, user):
    story = story_in(Status.FINALIZING, owner=user)
    finish_final_render(story)
    ids = list(Event.objects.filter(story=story).values_list("pk", flat=True))

    response = client.get(
        events_url(story), HTTP_ACCEPT="text/event-stream", HTTP_LAST_EVENT_ID=str(ids[0])
    )
    reader = SseReader(response)
    received = [reader.next_event() for _ in range(3)]

    assert [int(e["id"]) for e in received[:2]] == ids[1:]
    assert received[2]["event"] == "end"


@pytest.mark.django_db
def test_another_users_story_events_are_404_and_a_bad_cursor_is_400(client):
    strangers = story_in(Status.FINALIZING)

    polled = client.get(events_url(strangers))
    streamed = client.get(events_url(strangers), HTTP_ACCEPT="text/event-stream")
    bad = client.get(events_url(StoryFactory()), {"after": "soon"})

    assert polled.status_code == 404
    assert polled.json()["error"]["code"] == "NOT_FOUND"
    assert streamed.status_code == 404
    assert b"NOT_FOUND" in streamed.content
    assert bad.status_code == 404  # not mine either: existence is not revealed first


@pytest.mark.django_db
def test_a_cursor_that_is_not_a_number_is_400(client, user):
    story = StoryFactory(owner=user)

    response = client.get(events_url(story), {"after": "soon"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


@pytest.mark.django_db
def test_anonymous_requests_are_401(user):
    story = StoryFactory(owner=user)

    response = APIClient().get(events_url(story))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
