"""Pexels, Unsplash and OpenAI images through make_scene_visual against local fakes that speak
their documented wire formats: what was sent, what was saved, and every fault mode."""

from __future__ import annotations

import json
import subprocess
import time
from decimal import Decimal

import pytest

from billing.models import UsageRecord
from jobs.models import Job
from media.models import Asset
from providers.base import PermanentProviderError, TransientProviderError
from providers.models import AIProviderConfig
from providers.visual.openai_images import OpenAIImageProvider
from providers.visual.pexels import PexelsPhotoProvider
from scenes.services.media import make_scene_visual
from tests.factories import JobFactory, SceneFactory, StoryFactory
from tests.providers.fake_openai_images import FakeOpenAIImages
from tests.providers.fake_stock import FakeStock
from tests.providers.fake_video import make_clip

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def _stock_server(tmp_path_factory):
    clip = make_clip(tmp_path_factory.mktemp("clip") / "stock.mp4", seconds=3)
    server = FakeStock(clip=clip).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _images_server():
    server = FakeOpenAIImages().start()
    yield server
    server.stop()


@pytest.fixture
def stock(_stock_server, _images_server, settings, tmp_path):
    """Both fakes, emptied, with every visual provider's key and base URL pointed at them."""
    for server in (_stock_server, _images_server):
        server.requests.clear()
        server.faults.clear()
    _images_server.faults_not_image = 0
    settings.WORK_DIR = tmp_path / "work"
    settings.PEXELS_API_KEY = "pexels-test-key"
    settings.PEXELS_BASE_URL = _stock_server.url
    settings.UNSPLASH_ACCESS_KEY = "unsplash-access-key"
    settings.UNSPLASH_BASE_URL = _stock_server.url
    settings.OPENAI_API_KEY = "sk-test-images"
    settings.OPENAI_BASE_URL = f"{_images_server.url}/v1"
    settings.REELMAKER_VISUALS = ["pexels"]
    settings.REELMAKER_VIDEO = []
    settings.FETCH_ALLOW_PRIVATE_URLS = True  # the fakes live on 127.0.0.1
    settings.PROVIDER_TIMEOUT_S = 1
    settings.PROVIDER_ATTEMPTS = 2
    settings.PROVIDER_RETRY_AFTER_MAX_S = 2
    return _stock_server


@pytest.fixture
def images(stock, _images_server):
    return _images_server


def visual_job(**scene_fields):
    story = StoryFactory(post_caption="Coffee all day. #coffee")
    scene = SceneFactory(
        story=story,
        position=scene_fields.pop("position", 1),
        visual_prompt="latte art",
        **scene_fields,
    )
    return scene, JobFactory(story=story, scene=scene, kind=Job.Kind.VISUAL)


def run_visual(scene, job):
    result = make_scene_visual(scene_id=scene.pk, job=job)
    scene.refresh_from_db()
    return result


def test_pexels_photo_is_searched_portrait_downloaded_and_credited(stock):
    scene, job = visual_job()

    result = run_visual(scene, job)

    search = stock.seen("/v1/search")
    assert len(search) == 1
    assert search[0].headers["authorization"] == "pexels-test-key"
    assert search[0].query["orientation"] == ["portrait"]
    assert search[0].query["query"] == ["latte art"]
    asset = result["output"]
    assert result["provider"] == "pexels"
    assert scene.visual == asset
    assert asset.kind == Asset.Kind.IMAGE
    assert asset.mime_type == "image/jpeg"
    assert asset.source_provider == "pexels"
    # Scene position 1 takes the second result, so neighbouring scenes differ.
    assert asset.attribution == "Photo by Pexels Person 1 on Pexels"
    assert asset.source_url == "https://www.pexels.com/photo/scene-1001/"
    assert "Pexels License" in asset.licence
    assert (asset.width, asset.height) == (540, 960)
    assert stock.seen("/media/pexels-1.jpg")
    usage = UsageRecord.objects.get(job=job)
    assert (usage.provider, usage.unit, usage.units) == ("pexels", "images", Decimal("1.000"))
    scene.story.refresh_from_db()
    assert scene.story.post_caption == "Coffee all day. #coffee"  # Pexels asks for no credit


def test_unsplash_tracks_the_download_and_credits_the_photographer_in_the_caption(stock, settings):
    settings.REELMAKER_VISUALS = ["unsplash"]
    scene, job = visual_job(position=0)

    result = run_visual(scene, job)
    run_visual(scene, job)  # a second run must not credit twice

    search = stock.seen("/search/photos")[0]
    assert search.headers["authorization"] == "Client-ID unsplash-access-key"
    assert search.query["orientation"] == ["portrait"]
    tracking = stock.seen("/photos/uns0/download")
    assert len(tracking) == 2  # once per use
    assert tracking[0].headers["authorization"] == "Client-ID unsplash-access-key"
    assert tracking[0].query["ixid"] == ["abc0"]
    media = stock.seen("/media/unsplash-0.jpg")[0]
    assert media.query["w"] == ["1080"]
    assert media.query["h"] == ["1920"]
    assert "authorization" not in media.headers  # the key goes only to the API host
    asset = result["output"]
    assert asset.source_provider == "unsplash"
    assert asset.attribution.startswith("Photo by Unsplash Person 0 (https://unsplash.com/@person0")
    assert "utm_source=reelmaker&utm_medium=referral" in asset.attribution
    assert asset.source_url == (
        "https://unsplash.com/photos/uns0?utm_source=reelmaker&utm_medium=referral"
    )
    scene.story.refresh_from_db()
    assert scene.story.post_caption.startswith(
        "Coffee all day. #coffee\nPhoto by Unsplash Person 0"
    )
    assert scene.story.post_caption.count("Photo by") == 1


def test_openai_image_is_gpt_image_1_portrait_from_b64_json_and_priced(images, settings):
    settings.REELMAKER_VISUALS = ["openai"]
    scene, job = visual_job()

    result = run_visual(scene, job)

    call = images.seen("/v1/images/generations")
    assert len(call) == 1
    body = call[0].json()
    assert body["model"] == "gpt-image-1"
    assert body["size"] == "1024x1536"
    assert body["n"] == 1
    assert "latte art" in body["prompt"]
    assert call[0].headers["authorization"] == "Bearer sk-test-images"
    asset = result["output"]
    assert asset.mime_type == "image/png"
    assert (asset.width, asset.height) == (128, 192)
    assert asset.source_provider == "openai"
    usage = UsageRecord.objects.get(job=job)
    assert (usage.model, usage.unit) == ("gpt-image-1", "images")
    assert usage.cost_usd == Decimal("0.063000")


def test_providers_fall_back_in_order_and_the_job_records_it(images, stock, settings):
    settings.REELMAKER_VISUALS = ["pexels", "unsplash", "openai"]
    stock.fail_next("401", path="/v1/search")
    stock.fail_next("500", path="/search/photos", times=2)
    scene, job = visual_job()

    result = run_visual(scene, job)

    assert len(stock.seen("/v1/search")) == 1  # 401 is permanent: no retry
    assert len(stock.seen("/search/photos")) == 2  # 5xx: retried, then given up
    assert result["output"].source_provider == "openai"
    assert result["provider"] == "openai (after pexels, unsplash)"
    assert list(UsageRecord.objects.filter(job=job).values_list("provider", flat=True)) == [
        "openai"
    ]


def test_a_reel_never_fails_for_want_of_a_picture(stock, images, settings):
    settings.REELMAKER_VISUALS = ["pexels", "openai"]
    stock.fail_next("garbage", path="/v1/search")
    images.faults_not_image = 1
    scene, job = visual_job()

    result = run_visual(scene, job)

    assert len(stock.seen("/v1/search")) == 1  # a garbage body is permanent
    assert len(images.seen("/v1/images/generations")) == 1  # so is an image that won't decode
    asset = result["output"]
    assert asset.source_provider == "artwork"
    assert asset.licence == "generated"
    assert result["provider"] == "artwork (after pexels, openai)"
    assert scene.visual == asset


def test_429_waits_for_retry_after_then_succeeds(stock):
    stock.fail_next("429", path="/v1/search")
    scene, job = visual_job()
    started = time.monotonic()

    result = run_visual(scene, job)

    _first, _second = stock.seen("/v1/search")
    assert result["provider"] == "pexels"
    assert time.monotonic() - started >= 1.0  # Retry-After: 1


def test_retry_after_longer_than_allowed_falls_back_at_once(stock, settings):
    stock.retry_after = "120"
    stock.fail_next("429", path="/v1/search")
    scene, job = visual_job()
    try:
        result = run_visual(scene, job)
    finally:
        stock.retry_after = "1"

    assert len(stock.seen("/v1/search")) == 1
    assert result["provider"] == "artwork (after pexels)"


def test_a_slow_provider_times_out_and_falls_back(stock, settings):
    settings.PROVIDER_ATTEMPTS = 1
    stock.fail_next("slow", path="/v1/search")
    scene, job = visual_job()
    started = time.monotonic()

    result = run_visual(scene, job)

    assert time.monotonic() - started < 4
    assert result["provider"] == "artwork (after pexels)"


def test_timeout_and_5xx_are_transient_401_is_permanent_and_names_the_setting(stock, tmp_path):
    provider = PexelsPhotoProvider(api_key="k", base_url=stock.url, timeout_s=1)
    args = {
        "prompt": "tea",
        "key_phrase": "",
        "style": "",
        "language": "en",
        "index": 0,
        "width": 1080,
        "height": 1920,
        "out_path": tmp_path / "x.jpg",
    }

    stock.fail_next("slow", path="/v1/search")
    with pytest.raises(TransientProviderError, match="timed out"):
        provider.make(**args)
    stock.fail_next("500", path="/v1/search")
    with pytest.raises(TransientProviderError, match="HTTP 500"):
        provider.make(**args)
    stock.fail_next("429", path="/v1/search")
    with pytest.raises(TransientProviderError) as limited:
        provider.make(**args)
    assert limited.value.retry_after_s == 1.0
    stock.fail_next("401", path="/v1/search")
    with pytest.raises(PermanentProviderError, match="check PEXELS_API_KEY"):
        provider.make(**args)
    stock.fail_next("broken-image", path="/media/")
    with pytest.raises(PermanentProviderError, match="cannot be used"):
        provider.make(**args)
    assert not (tmp_path / "x.jpg").exists()


def test_openai_errors_are_mapped(images, tmp_path):
    provider = OpenAIImageProvider(api_key="sk", base_url=f"{images.url}/v1", timeout_s=1)
    args = {
        "prompt": "tea",
        "key_phrase": "",
        "style": "",
        "language": "en",
        "index": 0,
        "width": 1080,
        "height": 1920,
        "out_path": tmp_path / "x.png",
    }

    images.fail_next("garbage")
    with pytest.raises(PermanentProviderError, match="not the documented JSON"):
        provider.make(**args)
    images.fail_next("403" if False else "401")
    with pytest.raises(PermanentProviderError, match="check OPENAI_API_KEY"):
        provider.make(**args)
    images.fail_next("500")
    with pytest.raises(TransientProviderError, match="HTTP 500"):
        provider.make(**args)
    images.fail_next("slow")
    with pytest.raises(TransientProviderError, match="timed out"):
        provider.make(**args)
    assert len(images.requests) == 4  # the SDK's own retries are off: the job retries


def test_media_on_a_private_address_is_refused_by_the_ssrf_guard(stock, settings):
    settings.FETCH_ALLOW_PRIVATE_URLS = False
    scene, job = visual_job()

    result = run_visual(scene, job)

    assert stock.seen("/v1/search")
    assert not stock.seen("/media/")
    assert result["provider"] == "artwork (after pexels)"


def test_media_over_the_size_cap_is_refused(stock, settings):
    settings.PROVIDER_MAX_DOWNLOAD_BYTES = 1000
    scene, job = visual_job()

    result = run_visual(scene, job)

    assert result["output"].source_provider == "artwork"
    assert not Asset.objects.filter(source_provider="pexels").exists()


def test_a_provider_without_its_key_is_off(stock, settings):
    settings.PEXELS_API_KEY = ""
    scene, job = visual_job()

    result = run_visual(scene, job)

    assert stock.requests == []
    assert result["provider"] == "artwork"


def test_admin_rows_override_the_settings_order(stock, settings, monkeypatch):
    monkeypatch.setenv("REELMAKER_KEY_SHOP_UNSPLASH_KEY", "row-key")
    AIProviderConfig.objects.create(
        capability="visual",
        provider="unsplash",
        priority=1,
        api_key_env="REELMAKER_KEY_SHOP_UNSPLASH_KEY",
    )
    AIProviderConfig.objects.create(capability="visual", provider="pexels", priority=2)
    AIProviderConfig.objects.create(
        capability="visual", provider="openai", priority=0, is_enabled=False
    )
    scene, job = visual_job()

    result = run_visual(scene, job)

    assert result["provider"] == "unsplash"
    assert stock.seen("/search/photos")[0].headers["authorization"] == "Client-ID row-key"
    assert not stock.seen("/v1/search")


def test_a_scene_asking_for_motion_gets_a_pexels_clip_trimmed_to_the_scene(stock, settings):
    settings.REELMAKER_VIDEO = ["pexels"]
    settings.REELMAKER_VIDEO_SCENES = "hook"
    scene, job = visual_job(position=0, duration_ms=1500)

    result = run_visual(scene, job)

    search = stock.seen("/videos/search")[0]
    assert search.query["orientation"] == ["portrait"]
    assert search.headers["authorization"] == "pexels-test-key"
    asset = result["output"]
    assert asset.kind == Asset.Kind.VIDEO
    assert asset.source_provider == "pexels-video"
    assert asset.attribution == "Video by Pexels Filmer 0 on Pexels"
    probe = json.loads(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
                asset.file.path,
            ],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    assert float(probe["format"]["duration"]) <= 1.6
    assert [s["codec_type"] for s in probe["streams"]] == ["video"]
    # the stock clip closest to the frame's height was taken
    assert stock.seen("/media/clip-0.mp4")[0].query == {"hd": ["1"]}


@pytest.mark.parametrize(
    ("aspect", "pexels", "unsplash"),
    [
        ("9:16", "portrait", "portrait"),
        ("16:9", "landscape", "landscape"),
        ("1:1", "square", "squarish"),
    ],
)
def test_stock_searches_ask_for_the_orientation_of_the_story_aspect(
    stock, settings, aspect, pexels, unsplash
):
    # Each API's documented values: Pexels portrait/landscape/square, Unsplash .../squarish.
    story = StoryFactory(aspect=aspect)
    scenes = [SceneFactory(story=story, position=i, visual_prompt="latte art") for i in range(2)]

    settings.REELMAKER_VISUALS = ["pexels"]
    run_visual(scenes[0], JobFactory(story=story, scene=scenes[0], kind=Job.Kind.VISUAL))
    settings.REELMAKER_VISUALS = ["unsplash"]
    run_visual(scenes[1], JobFactory(story=story, scene=scenes[1], kind=Job.Kind.VISUAL))

    assert stock.seen("/v1/search")[0].query["orientation"] == [pexels]
    assert stock.seen("/search/photos")[0].query["orientation"] == [unsplash]
