import io
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.core.signing import TimestampSigner, b62_encode
from PIL import Image
from rest_framework.test import APIClient

from media import downloads
from media.api import SizeLimitUploadHandler
from media.models import Asset
from stories.models import Story
from stories.states import Status
from tests.factories import StoryFactory, UserFactory
from tests.media.storage.conftest import s3_media, seaweed  # noqa: F401 (fixtures)

UPLOADS = "/api/v1/media/uploads"


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def png_bytes(width=64, height=48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 90)).save(out, "PNG")
    return out.getvalue()


def wav_file(tmp_path: Path) -> bytes:
    path = tmp_path / "tone.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1.5",
         "-ar", "48000", "-y", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def upload(client, name: str, content: bytes, **fields):
    return client.post(
        UPLOADS, {"file": SimpleUploadedFile(name, content), **fields}, format="multipart"
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_an_image_upload_is_stored_by_its_content_and_downloads_through_its_signed_url(
    client, user
):
    content = png_bytes()

    response = client.post(
        UPLOADS, {"file": SimpleUploadedFile("holiday.mp3", content)}, format="multipart"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["mime_type"], body["width"], body["height"]) == (
        "image",
        "image/png",
        64,
        48,
    )
    asset = Asset.objects.get(pk=body["id"])
    assert asset.owner == user
    assert asset.story is None
    download = APIClient().get(body["url"])  # no login: the signature is the key
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_music_is_attached_to_my_story(client, user, tmp_path):
    story = StoryFactory(owner=user)

    response = upload(client, "bed.wav", wav_file(tmp_path), story=story.pk, kind="music")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "music"
    assert body["story"] == story.pk
    assert 1400 <= body["duration_ms"] <= 1600
    assert story.assets.get().kind == Asset.Kind.MUSIC


@pytest.mark.django_db
def test_a_text_file_named_like_an_image_is_refused_and_nothing_is_stored(client, settings):
    response = upload(client, "photo.png", b"just some words, not pixels\n" * 20)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert "photo.png" in error["message"]
    assert not Asset.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_an_image_sent_as_music_is_refused(client):
    response = upload(client, "song.mp3", png_bytes(), kind="music")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"expected": "music", "found": "image"}
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_limit_is_413_and_nothing_is_stored(client, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    content = png_bytes(400, 400) + b"\0" * 20_000

    response = upload(client, "big.png", content)

    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert error["details"] == {"max_bytes": 10_000}
    assert not Asset.objects.exists()
    assert stored_files(settings) == []


def test_the_size_limit_stops_reading_at_the_limit():
    handler = SizeLimitUploadHandler(max_bytes=100)
    handler.handle_raw_input(None, {}, 150, b"x")

    assert handler.receive_data_chunk(b"a" * 60, 0) == b"a" * 60
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"a" * 60, 60)
    assert handler.exceeded


@pytest.mark.django_db
def test_another_users_story_cannot_be_attached_to(client):
    strangers = StoryFactory()

    response = upload(client, "a.png", png_bytes(), story=strangers.pk)

    assert response.status_code == 400
    assert "story" in response.json()["error"]["details"]["fields"]
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_uploads_wait_while_the_story_renders(client, user):
    story = StoryFactory(owner=user, is_locked=True)
    Story.objects.filter(pk=story.pk).update(status=Status.FINALIZING)

    response = upload(client, "a.png", png_bytes(), story=story.pk)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "PLAN_LOCKED"
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_anonymous_upload_is_401(settings):
    response = APIClient().post(
        UPLOADS, {"file": SimpleUploadedFile("a.png", png_bytes())}, format="multipart"
    )

    assert response.status_code == 401
    assert not Asset.objects.exists()


@pytest.fixture
def final_asset(user, settings):
    story = StoryFactory(owner=user)
    path = Path(settings.MEDIA_ROOT) / "stories" / str(story.pk) / "final.mp4"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\0\0\0\x18ftypmp42 not really a video")
    return Asset.objects.create(
        owner=user,
        story=story,
        kind=Asset.Kind.VIDEO,
        file=f"stories/{story.pk}/final.mp4",
        mime_type="video/mp4",
    )


@pytest.mark.django_db
def test_signed_url_of_a_story_final_downloads_it_as_an_attachment_on_request(final_asset):
    url = downloads.signed_media_url(final_asset)

    response = APIClient().get(url, {"download": "1"})

    assert url.startswith("http://127.0.0.1:8000/api/v1/media/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\0\0\0\x18ftyp")
    assert downloads.signed_media_url(None) is None


@pytest.mark.django_db
def test_an_expired_link_is_403_in_the_envelope(final_asset, settings):
    settings.MEDIA_URL_EXPIRE_S = 60

    class SignedTwoMinutesAgo(TimestampSigner):
        def timestamp(self):
            return b62_encode(int(time.time()) - 120)

    token = SignedTwoMinutesAgo(salt=downloads._SALT).sign(str(final_asset.pk))

    response = APIClient().get(f"/api/v1/media/download/{token}/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert "expired" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_tampered_link_is_403_in_the_envelope(final_asset, user):
    other = Asset.objects.create(owner=user, kind=Asset.Kind.IMAGE, file="x.png")
    token = downloads.signed_media_url(final_asset).rstrip("/").rsplit("/", 1)[1]
    forged = token.replace(f"{final_asset.pk}:", f"{other.pk}:", 1)

    response = APIClient().get(f"/api/v1/media/download/{forged}/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


@pytest.mark.django_db
def test_a_bad_link_message_follows_accept_language():
    response = APIClient().get("/api/v1/media/download/1:1:bad/", HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "유효하지 않은 다운로드 링크입니다."


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.usefixtures("s3_media")
def test_on_s3_an_upload_gets_a_storage_signed_url_that_expires_as_configured(client, settings):
    settings.MEDIA_URL_EXPIRE_S = 120
    content = png_bytes()

    response = upload(client, "photo.png", content)

    assert response.status_code == 201, response.content
    url = response.json()["url"]
    assert url.startswith(settings.AWS_S3_ENDPOINT_URL)
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=120" in url
    with urllib.request.urlopen(url, timeout=10) as fetched:  # noqa: S310 (local test server)
        assert fetched.read() == content
    unsigned = url.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310
    assert refused.value.code == 403


@pytest.mark.django_db
def test_a_repeated_upload_with_the_same_idempotency_key_stores_one_asset(client):
    def send(content: bytes):
        return client.post(
            UPLOADS, {"file": SimpleUploadedFile("a.png", content)}, format="multipart",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )  # fmt: skip

    first = send(png_bytes())
    again = send(png_bytes())
    other_file = send(png_bytes(width=80))

    assert first.status_code == 201
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert other_file.status_code == 409  # the key was used for another file
    assert Asset.objects.count() == 1
