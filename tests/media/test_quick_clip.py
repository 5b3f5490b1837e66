"""Quick clip: prompt -> image -> a short clip, as a job; offline it is the artwork in motion.
The clip and its image land in the library and can be put in a reel."""

from __future__ import annotations

import json
import subprocess

import pytest

from jobs import dispatch, pipeline
from jobs.models import Job
from stories.models import Story
from tests.factories import SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db

CLIPS = "/api/v1/media/quick_clips"


@pytest.fixture
def sent(monkeypatch, settings, tmp_path):
    """Jobs sent to workers, run here by the test instead (the same run_job a worker calls)."""
    settings.WORK_DIR = tmp_path / "work"
    settings.REELMAKER_VISUALS = []
    settings.REELMAKER_VIDEO = []
    settings.RENDER_ENCODER = "libx264"
    calls: list[list[int]] = []
    monkeypatch.setattr(dispatch, "_send", lambda jobs: calls.append([j.pk for j in jobs]))
    return calls


def _probe(path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_a_quick_clip_offline_is_the_artwork_in_motion_kept_in_the_library(
    api, user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            CLIPS, {"prompt": "lanterns over a night market", "duration_s": 5}, format="json"
        )

    assert response.status_code == 202, response.json()
    started = response.json()
    assert started["status"] == "queued"
    assert started["clip"] is None
    assert sent == [[started["job_id"]]]
    pipeline.run_job(job_id=started["job_id"])

    done = api.get(f"{CLIPS}/{started['job_id']}").json()
    assert done["status"] == "succeeded"
    assert done["progress"] == 100
    assert done["clip"]["provider"] == "artwork-motion"
    assert done["image"]["provider"] == "artwork"
    assert done["clip"]["prompt"] == "lanterns over a night market"
    job = Job.objects.select_related("output").get(pk=started["job_id"])
    info = _probe(job.output.file.path)
    video = info["streams"][0]
    assert video["codec_name"] == "h264"
    assert (video["width"], video["height"]) == (1080, 1920)
    assert abs(float(info["format"]["duration"]) - 5.0) < 0.2
    found = api.get("/api/v1/media/library", {"q": "night market", "kind": "video"}).json()
    assert [a["id"] for a in found] == [done["clip"]["id"]]
    # Not one of the reels.
    assert api.get("/api/v1/stories/").json()["count"] == 0
    # Usable in a reel.
    scene = SceneFactory(story=StoryFactory(owner=user))
    picked = api.post(
        f"/api/v1/scenes/{scene.pk}/visual", {"asset": done["clip"]["id"]}, format="json"
    )
    assert picked.status_code == 200
    scene.refresh_from_db()
    assert scene.visual.kind == "video"
    assert scene.visual.sha256 == job.output.sha256


@pytest.mark.parametrize(
    "body",
    [{}, {"prompt": ""}, {"prompt": "x", "duration_s": 60}, {"prompt": "x", "aspect": "4:3"}],
)
def test_a_bad_quick_clip_request_is_400_and_starts_nothing(api, sent, body):
    response = api.post(CLIPS, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"
    assert not Job.objects.exists()
    assert not Story.objects.exists()


def test_another_users_quick_clip_is_404(api, other_api, sent):
    started = api.post(CLIPS, {"prompt": "cats"}, format="json").json()

    assert other_api.get(f"{CLIPS}/{started['job_id']}").status_code == 404


def test_a_reel_job_is_not_a_quick_clip(api, user, sent):
    job = Job.objects.create(story=StoryFactory(owner=user), kind=Job.Kind.PLAN)

    assert api.get(f"{CLIPS}/{job.pk}").status_code == 404


@pytest.fixture(scope="module")
def stock_server(tmp_path_factory):
    from tests.media.test_stock_search import DistinctStock
    from tests.providers.fake_video import make_clip

    server = DistinctStock(clip=make_clip(tmp_path_factory.mktemp("c") / "c.mp4", seconds=3))
    yield server.start()
    server.stop()


def test_a_quick_clip_uses_the_configured_image_and_video_providers(
    api, sent, stock_server, settings
):
    settings.PEXELS_API_KEY = "pexels-test-key"
    settings.PEXELS_BASE_URL = stock_server.url
    settings.REELMAKER_VISUALS = ["pexels"]
    settings.REELMAKER_VIDEO = ["pexels"]
    settings.FETCH_ALLOW_PRIVATE_URLS = True  # the fake lives on 127.0.0.1
    started = api.post(CLIPS, {"prompt": "harbour at dawn"}, format="json").json()

    pipeline.run_job(job_id=started["job_id"])

    done = api.get(f"{CLIPS}/{started['job_id']}").json()
    assert done["status"] == "succeeded"
    assert done["image"]["provider"] == "pexels"
    assert done["image"]["credit"] == "Photo by Pexels Person 0 on Pexels"
    assert done["clip"]["provider"] == "pexels-video"
    assert done["clip"]["credit"] == "Video by Pexels Filmer 0 on Pexels"
    assert [r.query["query"] for r in stock_server.seen("/videos/search")] == [["harbour at dawn"]]
