"""A take's outcome reaches its callback URL as a signed analysis.completed / analysis.failed
webhook, queued once the analysis is recorded."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from practice import dispatch, services
from practice.models import Line, Take
from tests.jobs.test_webhooks import SECRET, Receiver, verify
from tests.speech import recordings as rec


@pytest.fixture(scope="module")
def audio(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("hooks")
    words = rec.piper(rec.LINE, d / "reference.wav")
    rec.silence(d / "silence.wav", seconds=3)
    return {"dir": d, "words": [w.to_json() for w in words]}


@pytest.fixture
def sent(monkeypatch) -> dict[str, list[int]]:
    calls: dict[str, list[int]] = {"analysis": [], "webhook": []}
    monkeypatch.setattr(
        dispatch, "queue_analysis", lambda *, take_id: calls["analysis"].append(take_id)
    )
    monkeypatch.setattr(
        dispatch, "queue_take_webhook", lambda *, take_id: calls["webhook"].append(take_id)
    )
    return calls


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


@pytest.mark.parametrize(
    ("recording", "event"),
    [("reference.wav", "analysis.completed"), ("silence.wav", "analysis.failed")],
)
def test_the_outcome_is_posted_signed_to_the_callback_url(
    api, line, audio, sent, hooks, recording, event
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
        take_id = response.json()["id"]
        services.analyse_take(take_id=take_id)
        assert sent["webhook"] == [take_id]

        status = services.send_take_webhook(take_id=take_id)

    assert status == 200
    (request,) = receiver.requests
    assert request["headers"]["Reelmaker-Event"] == event
    assert request["headers"]["Reelmaker-Delivery"] == f"take_{take_id}_{event.split('.')[1]}"
    assert verify(request["headers"]["Reelmaker-Signature"], request["body"], SECRET)
    body = json.loads(request["body"])
    assert body["type"] == event
    assert body["take"]["id"] == take_id
    assert body["take"]["status"] == Take.objects.get(pk=take_id).status


def test_a_private_callback_url_is_refused_and_nothing_is_saved(api, line, audio, sent):
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
    assert sent["analysis"] == []


def test_a_take_without_callback_url_sends_nothing(line, audio, sent, user):
    take = services.submit_take(
        user=user,
        line=line,
        recording=SimpleUploadedFile("t.wav", (audio["dir"] / "reference.wav").read_bytes()),
    )

    services.analyse_take(take_id=take.pk)

    assert sent["webhook"] == []
    assert services.send_take_webhook(take_id=take.pk) == 0


def test_an_unexpected_analysis_error_fails_the_take_and_tells_the_callback(
    line, audio, sent, user, hooks, monkeypatch
):
    take = services.submit_take(
        user=user,
        line=line,
        recording=SimpleUploadedFile("t.wav", (audio["dir"] / "reference.wav").read_bytes()),
        callback_url="http://127.0.0.1:9/take",
    )

    def broken(**kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(services, "compare_files", broken)
    done = services.analyse_take(take_id=take.pk)

    assert done.status == Take.Status.FAILED
    assert done.error_code == "analysis_error"
    assert sent["webhook"] == [take.pk]
