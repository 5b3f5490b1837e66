"""A Python client generated from the schema by openapi-python-client, used as generated, makes a
reel against a live server and a real Celery worker: register, log in, create a story, plan,
preview, final (each followed by polling the story's events), then download the final MP4 and
probe it.

The server is pytest-django's `live_server` on the suite's PostgreSQL; the worker and Redis come
from tests/realservices.py, as in tests/e2e/.
"""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

from render.probe import probe

CONFIG = Path(__file__).resolve().parent / "python_client.yaml"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "reelmaker_client"  # package_name_override in python_client.yaml
EMAIL, PASSWORD = "lee@example.com", "correct-horse-battery-9"
STEP_DEADLINE_S = 180  # one step (plan, preview or final) on 2 shared cores takes ~10-40 s
ORDER = ["PLANNING", "PLANNED", "PREVIEWING", "PREVIEW_READY", "FINALIZING", "COMPLETED"]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class Operations:
    """The generated client's operation modules by operation id (`ops.stories_create.sync`),
    whichever tag folder the generator put them in."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package
        self.api = Path(str(package.__file__)).parent / "api"

    def __getattr__(self, operation_id: str) -> ModuleType:
        found = sorted(self.api.glob(f"*/{operation_id}.py"))
        assert len(found) == 1, f"the generated client has no operation {operation_id}"
        tag = found[0].parent.name
        return importlib.import_module(f"{self.package.__name__}.api.{tag}.{operation_id}")


@pytest.fixture(scope="module")
def generated(openapi_schema, tmp_path_factory):
    """`openapi-python-client generate` into a temp dir (no warnings allowed), imported."""
    root = tmp_path_factory.mktemp("pyclient")
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(openapi_schema),
            "--output-path",
            str(root / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(CONFIG),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        package = importlib.import_module(PACKAGE)
        yield package, Operations(package), importlib.import_module(f"{PACKAGE}.models")
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


def follow(ops, api, story_id: int, *, after: int) -> tuple[str, list, int]:
    """Poll the JSON form of the story's events until it rests (no step running).
    Returns its status, the events seen and the last event id."""
    deadline = time.monotonic() + STEP_DEADLINE_S
    seen = []
    while True:
        page = ops.stories_events_list.sync(story_id=story_id, client=api, after=after)
        seen += page.results
        after = page.last_event_id
        if page.is_final:
            return page.status, seen, after
        if time.monotonic() > deadline:
            pytest.fail(f"story {story_id} still {page.status} after {STEP_DEADLINE_S} s")
        time.sleep(0.5)  # polling is the form of the API under test


def start(ops, operation: str, api, story_id: int, *, now: str) -> None:
    """A work-starting action: 202 with the story in its working status and queued jobs."""
    response = getattr(ops, operation).sync_detailed(story_id=story_id, client=api)
    assert response.status_code == 202, response.content
    assert response.parsed.story.status.value == now
    assert response.parsed.job_ids


def test_the_generated_python_client_makes_a_reel_end_to_end(
    generated, live_server, celery_workers, tmp_path
):
    celery_workers("pyclient")
    package, ops, models = generated
    options = {
        "base_url": live_server.url,
        "headers": {"Accept-Language": "en"},
        "raise_on_unexpected_status": True,
        "httpx_args": {"trust_env": False},  # no proxy between the test and its own server
    }
    anonymous = package.Client(**options)

    registered = ops.auth_register.sync_detailed(
        client=anonymous, body=models.RegisterInputRequest(email=EMAIL, password=PASSWORD)
    )
    assert registered.status_code == 201, registered.content
    tokens = ops.auth_login.sync(
        client=anonymous, body=models.LoginInputRequest(email=EMAIL, password=PASSWORD)
    )
    assert isinstance(tokens, models.TokenPair)
    api = package.AuthenticatedClient(token=tokens.access, **options)
    me = ops.users_me_retrieve.sync(client=api)
    assert (me.id, me.email) == (registered.parsed.id, EMAIL)

    created = ops.stories_create.sync_detailed(
        client=api,
        body=models.StoryCreateInputRequest(
            keyword="rainy day bookshop",
            language=models.Language.EN,
            duration_s=6,
            aspect=models.Aspect("9:16"),
            business=models.BusinessRequest(name="Moonlight Books", place="Maple Street"),
        ),
    )
    assert created.status_code == 201, created.content
    story_id = created.parsed.id
    assert created.parsed.status.value == "DRAFT"

    # An upload is multipart: the generated File wraps the bytes, the server reads the image.
    File = importlib.import_module(f"{PACKAGE}.types").File
    image = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 90, 160)).save(image, "PNG")
    image.seek(0)
    uploaded = ops.uploads_create.sync_detailed(
        client=api,
        body=models.UploadInputRequest(
            file=File(payload=image, file_name="cover.png", mime_type="image/png"),
            kind=models.UploadKind.IMAGE,
        ),
    )
    assert uploaded.status_code == 201, uploaded.content
    assert (uploaded.parsed.kind.value, uploaded.parsed.width) == ("image", 320)
    assert uploaded.parsed.mime_type == "image/png"

    # A refusal comes back as the error envelope, its body parsed by its code.
    refused = ops.stories_render_final.sync_detailed(story_id=story_id, client=api)
    assert refused.status_code == 409
    assert isinstance(refused.parsed, models.Error)
    assert isinstance(refused.parsed.error, models.IllegalTransitionError)
    assert "PLANNING" in refused.parsed.error.details.allowed

    events = []
    after = 0
    for operation, working, resting in [
        ("stories_plan", "PLANNING", "PLANNED"),
        ("stories_generate_preview", "PREVIEWING", "PREVIEW_READY"),
        ("stories_render_final", "FINALIZING", "COMPLETED"),
    ]:
        start(ops, operation, api, story_id, now=working)
        status, seen, after = follow(ops, api, story_id, after=after)
        events += seen
        assert status == resting, [event.to_dict() for event in seen[-5:]]

    story = ops.stories_retrieve.sync(story_id=story_id, client=api)
    assert story.status.value == "COMPLETED"
    assert story.business.name == "Moonlight Books"
    # The events come parsed into the model their `kind` names (a discriminated union).
    statuses = [e.payload.to.value for e in events if isinstance(e, models.StatusEvent)]
    assert statuses == ORDER
    jobs = ops.stories_jobs.sync(story_id=story_id, client=api)
    assert {job.status.value for job in jobs} == {"succeeded"}

    download = api.get_httpx_client().get(story.media.final)
    assert download.status_code == 200, download.text[:500]
    assert download.headers["content-type"] == "video/mp4"
    final = tmp_path / "final.mp4"
    final.write_bytes(download.content)
    info = probe(final)
    assert (info.video_codec, info.width, info.height) == ("h264", 1080, 1920)
    assert info.audio_codec == "aac"
    assert 3 < info.duration_s < 15
