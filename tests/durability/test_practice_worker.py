"""A practice take on real parts: the upload answers 202 at once, a Celery worker on Redis
analyses it, and the signed analysis.completed webhook reaches the callback URL."""

from __future__ import annotations

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from practice import services
from practice.models import Take
from tests.factories import UserFactory
from tests.jobs.test_webhooks import SECRET, Receiver, verify
from tests.speech import recordings as rec

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def wait_for_take(take_id: int, workers, timeout_s: float = 90) -> Take:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        take = Take.objects.get(pk=take_id)
        if take.status in (Take.Status.SUCCEEDED, Take.Status.FAILED):
            return take
        if not all(worker.is_alive for worker in workers.workers):
            break
        time.sleep(0.1)
    raise AssertionError(f"take {take_id} still {take.status}")


def test_a_worker_analyses_an_uploaded_take_and_signs_the_webhook(
    celery_workers, settings, tmp_path
):
    settings.WEBHOOK_ALLOW_PRIVATE = settings.WEBHOOK_ALLOW_HTTP = True
    words = rec.piper(rec.LINE, tmp_path / "reference.wav")
    rec.piper(rec.LINE, tmp_path / "take.wav")
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
        response = client.post(
            f"/api/v1/practice/lines/{line.pk}/takes",
            {
                "recording": SimpleUploadedFile("t.wav", (tmp_path / "take.wav").read_bytes()),
                "callback_url": receiver.url,
            },
            format="multipart",
        )
        assert response.status_code == 202
        take = wait_for_take(response.json()["id"], celery_workers)
        deadline = time.monotonic() + 30
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.05)

    assert take.status == Take.Status.SUCCEEDED
    assert take.rank in {"S", "A", "B"}
    (request,) = receiver.requests
    assert request["headers"]["Reelmaker-Event"] == "analysis.completed"
    assert verify(request["headers"]["Reelmaker-Signature"], request["body"], SECRET)
    assert json.loads(request["body"])["take"]["score"] == pytest.approx(take.score)
