"""Practice on real parts: a take's upload answers 202 at once with its job; a Celery worker on
Redis runs the analysis job; the take's event stream follows it (and resumes after
Last-Event-ID) to its end; the result is read back; and the signed analysis.completed webhook,
a webhook job on the webhooks queue, reaches the callback URL. A silent take fails with "no
speech" on the stream and in an analysis.failed webhook."""

from __future__ import annotations

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jobs.models import Job
from practice import services
from tests.factories import UserFactory
from tests.jobs.test_webhooks import SECRET, Receiver, verify
from tests.speech import recordings as rec
from tests.stories.test_events import SseReader

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def follow(client: APIClient, take_id: int, **headers) -> list[dict]:
    """The take's stream from the start (or after Last-Event-ID) to its `end` message."""
    response = client.get(f"/api/v1/practice/takes/{take_id}/events/stream", **headers)
    assert response.status_code == 200
    reader, received = SseReader(response), []
    while not received or received[-1]["event"] != "end":
        received.append(reader.next_event())
    return received


def wait_for_requests(receiver: Receiver, count: int, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while len(receiver.requests) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_worker_analyses_uploaded_takes_on_the_stream_and_signs_the_webhooks(
    celery_workers, settings, tmp_path
):
    settings.WEBHOOK_ALLOW_PRIVATE = settings.WEBHOOK_ALLOW_HTTP = True
    settings.EVENTS_POLL_MS = 50
    words = rec.piper(rec.LINE, tmp_path / "reference.wav")
    rec.piper(rec.LINE, tmp_path / "take.wav")
    rec.silence(tmp_path / "silence.wav", seconds=2)
    user = UserFactory()
    line = services.import_line(
        by=user,
        text=rec.LINE,
        language="en",
        words=[w.to_json() for w in words],
        audio=SimpleUploadedFile("ref.wav", (tmp_path / "reference.wav").read_bytes()),
    )
    celery_workers(
        "practice",
        queues="default,webhooks",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_ALLOW_PRIVATE="1",
        WEBHOOK_ALLOW_HTTP="1",
    )
    client = APIClient()
    client.force_authenticate(user)

    with Receiver() as receiver:
        accepted = {}
        for name in ("take.wav", "silence.wav"):
            response = client.post(
                f"/api/v1/practice/lines/{line.pk}/takes",
                {
                    "recording": SimpleUploadedFile(name, (tmp_path / name).read_bytes()),
                    "callback_url": receiver.url,
                },
                format="multipart",
            )
            assert response.status_code == 202
            assert response.json()["status"] == "queued"
            accepted[name] = response.json()
        good, silent = accepted["take.wav"], accepted["silence.wav"]
        streamed = follow(client, good["id"])
        resumed = follow(client, good["id"], HTTP_LAST_EVENT_ID=streamed[1]["id"])
        failed = follow(client, silent["id"])
        wait_for_requests(receiver, 2)

    # the stream: queued, claimed, progress, the webhook queued, done; then `end`
    payloads = [(e["event"], e["data"]["payload"]) for e in streamed[:-1]]
    assert payloads[0][1]["status"] == "queued"
    assert payloads[1][1]["status"] == "running"
    assert ("webhook", "analysis.completed") in [(k, p.get("type")) for k, p in payloads]
    assert payloads[-1][1]["status"] == "succeeded"
    assert streamed[-1]["data"]["status"] == "succeeded"
    assert [e["id"] for e in resumed[:-1]] == [e["id"] for e in streamed[2:-1]]
    (no_speech_event,) = [e for e in failed if e["event"] == "job" and "NO_SPEECH" in str(e)]
    assert no_speech_event["data"]["payload"]["status"] == "failed"
    assert "No speech was heard" in no_speech_event["data"]["payload"]["error_message"]
    assert [e["data"]["payload"]["type"] for e in failed if e["event"] == "webhook"] == [
        "analysis.failed"
    ]
    assert failed[-1]["data"]["status"] == "failed"
    # the result
    take = client.get(f"/api/v1/practice/takes/{good['id']}").json()
    assert take["status"] == "succeeded"
    assert take["rank"] in {"S", "A", "B"}
    assert Job.objects.get(pk=good["job"]).status == Job.Status.SUCCEEDED
    # the webhooks, each signed and delivered by a webhook job
    by_event = {r["headers"]["Reelmaker-Event"]: r for r in receiver.requests}
    assert set(by_event) == {"analysis.completed", "analysis.failed"}
    for request in by_event.values():
        assert verify(request["headers"]["Reelmaker-Signature"], request["body"], SECRET)
    completed = json.loads(by_event["analysis.completed"]["body"])["data"]["take"]
    assert completed["score"] == pytest.approx(take["score"])
    no_speech = json.loads(by_event["analysis.failed"]["body"])["data"]["take"]
    assert (no_speech["id"], no_speech["error_code"]) == (silent["id"], "no_speech")
    hooks = Job.objects.filter(kind=Job.Kind.WEBHOOK)
    assert sorted(hooks.values_list("status", flat=True)) == ["succeeded", "succeeded"]
