"""Schemathesis against the live OpenAPI schema, in process (WSGI), as a signed-in user:
no 5xx and every response matches the schema, for every operation of the API: auth, users,
stories, scenes, prompts, jobs, uploads and events (the JSON page, the ticket and the stream,
which ends at once: the user's story is resting)."""

import io

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from PIL import Image
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error, response_schema_conformance

from jobs.models import Job
from reelmaker.wsgi import application
from scenes.models import Prompt
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, SceneFactory, StoryFactory, UserFactory

# Every operation of the API, jobs, uploads and events included.
OURS = r"^/api/"


@pytest.fixture
def _keep_the_test_connection():
    """Like Django's test client: the WSGI app must not close the connection that holds the
    test's transaction at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def _no_dns(monkeypatch):
    """Generated callback URLs name random hosts: answer 'does not resolve' at once instead of
    asking a resolver (offline machines can be slow to say no)."""
    import socket

    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr("reelmaker.ssrf.socket.getaddrinfo", no_such_host)


@pytest.fixture
def world(db, _keep_the_test_connection, _no_dns, settings):
    """A user with a planned story, its scenes, prompts and a failed job, to aim the ids at."""
    # A server that takes payments: the Stripe webhook verifies (and refuses) what it is sent
    # instead of answering 503 BILLING_NOT_CONFIGURED.
    settings.STRIPE_WEBHOOK_SECRET = "whsec_fuzz"
    user = UserFactory(username="fuzz@example.com", email="fuzz@example.com")
    story = StoryFactory(owner=user)
    Story.objects.filter(pk=story.pk).update(status=Status.PLANNED)
    scenes = [SceneFactory(story=story, position=i) for i in range(2)]
    prompt = Prompt.objects.create(scene=scenes[0], kind="visual", text="a lighthouse")
    job = JobFactory(story=story, kind=Job.Kind.VISUAL, scene=scenes[0], status=Job.Status.FAILED)
    token = str(RefreshToken.for_user(user).access_token)
    return {
        "token": token,
        "story": story.pk,
        "scene": scenes[0].pk,
        "prompt": prompt.pk,
        "job": job.pk,
    }


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 90)).save(out, "PNG")
    return out.getvalue()


PNG = png()


schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(path_regex=OURS)


def aim(case, world) -> None:
    """Point generated ids at the user's own objects most of the time (random ids are 404s)."""
    params = case.path_parameters or {}
    for name in ("story_id", "scene_id", "prompt_id", "job_id"):
        if name in params and not str(params[name]).endswith("7"):
            params[name] = world[name.removesuffix("_id")]
    body = case.body
    if case.operation.path == "/api/v1/media/uploads/" and isinstance(body, dict):
        # Random bytes are refused (400); a real image, unless another kind is asked, is kept.
        if body.get("kind") in (None, "image"):
            body["file"] = PNG
        if "story" in body and not str(body["story"]).endswith("7"):
            body["story"] = world["story"]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, world):
    aim(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['token']}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
