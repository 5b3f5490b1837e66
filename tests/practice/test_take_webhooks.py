"""A take's outcome reaches its callback URL as a signed analysis.completed / analysis.failed
webhook: a webhook job of the jobs machinery (jobs.webhooks: same signing, queue and retries
as a story's), queued in the transaction that records the analysis, and shown on the take's
event stream."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs import webhooks
from jobs.models import Job
from practice import analysis, services
from practice.models import Line, Take
from stories.models import Event
from tests.jobs.test_webhooks import SECRET, Receiver, verify
from tests.practice.support import analyse, queue_take_jobs
from tests.speech import recordings as rec


@pytest.fixture(scope="module")
def audio(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("hooks")
    words = rec.piper(rec.LINE, d / "reference.wav")
    rec.silence(d / "silence.wav", seconds=3)
    return {"dir": d, "words": [w.to_json() for w in words]}


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    return queue_take_jobs(monkeypatch)


@pytest.fixture
def hooks(settings):
    settings.WEBHOOK_SECRET = SECRET
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_ALLOW_HTTP = True
    return settings


@pytest.fixture
def line(user, audio) -> Line:
    return services.import_line(
        by=user,
        text=rec.LINE,
        language="en",
        words=audio["words"],
        audio=SimpleUploadedFile("ref.wav", (audio["dir"] / "reference.wav").read_bytes()),
    )


def webhook_jobs(take: Take) -> list[Job]:
    return list(Job.objects.filter(kind=Job.Kind.WEBHOOK, options__about=take.job_id))


@pytest.mark.parametrize(
    ("recording", "event"),
    [("reference.wav", "analysis.completed"), ("silence.wav", "analysis.failed")],
)
def test_the_outcome_is_posted_signed_to_the_callback_url(
    api, line, audio, queued, hooks, recording, event
):
    with Receiver() as receiver:
        response = api.post(
            f"/api/v1/practice/lines/{line.pk}/takes",
            {
                "recording": SimpleUploadedFile(recording, (audio["dir"] / recording).read_bytes()),
                "callback_url": receiver.url,
            },
            format="multipart",
        )
        take = analyse(response.json()["id"])
        (hook,) = webhook_jobs(take)

        webhooks.send_webhook(job_id=hook.pk)

    hook.refresh_from_db()
    assert (hook.status, hook.story) == (Job.Status.SUCCEEDED, None)
    (request,) = receiver.requests
    assert request["headers"]["Reelmaker-Event"] == event
    assert request["headers"]["Reelmaker-Delivery"] == f"evt_job_{hook.pk}"
    assert verify(request["headers"]["Reelmaker-Signature"], request["body"], SECRET)
    body = json.loads(request["body"])
    assert body["type"] == event
    assert body["data"]["take"]["id"] == take.pk
    assert body["data"]["take"]["status"] == take.status
    # the take's stream says the callback is being told
    told = Event.objects.get(job=take.job, kind=Event.Kind.WEBHOOK)
    assert told.payload == {"job": hook.pk, "transition": None, "type": event}


def test_a_private_callback_url_is_refused_and_nothing_is_saved(api, line, audio, queued):
    response = api.post(
        f"/api/v1/practice/lines/{line.pk}/takes",
        {
            "recording": SimpleUploadedFile(
                "take.wav", (audio["dir"] / "reference.wav").read_bytes()
            ),
            "callback_url": "https://127.0.0.1/hook",
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert not Take.objects.exists()
    assert not Job.objects.exists()
    assert queued == []


def test_a_take_without_callback_url_sends_nothing(line, audio, queued, user):
    take = analysis.submit_take(
        user=user,
        line=line,
        recording=SimpleUploadedFile("t.wav", (audio["dir"] / "reference.wav").read_bytes()),
    )

    assert analyse(take.pk).status == Take.Status.SUCCEEDED
    assert webhook_jobs(take) == []


def test_an_unexpected_analysis_error_fails_the_take_and_tells_the_callback(
    line, audio, queued, user, hooks, monkeypatch
):
    take = analysis.submit_take(
        user=user,
        line=line,
        recording=SimpleUploadedFile("t.wav", (audio["dir"] / "reference.wav").read_bytes()),
        callback_url="http://127.0.0.1:9/take",
    )

    def broken(**kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(analysis, "compare_files", broken)
    done = analyse(take.pk)

    assert done.status == Take.Status.FAILED
    assert done.error_code == "analysis_error"
    assert done.job.status == Job.Status.FAILED
    assert "out of memory" not in done.error_message  # the detail is for operators only
    assert "out of memory" in done.job.error_detail
    (hook,) = webhook_jobs(done)
    assert hook.options["type"] == "analysis.failed"
