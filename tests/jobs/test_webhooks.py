import hashlib
import hmac
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.test import APIClient

from jobs import failures, pipeline, webhooks
from jobs.models import Job, WebhookSecret
from reelmaker.celery import app as celery_app
from reelmaker.ssrf import UnsafeUrl
from render.runner import RenderError
from stories.models import Event, Story
from stories.states import Status
from tests.factories import JobFactory, StoryFactory, UserFactory

SECRET = "whsec-test-0123456789"


def verify(header: str, body: bytes, secret: str, tolerance_s: int = 300) -> bool:
    """The README's receiver snippet, verbatim."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp, received = int(fields["t"]), fields["v1"]
    if abs(time.time() - timestamp) > tolerance_s:
        return False  # too old: a replay
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), received)


class Receiver:
    """A local HTTP server that records each POST and answers with the next planned status."""

    def __init__(self, statuses=(200,)):
        self.requests: list[dict] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/reelmaker?source=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_settings(settings):
    settings.WEBHOOK_SECRET = SECRET
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_ALLOW_HTTP = True  # the local receiver speaks plain http
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    return settings


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def story_in(status, **fields):
    story = StoryFactory(**fields)
    Story.objects.filter(pk=story.pk).update(status=status)
    return Story.objects.get(pk=story.pk)


def complete_final_render(story, capture):
    """The last job of a final render finishes: the story COMPLETES (and webhooks go out)."""
    job = JobFactory(
        story=story, kind=Job.Kind.ASSEMBLE, profile="final", status=Job.Status.RUNNING
    )
    with capture(execute=True):
        pipeline.advance_story(job=job)
    story.refresh_from_db()
    return story


def webhook_jobs(story):
    return list(Job.objects.filter(story=story, kind=Job.Kind.WEBHOOK))


@pytest.mark.django_db
def test_completed_story_posts_one_signed_event_to_its_callback_url(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        story = story_in(Status.FINALIZING, callback_url=receiver.url, title="Coffee")

        story = complete_final_render(story, django_capture_on_commit_callbacks)

    assert story.status == Status.COMPLETED
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["path"] == "/hooks/reelmaker?source=test"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Reelmaker-Event"] == "story.completed"
    assert verify(request["headers"]["Reelmaker-Signature"], request["body"], SECRET)
    assert not verify(request["headers"]["Reelmaker-Signature"], request["body"] + b" ", SECRET)
    assert not verify(request["headers"]["Reelmaker-Signature"], request["body"], "other")
    event = json.loads(request["body"])
    assert event["type"] == "story.completed"
    assert event["id"] == request["headers"]["Reelmaker-Delivery"]
    assert event["data"]["story"]["id"] == story.pk
    assert event["data"]["story"]["status"] == "COMPLETED"
    assert event["data"]["story"]["title"] == "Coffee"
    [job] = webhook_jobs(story)
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 1


@pytest.mark.django_db
def test_failed_story_posts_a_story_failed_event_with_a_plain_message_and_a_reference(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks, caplog
):
    internal = "KeyError: 'voice_path' in /srv/reelmaker/var/work/17/voice.wav"
    with Receiver() as receiver:
        story = story_in(Status.PREVIEWING, callback_url=receiver.url)
        job = JobFactory(story=story, kind=Job.Kind.VOICE, status=Job.Status.RUNNING)

        with django_capture_on_commit_callbacks(execute=True):
            pipeline.fail_job(job_id=job.pk, error=RuntimeError(internal))

    story.refresh_from_db()
    job.refresh_from_db()
    assert story.status == Status.FAILED
    ref = re.search(r"reference ([0-9a-f]{12})", story.error_message).group(1)
    for shown in (story.error_message, job.error_message):
        assert "/srv/" not in shown
        assert "voice_path" not in shown
        assert "RuntimeError" not in shown
        assert ref in shown
    assert internal in story.error_detail
    assert internal in job.error_detail
    [logged] = [r.getMessage() for r in caplog.records if ref in r.getMessage()]
    assert internal in logged
    [request] = receiver.requests
    event = json.loads(request["body"])
    assert event["type"] == "story.failed"
    assert event["data"]["story"]["error_message"] == story.error_message
    assert "error_detail" not in event["data"]["story"]
    assert verify(request["headers"]["Reelmaker-Signature"], request["body"], SECRET)


@pytest.mark.django_db
def test_a_final_render_canceled_on_request_posts_story_failed(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        story = story_in(Status.FINALIZING, callback_url=receiver.url)
        job = JobFactory(story=story, kind=Job.Kind.SCENE_RENDER, profile="final")

        with django_capture_on_commit_callbacks(execute=True):
            pipeline.cancel_jobs(job_ids=[job.pk])

    story.refresh_from_db()
    assert story.status == Status.FAILED
    assert story.error_code == "CANCELED"
    [request] = receiver.requests
    assert json.loads(request["body"])["type"] == "story.failed"
    assert verify(request["headers"]["Reelmaker-Signature"], request["body"], SECRET)


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_and_the_delivery_id_stays_the_same(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    with Receiver(statuses=[500, 503, 200]) as receiver:
        story = story_in(Status.FINALIZING, callback_url=receiver.url)

        complete_final_render(story, django_capture_on_commit_callbacks)

    assert len(receiver.requests) == 3
    assert len({r["headers"]["Reelmaker-Delivery"] for r in receiver.requests}) == 1
    [job] = webhook_jobs(story)
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 3


@pytest.mark.django_db
def test_after_the_last_attempt_the_webhook_job_fails_and_the_story_stays_completed(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    webhook_settings.WEBHOOK_MAX_ATTEMPTS = 2
    with Receiver(statuses=[500]) as receiver:
        story = story_in(Status.FINALIZING, callback_url=receiver.url)

        story = complete_final_render(story, django_capture_on_commit_callbacks)

    assert len(receiver.requests) == 2
    [job] = webhook_jobs(story)
    assert job.status == Job.Status.FAILED
    assert job.error_code == "EXTERNAL_API_ERROR"
    assert "HTTP 500" in job.error_message
    assert story.status == Status.COMPLETED
    assert story.error_message == ""


@pytest.mark.django_db
def test_retrying_a_failed_webhook_over_the_api_sends_it_again_without_moving_the_story(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    webhook_settings.WEBHOOK_MAX_ATTEMPTS = 1
    with Receiver(statuses=[500, 200]) as receiver:
        story = story_in(Status.FINALIZING, callback_url=receiver.url)
        story = complete_final_render(story, django_capture_on_commit_callbacks)
        [job] = webhook_jobs(story)
        client = APIClient()
        client.force_authenticate(story.owner)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/api/v1/jobs/{job.pk}/retry/")

    assert response.status_code == 202
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert len(receiver.requests) == 2
    story.refresh_from_db()
    assert story.status == Status.COMPLETED
    assert list(story.transitions.values_list("to_status", flat=True)) == [Status.COMPLETED]


@pytest.mark.django_db
def test_the_same_finish_queues_one_webhook_however_often_it_is_reported(
    webhook_settings, django_capture_on_commit_callbacks
):
    story = story_in(Status.FINALIZING, callback_url="http://127.0.0.1:9/hook")
    complete_final_render(story, lambda execute: django_capture_on_commit_callbacks())

    again = webhooks.queue_story_webhook(story_id=story.pk)

    assert again is None
    assert len(webhook_jobs(story)) == 1
    assert Event.objects.filter(story=story, kind=Event.Kind.WEBHOOK).count() == 1


@pytest.mark.django_db
def test_no_callback_url_no_webhook(webhook_settings, django_capture_on_commit_callbacks):
    story = story_in(Status.FINALIZING)

    complete_final_render(story, django_capture_on_commit_callbacks)

    assert webhook_jobs(story) == []


@pytest.mark.django_db
def test_a_loopback_callback_is_refused_at_send_time_and_nothing_is_posted(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    webhook_settings.WEBHOOK_ALLOW_PRIVATE = False
    with Receiver() as receiver:
        story = story_in(Status.FINALIZING, callback_url=receiver.url)

        story = complete_final_render(story, django_capture_on_commit_callbacks)

    assert receiver.requests == []
    [job] = webhook_jobs(story)
    assert job.status == Job.Status.FAILED
    assert job.error_code == "INVALID_REQUEST"
    assert job.attempts == 1
    assert story.status == Status.COMPLETED


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://10.0.0.7/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "ftp://example.com/hook",
    ],
)
def test_private_loopback_and_link_local_callback_urls_are_refused_at_save_time(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE = False

    with pytest.raises(UnsafeUrl) as refused:
        webhooks.check_callback_url(url)

    assert refused.value.code == "INVALID_REQUEST"


def test_private_callback_urls_pass_when_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_ALLOW_HTTP = True

    assert webhooks.check_callback_url("http://127.0.0.1:9000/hook") == "http://127.0.0.1:9000/hook"
    assert webhooks.check_callback_url("") == ""


@pytest.mark.django_db
def test_the_post_goes_to_the_address_that_was_checked_not_a_second_lookup(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def fake_dns(host, port, *args, **kwargs):
        if host == "hooks.example.test":
            lookups.append(host)
            # First answer: loopback (allowed here); a rebinding server would change it after.
            return real_getaddrinfo("127.0.0.1", port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    with Receiver() as receiver:
        url = f"http://hooks.example.test:{receiver.port}/in"
        story = story_in(Status.FINALIZING, callback_url=url)

        complete_final_render(story, django_capture_on_commit_callbacks)

    assert lookups == ["hooks.example.test"]
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"hooks.example.test:{receiver.port}"
    assert webhook_jobs(story)[0].status == Job.Status.SUCCEEDED


@pytest.mark.django_db
def test_without_a_secret_nothing_unsigned_is_sent(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    webhook_settings.WEBHOOK_SECRET = ""
    with Receiver() as receiver:
        story = story_in(Status.FINALIZING, callback_url=receiver.url)

        complete_final_render(story, django_capture_on_commit_callbacks)

    assert receiver.requests == []
    [job] = webhook_jobs(story)
    assert job.status == Job.Status.FAILED
    assert "WEBHOOK_SECRET" in job.error_message


@pytest.mark.django_db
def test_ffmpeg_stderr_and_provider_bodies_stay_out_of_what_users_see(
    webhook_settings, django_capture_on_commit_callbacks
):
    from providers.base import PermanentProviderError

    story = story_in(Status.PREVIEWING)
    render = JobFactory(story=story, kind=Job.Kind.SCENE_RENDER, status=Job.Status.RUNNING)
    stderr = "clip: FFmpeg exited with status 1. FFmpeg said:\n/srv/work/scene-3.ass: No such file"

    with django_capture_on_commit_callbacks(execute=True):
        pipeline.fail_job(job_id=render.pk, error=RenderError("clip", stderr))
    code, message = failures.error_code_and_message(
        PermanentProviderError('rejected (HTTP 400) ({"error": "key sk-live-1234"})', provider="x")
    )

    render.refresh_from_db()
    assert render.error_code == "INTERNAL_ERROR"
    assert "/srv/" not in render.error_message
    assert "FFmpeg said" not in render.error_message
    assert "/srv/work/scene-3.ass" in render.error_detail
    assert code == "EXTERNAL_API_ERROR"
    assert "sk-live" not in message
    assert re.search(r"reference [0-9a-f]{12}", message)


# ---------------------------------------------------------------- per-user secrets, https only


@pytest.mark.django_db
def test_a_user_creates_and_rotates_their_own_webhook_secret_and_sees_it_only_once(api, user):
    created = api.post("/api/v1/users/me/webhook-secret/")
    rotated = api.post("/api/v1/users/me/webhook-secret/")
    state = api.get("/api/v1/users/me/webhook-secret/")

    assert created.status_code == 201
    assert rotated.status_code == 201
    first, second = created.json()["secret"], rotated.json()["secret"]
    assert first.startswith("whsec_")
    assert second.startswith("whsec_")
    assert first != second
    assert WebhookSecret.objects.get(user=user).secret == second
    assert state.status_code == 200
    assert state.json()["is_set"] is True
    assert "secret" not in state.json()
    assert api.delete("/api/v1/users/me/webhook-secret/").status_code == 204
    assert not WebhookSecret.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_webhooks_are_signed_with_the_owners_secret_else_the_shared_one(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    own_secret = "whsec_only-this-customer-knows"
    with_secret, without_secret = UserFactory(), UserFactory()
    WebhookSecret.objects.create(user=with_secret, secret=own_secret)
    with Receiver() as receiver:
        for owner in (with_secret, without_secret):
            story = story_in(Status.FINALIZING, owner=owner, callback_url=receiver.url)
            complete_final_render(story, django_capture_on_commit_callbacks)

    mine, theirs = receiver.requests
    assert verify(mine["headers"]["Reelmaker-Signature"], mine["body"], own_secret)
    assert not verify(mine["headers"]["Reelmaker-Signature"], mine["body"], SECRET)
    assert verify(theirs["headers"]["Reelmaker-Signature"], theirs["body"], SECRET)


@pytest.mark.django_db
def test_an_http_callback_url_is_refused_at_save_time_unless_allowed(api, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_ALLOW_HTTP = False
    brief = {"keyword": "coffee", "language": "en", "callback_url": "http://127.0.0.1:9/hook"}

    refused = api.post("/api/v1/stories/", brief, format="json")
    settings.WEBHOOK_ALLOW_HTTP = True
    allowed = api.post("/api/v1/stories/", brief, format="json")

    assert refused.status_code == 400, refused.content
    assert refused.json()["error"]["code"] == "INVALID_REQUEST"
    assert allowed.status_code == 201, allowed.content
    assert Story.objects.count() == 1


@pytest.mark.django_db
def test_an_http_callback_url_is_refused_at_send_time_and_nothing_is_posted(
    webhook_settings, eager_celery, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        story = story_in(Status.FINALIZING, callback_url=receiver.url)
        webhook_settings.WEBHOOK_ALLOW_HTTP = False

        story = complete_final_render(story, django_capture_on_commit_callbacks)

    assert receiver.requests == []
    [job] = webhook_jobs(story)
    assert job.status == Job.Status.FAILED
    assert job.error_code == "INVALID_REQUEST"
    assert story.status == Status.COMPLETED
