"""Media on S3 (SeaweedFS): private objects, signed URLs that expire, multipart uploads of
rendered files, and a worker in a second process rendering from S3 inputs."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from media.services import save_asset
from scenes.services.rendering import clip_name
from tests.factories import SceneFactory, StoryFactory
from tests.media.storage.conftest import BUCKET, s3_env
from tests.realservices import worker_env

REPO = Path(__file__).resolve().parents[3]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - test's own URL
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def jpeg(path: Path) -> Path:
    Image.new("RGB", (540, 960), (180, 60, 90)).save(path, format="JPEG")
    return path


def wav(path: Path, seconds: float = 1.2) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency=330:sample_rate=48000:duration={seconds}", "-ac", "1", str(path)],
        check=True, timeout=30,
    )  # fmt: skip
    return path


@pytest.mark.django_db
def test_an_asset_is_a_private_object_served_by_a_signed_url(s3_media, tmp_path):
    story = StoryFactory()

    asset = save_asset(
        owner=story.owner,
        story=story,
        kind="image",
        path=jpeg(tmp_path / "photo.jpg"),
        mime_type="image/jpeg",
    )

    head = s3_media.client().head_object(Bucket=BUCKET, Key=asset.file.name)
    assert head["ContentLength"] == asset.bytes
    url = asset.file.url
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url
    status, body = fetch(url)
    assert status == 200
    assert body == (tmp_path / "photo.jpg").read_bytes()
    parts = urlsplit(url)
    status, _ = fetch(f"{parts.scheme}://{parts.netloc}{parts.path}")  # unsigned
    assert status == 403
    status, _ = fetch(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"))  # tampered
    assert status == 403


@pytest.mark.django_db
def test_a_signed_url_is_refused_once_it_has_expired(s3_media, settings):
    settings.AWS_QUERYSTRING_EXPIRE = 1
    name = default_storage.save("expiry/probe.txt", ContentFile(b"short-lived"))
    signed_at = time.time()
    url = default_storage.url(name)
    assert fetch(url) == (200, b"short-lived")

    # Wait on the clock itself: the URL is dead once a whole second has passed after expiry.
    while time.time() < signed_at + 2.1:
        time.sleep(0.05)
    status, body = fetch(url)

    assert status == 403
    assert b"expired" in body.lower()
    assert default_storage.exists(name)  # refusing the URL did not touch the object


@pytest.mark.django_db
def test_a_large_rendered_file_goes_up_in_parts(s3_media, tmp_path):
    reel = tmp_path / "reel.mp4"
    reel.write_bytes(b"\x00\x01" * (6 * 1024 * 1024))  # 12 MiB over a 5 MiB threshold

    with reel.open("rb") as fh:
        name = default_storage.save("reels/big.mp4", ContentFile(fh.read(), name="big.mp4"))

    head = s3_media.client().head_object(Bucket=BUCKET, Key=name)
    assert head["ETag"].strip('"').endswith("-3")  # 5 + 5 + 2 MiB parts
    assert head["ContentLength"] == reel.stat().st_size


@pytest.mark.django_db(transaction=True)
def test_a_worker_in_another_process_renders_from_s3_inputs_and_uploads_the_clip(
    s3_media, tmp_path
):
    story = StoryFactory(language="en", style="modern")
    visual = save_asset(
        owner=story.owner, story=story, kind="image",
        path=jpeg(tmp_path / "v.jpg"), mime_type="image/jpeg",
    )  # fmt: skip
    voice = save_asset(
        owner=story.owner, story=story, kind="audio",
        path=wav(tmp_path / "n.wav"), mime_type="audio/wav", duration_ms=1200,
    )  # fmt: skip
    scene = SceneFactory(
        story=story, position=0, narration="Hello there", duration_ms=1500,
        visual=visual, voice=voice,
        word_timings=[{"text": "Hello", "start_ms": 0, "end_ms": 500},
                      {"text": "there", "start_ms": 500, "end_ms": 1100}],
    )  # fmt: skip
    work = tmp_path / "var"
    env = worker_env(
        broker_url="redis://127.0.0.1:1/0",  # unused: the render is called directly
        media_root=tmp_path / "local-media",
        work_dir=work,
        RENDER_ENCODER="libx264",
        **s3_env(s3_media),
    )
    code = (
        "import json; from scenes.services.rendering import render_scene; "
        "from django.core.files.storage import default_storage as s; "
        f"render_scene(scene_id={scene.pk}, profile='preview'); "
        "print(json.dumps({'storage': type(s._wrapped).__name__}))"
    )

    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"storage": "S3Storage"}
    scene.refresh_from_db()
    assert scene.render_key
    key = clip_name(scene.render_key)
    assert s3_media.client().head_object(Bucket=BUCKET, Key=key)["ContentLength"] > 1000
    assert not (tmp_path / "local-media").exists()  # nothing went to local media
    assert list((work / "work").iterdir()) == []  # the worker's temp dir was removed
    clip = tmp_path / "clip.mp4"
    with default_storage.open(key, "rb") as src:
        clip.write_bytes(src.read())
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", str(clip)],
            capture_output=True, check=True, text=True,
        ).stdout
    )  # fmt: skip
    video = next(s for s in probe["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (540, 960)
