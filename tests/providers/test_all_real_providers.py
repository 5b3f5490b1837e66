"""The whole reel with every real provider at once, configured by settings alone: the plan from
the OpenAI writer, scene pictures from Pexels, Unsplash and OpenAI images (with their credits),
the voice from ElevenLabs, and every media file on SeaweedFS (S3). Once through `makereel` and
once through the API with Celery eager.

Pexels comes first in REELMAKER_VISUALS; permanent faults on two of its searches and on one
Unsplash search make the four scenes take their pictures from all three providers, whatever
order the scene jobs run in: two from Pexels, one from Unsplash, one from OpenAI.
"""

from __future__ import annotations

import base64
import json
import subprocess
import urllib.request
import zlib
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from billing.models import UsageRecord
from jobs.models import Job
from media.models import Asset
from reelmaker.celery import app as celery_app
from scenes.models import Scene
from scenes.services.rendering import clip_name
from stories.models import Story
from stories.states import Status
from tests.factories import UserFactory
from tests.media.storage.conftest import ACCESS, BUCKET, SECRET, WeedMini
from tests.providers.fake_openai_images import png_bytes
from tests.providers.fake_stock import Answer, FakeStock, Seen, jpeg_bytes
from tests.providers.fake_video import make_clip
from tests.providers.fakes import FakeOpenAI, valid_plan

pytestmark = pytest.mark.slow

PLAN_TITLE = "Dawn at the roastery"
STOCK_PROVIDERS = {"pexels", "unsplash"}


class FakeOpenAIAll(FakeOpenAI):
    """One OpenAI host for the writer (chat/responses) and the images API, as with a real
    OPENAI_BASE_URL: POST /v1/images/generations answers a portrait PNG as `b64_json`."""

    def answer(self, method, path, body, mode):
        if method == "POST" and path.endswith("/images/generations"):
            width, height = (int(v) for v in body.get("size", "1024x1536").split("x"))
            data = base64.b64encode(png_bytes(width // 8, height // 8)).decode()
            return 200, {
                "created": 1_760_000_000,
                "data": [{"b64_json": data}],
                "output_format": "png",
                "size": body.get("size"),
                "usage": {
                    "input_tokens": 12,
                    "output_tokens": 1056,
                    "total_tokens": 1068,
                    "input_tokens_details": {"image_tokens": 0, "text_tokens": 12},
                },
            }
        return super().answer(method, path, body, mode)

    def image_posts(self):
        return [r for r in self.posts() if r.path.endswith("/images/generations")]


@cache
def photo_for(path: str) -> bytes:
    """A JPEG of its own colour per media path: different photos are different bytes."""
    crc = zlib.crc32(path.encode())
    return jpeg_bytes(colour=(crc & 0xFF, (crc >> 8) & 0xFF, (crc >> 16) & 0xFF))


class StockPhotos(FakeStock):
    """FakeStock whose photos differ from one another, as real ones do (the plain fake serves
    one JPEG for every URL, and identical bytes are one Asset within a story)."""

    def route(self, seen: Seen) -> Answer:
        if seen.path.startswith("/media/") and not seen.path.endswith(".mp4"):
            return Answer(200, photo_for(seen.path), "image/jpeg")
        return super().route(seen)


@pytest.fixture(scope="session")
def _openai_host():
    server = FakeOpenAIAll().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _stock_host(tmp_path_factory):
    clip = make_clip(tmp_path_factory.mktemp("clip") / "stock.mp4", seconds=3)
    server = StockPhotos(clip=clip).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _weed():
    server = WeedMini().start()
    yield server
    server.stop()


@pytest.fixture
def all_real(_openai_host, _stock_host, _weed, fake_elevenlabs, prices, settings, tmp_path):
    """Every provider switched on by settings and pointed at its local server; default
    storage on SeaweedFS the way production configures S3 from the environment."""
    from boto3.s3.transfer import TransferConfig

    _openai_host.reset()
    _openai_host.plan = valid_plan(duration_s=8, title=PLAN_TITLE)
    _stock_host.requests.clear()
    _stock_host.faults.clear()
    _stock_host.canned.clear()
    # Pexels is tried first for every scene: two scenes fall to Unsplash, one of them on to
    # OpenAI. The faults are permanent (no retry), so the split does not depend on job order.
    _stock_host.fail_next("401", path="/v1/search")
    _stock_host.fail_next("garbage", path="/v1/search")
    _stock_host.fail_next("garbage", path="/search/photos")

    settings.REELMAKER_WRITER = "openai"
    settings.OPENAI_API_KEY = "sk-test-all"
    settings.OPENAI_BASE_URL = f"{_openai_host.url}/v1"
    settings.OPENAI_WRITER_MODEL = "gpt-4o-mini"
    settings.OPENAI_IMAGE_MODEL = "gpt-image-1"
    settings.OPENAI_TIMEOUT_S = 5
    settings.REELMAKER_VISUALS = ["pexels", "unsplash", "openai"]
    settings.REELMAKER_VIDEO = []
    settings.PEXELS_API_KEY = "pexels-test-key"
    settings.PEXELS_BASE_URL = _stock_host.url
    settings.UNSPLASH_ACCESS_KEY = "unsplash-access-key"
    settings.UNSPLASH_BASE_URL = _stock_host.url
    settings.FETCH_ALLOW_PRIVATE_URLS = True  # the fakes live on 127.0.0.1
    settings.PROVIDER_TIMEOUT_S = 5
    settings.PROVIDER_ATTEMPTS = 2
    settings.PROVIDER_RETRY_AFTER_MAX_S = 2

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WORK_DIR = tmp_path / "work"
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = _weed.endpoint
    settings.AWS_ACCESS_KEY_ID = ACCESS
    settings.AWS_SECRET_ACCESS_KEY = SECRET
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_QUERYSTRING_EXPIRE = 300
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_S3_TRANSFER_CONFIG = TransferConfig(
        multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024
    )
    # Changing STORAGES through the settings fixture resets django's default_storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    return {"openai": _openai_host, "stock": _stock_host, "s3": _weed}


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def bucket_keys(seaweed: WeedMini) -> set[str]:
    keys: set[str] = set()
    pages = seaweed.client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    for page in pages:
        keys |= {item["Key"] for item in page.get("Contents", [])}
    return keys


def probe_streams(path: Path) -> set[str]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        check=True,
    )
    return {s["codec_type"] for s in json.loads(done.stdout)["streams"]}


def assert_reel_from_every_provider(story: Story, fakes: dict, media_root: Path) -> None:
    """What both ways of making a reel must leave behind."""
    openai_host, stock, seaweed = fakes["openai"], fakes["stock"], fakes["s3"]
    assert story.status == Status.PREVIEW_READY, story.error_message

    # The plan came from the OpenAI writer.
    assert story.title == PLAN_TITLE
    scenes = list(story.scenes.select_related("visual", "voice").order_by("position"))
    assert [s.narration for s in scenes] == [f"Scene {n} speaks now." for n in range(1, 5)]
    writer_calls = [r for r in openai_host.posts() if r not in openai_host.image_posts()]
    assert len(writer_calls) == 1
    assert writer_calls[0].body["model"] == "gpt-4o-mini"

    # Each scene's picture came from an image provider, with its credits stored.
    visuals = [s.visual for s in scenes]
    assert sorted(v.source_provider for v in visuals) == ["openai", "pexels", "pexels", "unsplash"]
    for visual in visuals:
        assert visual.kind == Asset.Kind.IMAGE
        assert visual.licence
        if visual.source_provider in STOCK_PROVIDERS:
            assert visual.attribution.startswith("Photo by ")
            assert visual.source_url.startswith("https://")
    by_provider = {v.source_provider: v for v in visuals}
    assert "Pexels License" in by_provider["pexels"].licence
    assert "Unsplash License" in by_provider["unsplash"].licence
    assert by_provider["openai"].licence.startswith("generated by OpenAI")
    image_calls = openai_host.image_posts()
    assert len(image_calls) == 1
    assert image_calls[0].body["model"] == "gpt-image-1"
    assert image_calls[0].body["size"] == "1024x1536"
    assert image_calls[0].headers["authorization"] == "Bearer sk-test-all"
    assert len(stock.seen("/v1/search")) == 4  # every scene asked Pexels first
    assert len(stock.seen("/search/photos")) == 2

    # Unsplash's download tracking was called for the photo used, and its credit is in the
    # caption (Pexels' licence asks for none).
    unsplash = by_provider["unsplash"]
    photo_id = urlsplit(unsplash.source_url).path.rsplit("/", 1)[-1]
    tracking = stock.seen(f"/photos/{photo_id}/download")
    assert len(tracking) == 1
    assert tracking[0].headers["authorization"] == "Client-ID unsplash-access-key"
    assert story.post_caption.startswith("Fresh every morning ☕\nPhoto by Unsplash Person")
    assert unsplash.attribution in story.post_caption
    assert "Pexels" not in story.post_caption

    # The fallbacks taken are on the visual jobs.
    notes = sorted(
        Job.objects.filter(story=story, kind=Job.Kind.VISUAL).values_list("provider", flat=True)
    )
    assert notes == [
        "openai (after pexels, unsplash)",
        "pexels",
        "pexels",
        "unsplash (after pexels)",
    ]

    # The voice came from ElevenLabs.
    assert {s.voice.source_provider for s in scenes} == {"elevenlabs"}
    assert all(s.word_timings[0]["text"] == "Scene" for s in scenes)

    # Every provider call was counted.
    usage = set(UsageRecord.objects.filter(story=story).values_list("provider", "model"))
    providers = {provider for provider, _ in usage}
    assert {"openai", "elevenlabs", "pexels", "unsplash"} <= providers
    assert {("openai", "gpt-4o-mini"), ("openai", "gpt-image-1")} <= usage

    # Every media file lives in the bucket, none on local disk.
    assets = list(Asset.objects.filter(story=story))
    kinds = {a.kind for a in assets}
    assert {"image", "audio", "video"} <= kinds
    assert story.preview_id in {a.pk for a in assets}
    keys = bucket_keys(seaweed)
    missing = sorted(a.file.name for a in assets if a.file.name not in keys)
    assert not missing, f"not in the bucket: {missing}"
    # Scene clips are stored by render key rather than as Assets: on S3 too.
    assert all(s.render_key for s in Scene.objects.filter(story=story))
    clips = {clip_name(s.render_key) for s in Scene.objects.filter(story=story)}
    assert clips <= keys, sorted(clips - keys)
    local = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    assert local == []


@pytest.mark.django_db(transaction=True)  # asset jobs run in threads with their own connections
def test_makereel_uses_every_real_provider_and_keeps_media_on_s3(all_real, settings, tmp_path):
    out = tmp_path / "reel.mp4"

    call_command(
        "makereel", "morning coffee", "--lang", "en", "--duration", "8",
        "--profile", "preview", "--out", str(out),
    )  # fmt: skip

    story = Story.objects.get()
    assert_reel_from_every_provider(story, all_real, Path(settings.MEDIA_ROOT))
    assert probe_streams(out) == {"video", "audio"}
    caption = out.with_suffix(".txt").read_text(encoding="utf-8")
    assert "Photo by Unsplash Person" in caption


@pytest.mark.django_db(transaction=True)  # on-commit dispatch runs the eager canvas
def test_the_api_makes_the_same_reel_and_serves_the_preview_from_s3(
    all_real, eager_celery, settings, tmp_path
):
    user = UserFactory(username="all@example.com", email="all@example.com")
    api = APIClient()
    api.force_authenticate(user)

    created = api.post(
        "/api/v1/stories/",
        {"keyword": "morning coffee", "language": "en", "duration_s": 8},
        format="json",
    )
    assert created.status_code == 201, created.content
    story_id = created.json()["id"]
    planned = api.post(f"/api/v1/stories/{story_id}/plan/")
    assert planned.status_code == 202, planned.content
    assert api.get(f"/api/v1/stories/{story_id}/").json()["status"] == "PLANNED"
    previewed = api.post(f"/api/v1/stories/{story_id}/generate_preview/")
    assert previewed.status_code == 202, previewed.content

    body = api.get(f"/api/v1/stories/{story_id}/").json()
    assert body["status"] == "PREVIEW_READY", body["error_message"]
    assert body["title"] == PLAN_TITLE
    assert body["post_caption"].startswith("Fresh every morning ☕\nPhoto by Unsplash Person")
    story = Story.objects.get(pk=story_id)
    assert_reel_from_every_provider(story, all_real, Path(settings.MEDIA_ROOT))

    url = body["media"]["preview"]
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == all_real["s3"].endpoint
    assert parts.path == f"/{BUCKET}/{story.preview.file.name}"
    assert "X-Amz-Signature=" in parts.query
    assert "X-Amz-Expires=" in parts.query
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's own URL
        assert response.status == 200
        data = response.read()
    assert len(data) == story.preview.bytes
    downloaded = tmp_path / "preview.mp4"
    downloaded.write_bytes(data)
    assert probe_streams(downloaded) == {"video", "audio"}
