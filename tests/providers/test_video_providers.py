"""Veo (google-genai), Runway (runwayml) and Sora (openai) clips against local servers in
their documented wire formats: create, poll with backoff, download, ffprobe, trim; faults."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from jobs.models import Job
from providers.base import PermanentProviderError, TransientProviderError
from providers.video.base import PollTimeout
from providers.video.runway import RunwayProvider
from providers.video.sora import SoraProvider, WebhookRejected, completed_video_id
from providers.video.veo import VeoProvider
from scenes.services.media import make_scene_visual
from tests.factories import JobFactory, SceneFactory, StoryFactory
from tests.providers.fake_stock import Answer, json_answer
from tests.providers.fake_video import FakeVideo, make_clip, signed_webhook

WEBHOOK_SECRET = "whsec_" + "c2VjcmV0LWZvci10ZXN0cy0xMjM0NTY3ODkw"  # base64 of a test secret


@pytest.fixture(scope="session")
def _video_server(tmp_path_factory):
    clip = make_clip(tmp_path_factory.mktemp("clip") / "gen.mp4", seconds=3)
    server = FakeVideo(clip=clip).start()
    yield server
    server.stop()


@pytest.fixture
def video(_video_server, settings, tmp_path):
    _video_server.requests.clear()
    _video_server.faults.clear()
    _video_server.canned.clear()
    _video_server.polls.clear()
    _video_server.polls_before_done = 2
    _video_server.ending = "success"
    settings.WORK_DIR = tmp_path / "work"
    settings.FETCH_ALLOW_PRIVATE_URLS = True
    settings.VIDEO_POLL_FIRST_S = 0.01
    settings.VIDEO_POLL_MAX_S = 0.05
    settings.VIDEO_POLL_DEADLINE_S = 5
    return _video_server


def clip_args(tmp_path, duration_ms=2000):
    return {
        "prompt": "steam rising from a latte",
        "width": 1080,
        "height": 1920,
        "duration_ms": duration_ms,
        "index": 0,
        "out_path": tmp_path / "clip.png",
    }


def probe(path) -> dict:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         str(path)],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def veo(video):
    return VeoProvider(api_key="gemini-key", base_url=f"{video.url}/", timeout_s=2)


def runway(video):
    return RunwayProvider(api_key="rw-secret", base_url=video.url, timeout_s=2)


def sora(video):
    return SoraProvider(api_key="sk-sora", base_url=f"{video.url}/v1", timeout_s=2)


# ---------------------------------------------------------------- Veo


def test_veo_starts_an_operation_polls_it_downloads_and_trims(video, tmp_path):
    result = veo(video).make_clip(**clip_args(tmp_path, duration_ms=2000))

    start = video.seen("/v1beta/models/")[0]
    assert start.method == "POST"
    assert start.path == "/v1beta/models/veo-3.0-generate-001:predictLongRunning"
    assert start.headers["x-goog-api-key"] == "gemini-key"
    body = start.json()
    assert body["instances"][0]["prompt"] == "steam rising from a latte"
    assert body["parameters"]["aspectRatio"] == "9:16"
    assert body["parameters"]["durationSeconds"] == 4
    polls = [r for r in video.requests if "/operations/" in r.path]
    assert len(polls) == 3  # two "running" answers, then done
    assert video.seen("/v1beta/files/vid42abc:download")
    info = probe(result.path)
    assert float(info["format"]["duration"]) <= 2.1
    assert [s["codec_type"] for s in info["streams"]] == ["video"]
    assert result.kind == "video"
    assert result.provider == "veo"
    assert (result.usage.unit, result.usage.units) == ("seconds", 4.0)


def test_veo_safety_block_is_permanent_and_says_why(video, tmp_path):
    video.ending = "blocked"

    with pytest.raises(PermanentProviderError, match="blocked by a safety filter"):
        veo(video).make_clip(**clip_args(tmp_path))

    assert not video.seen("/v1beta/files/")


def test_veo_quota_is_transient_with_googles_retry_delay(video, tmp_path):
    video.answer_next(
        json_answer(
            {
                "error": {
                    "code": 429,
                    "message": "Resource has been exhausted (e.g. check quota).",
                    "status": "RESOURCE_EXHAUSTED",
                    "details": [
                        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}
                    ],
                }
            },
            429,
        ),
        path="/v1beta/models/",
    )

    with pytest.raises(TransientProviderError) as limited:
        veo(video).make_clip(**clip_args(tmp_path))

    assert limited.value.retry_after_s == 7.0
    assert len(video.requests) == 1  # the SDK's own retries are off


def test_veo_invalid_key_is_permanent_and_names_the_setting(video, tmp_path):
    video.answer_next(
        json_answer(
            {
                "error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason": "API_KEY_INVALID",
                        }
                    ],
                }
            },
            400,
        ),
        path="/v1beta/models/",
    )

    with pytest.raises(PermanentProviderError, match="check GEMINI_API_KEY"):
        veo(video).make_clip(**clip_args(tmp_path))


def test_veo_5xx_and_timeout_are_transient(video, tmp_path):
    video.fail_next("500", path="/v1beta/models/")
    with pytest.raises(TransientProviderError):
        veo(video).make_clip(**clip_args(tmp_path))

    video.fail_next("slow", path="/v1beta/models/")
    with pytest.raises(TransientProviderError, match="timed out"):
        VeoProvider(api_key="k", base_url=f"{video.url}/", timeout_s=1).make_clip(
            **clip_args(tmp_path)
        )


def test_veo_video_that_is_not_a_video_is_permanent(video, tmp_path):
    video.answer_next(Answer(200, b"not an mp4 at all" * 50, "video/mp4"), path="/v1beta/files/")

    with pytest.raises(PermanentProviderError, match="cannot be used"):
        veo(video).make_clip(**clip_args(tmp_path))

    assert not list(tmp_path.glob("clip*"))


# ---------------------------------------------------------------- Runway


def test_runway_creates_a_task_polls_it_and_downloads_the_output(video, tmp_path):
    result = runway(video).make_clip(**clip_args(tmp_path, duration_ms=2500))

    create = video.seen("/v1/text_to_video")[0]
    assert create.headers["authorization"] == "Bearer rw-secret"
    assert create.headers["x-runway-version"] == "2024-11-06"
    assert create.json() == {
        "model": "gen4.5",
        "promptText": "steam rising from a latte",
        "ratio": "720:1280",
        "duration": 3,
    }
    assert len(video.seen("/v1/tasks/")) == 3
    assert len(video.seen("/media/")) == 1
    assert float(probe(result.path)["format"]["duration"]) <= 2.6
    assert result.usage.billed == (("credits", 25.0),)


@pytest.mark.parametrize(
    ("ending", "message"),
    [("cancelled", "canceled on Runway's side"), ("failed", "SAFETY.INPUT.TEXT")],
)
def test_runway_cancelled_or_failed_ends_the_wait_at_once(video, tmp_path, ending, message):
    video.ending = ending
    started = time.monotonic()

    with pytest.raises(PermanentProviderError, match=message):
        runway(video).make_clip(**clip_args(tmp_path))

    assert time.monotonic() - started < 2
    assert not video.seen("/media/")


def test_runway_task_that_never_finishes_hits_the_deadline(video, settings, tmp_path):
    video.polls_before_done = 10_000
    settings.VIDEO_POLL_DEADLINE_S = 1

    with pytest.raises(PollTimeout):
        runway(video).make_clip(**clip_args(tmp_path))

    polls = len(video.seen("/v1/tasks/"))
    assert 3 <= polls < 60  # waits grew instead of hammering the API


def test_runway_faults_map_to_retry_or_fail(video, tmp_path):
    video.fail_next("429", path="/v1/text_to_video")
    with pytest.raises(TransientProviderError) as limited:
        runway(video).make_clip(**clip_args(tmp_path))
    assert limited.value.retry_after_s == 1.0

    video.fail_next("401", path="/v1/text_to_video")
    with pytest.raises(PermanentProviderError, match="check RUNWAYML_API_SECRET"):
        runway(video).make_clip(**clip_args(tmp_path))

    video.fail_next("garbage", path="/v1/tasks/")
    with pytest.raises(PermanentProviderError, match="not the documented JSON"):
        runway(video).make_clip(**clip_args(tmp_path))


# ---------------------------------------------------------------- Sora


def test_sora_creates_polls_and_downloads_the_content(video, tmp_path):
    result = sora(video).make_clip(**clip_args(tmp_path, duration_ms=3000))

    create = video.seen("/v1/videos")[0]
    assert create.method == "POST"
    assert create.headers["authorization"] == "Bearer sk-sora"
    sent = create.body.decode()
    for field, value in (("model", "sora-2"), ("seconds", "4"), ("size", "720x1280")):
        assert field in sent
        assert value in sent
    assert [r.path for r in video.requests][-1].endswith("/content")
    assert float(probe(result.path)["format"]["duration"]) <= 3.1
    assert result.usage.units == 4.0


def test_sora_failed_job_is_permanent_with_the_reason(video, tmp_path):
    video.ending = "failed"

    with pytest.raises(PermanentProviderError, match="blocked by moderation"):
        sora(video).make_clip(**clip_args(tmp_path))


def test_sora_webhook_is_verified_before_it_is_believed():
    event = {"id": "evt_1", "object": "event", "created_at": int(time.time()),
             "type": "video.completed", "data": {"id": "video_123"}}  # fmt: skip
    body, headers = signed_webhook(event, secret=WEBHOOK_SECRET)

    assert completed_video_id(payload=body, headers=headers, secret=WEBHOOK_SECRET) == "video_123"

    with pytest.raises(WebhookRejected):
        completed_video_id(payload=body.replace("123", "666"), headers=headers,
                           secret=WEBHOOK_SECRET)  # fmt: skip
    stale_body, stale = signed_webhook(event, secret=WEBHOOK_SECRET, timestamp=1_000_000_000)
    with pytest.raises(WebhookRejected, match="too old"):
        completed_video_id(payload=stale_body, headers=stale, secret=WEBHOOK_SECRET)
    other_body, other = signed_webhook({**event, "type": "video.failed"}, secret=WEBHOOK_SECRET)
    assert completed_video_id(payload=other_body, headers=other, secret=WEBHOOK_SECRET) is None


# ---------------------------------------------------------------- through the service


@pytest.mark.django_db
def test_a_motion_scene_uses_the_video_provider_and_falls_back_to_artwork(video, settings):
    settings.REELMAKER_VIDEO = ["runway", "veo"]
    settings.REELMAKER_VISUALS = ["artwork"]
    settings.RUNWAYML_API_SECRET = "rw-secret"
    settings.RUNWAYML_BASE_URL = video.url
    settings.GEMINI_API_KEY = "gemini-key"
    settings.GEMINI_BASE_URL = f"{video.url}/"
    story = StoryFactory()
    hook = SceneFactory(story=story, position=0, visual_prompt="latte", duration_ms=1500)
    body = SceneFactory(story=story, position=1, visual_prompt="beans", duration_ms=1500)
    video.ending = "cancelled"  # Runway gives up; Veo's operation ends with a video

    hook_result = make_scene_visual(
        scene_id=hook.pk, job=JobFactory(story=story, scene=hook, kind=Job.Kind.VISUAL)
    )
    body_result = make_scene_visual(
        scene_id=body.pk, job=JobFactory(story=story, scene=body, kind=Job.Kind.VISUAL)
    )

    assert hook_result["provider"] == "veo (after runway)"
    assert hook_result["output"].kind == "video"
    assert hook_result["output"].duration_ms is None or hook_result["output"].duration_ms <= 1600
    assert body_result["provider"] == "artwork"  # only the hook asks for motion by default
    assert story.usage.filter(provider="veo", unit="seconds").count() == 1
