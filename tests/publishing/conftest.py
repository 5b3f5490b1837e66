import subprocess
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from media.services import save_asset
from publishing import linking
from stories.models import Story
from tests.factories import StoryFactory
from tests.publishing.fake_platforms import FakePlatforms
from tests.realservices import broker, celery_workers, redis_server  # noqa: F401 (fixtures)


@pytest.fixture(scope="session")
def platforms_server():
    server = FakePlatforms().start()
    yield server
    server.stop()


@pytest.fixture
def platforms(platforms_server, settings, monkeypatch):
    """The fake platforms, empty, with every OAuth app and API pointed at them by settings."""
    server = platforms_server
    server.reset()
    # authlib refuses OAuth over plain HTTP unless told it is a local test.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    url = server.url
    settings.PUBLISH_TOKEN_KEYS = [Fernet.generate_key().decode()]
    settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET = "g-client", "g-secret"
    settings.META_APP_ID, settings.META_APP_SECRET = "meta-app", "meta-secret"
    settings.TIKTOK_CLIENT_KEY, settings.TIKTOK_CLIENT_SECRET = "tt-key", "tt-secret"
    settings.KAKAO_REST_API_KEY, settings.KAKAO_CLIENT_SECRET = "kakao-key", "kakao-secret"
    settings.GOOGLE_AUTHORIZE_URL = f"{url}/o/oauth2/v2/auth"
    settings.GOOGLE_TOKEN_URL = f"{url}/token"
    settings.GOOGLE_REVOKE_URL = f"{url}/revoke"
    settings.GOOGLE_JWKS_URL = f"{url}/oauth2/v3/certs"
    settings.YOUTUBE_API_URL = url
    settings.META_DIALOG_URL = settings.META_GRAPH_URL = settings.META_RUPLOAD_URL = url
    settings.TIKTOK_AUTHORIZE_URL = f"{url}/v2/auth/authorize/"
    settings.TIKTOK_API_URL = url
    settings.KAKAO_AUTH_URL = settings.KAKAO_API_URL = url
    settings.PUBLISH_CHUNK_BYTES = 256 * 1024  # several chunks for the test reel
    settings.PUBLISH_POLL_S = 0.01
    settings.PUBLISH_TIMEOUT_S = 5
    yield server
    server.reset()


@pytest.fixture(scope="session")
def reel_file(tmp_path_factory) -> Path:
    """A short vertical MP4 with sound that every platform's rules accept (3 s and more,
    AAC), of over 512 KB: several YouTube chunks of 256 KiB."""
    path = tmp_path_factory.mktemp("reel") / "reel.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=270x480:d=4:r=30",
         "-f", "lavfi", "-i", "sine=f=440:d=4", "-shortest",
         "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-movflags", "+faststart", "-y", str(path)],
        check=True,
    )  # fmt: skip
    assert 512 * 1024 < path.stat().st_size < 8 * 1024 * 1024
    return path


@pytest.fixture
def korean_reel(user, reel_file) -> Story:
    """A COMPLETED Korean story with its final video stored."""
    story = StoryFactory(
        owner=user,
        keyword="서울 카페 투어",
        title="서울 숨은 카페 3곳",
        language="ko",
        status=Story.Status.COMPLETED,
    )
    story.final = save_asset(
        owner=user, story=story, kind="video", path=reel_file, mime_type="video/mp4"
    )
    story.save(update_fields=["final"])
    return story


def link(api, platforms, platform: str) -> dict:
    """Link an account through the API as a user would: connect, consent, callback."""
    started = api.post("/api/v1/linked-accounts/connect/", {"platform": platform}, format="json")
    assert started.status_code == 200, started.json()
    code, state = platforms.consent(started.json()["authorization_url"])
    back = api.get("/api/v1/linked-accounts/callback/", {"code": code, "state": state})
    assert back.status_code == 201, back.json()
    return back.json()


@pytest.fixture
def linked(api, platforms):
    """The user's YouTube, Instagram and TikTok accounts, linked through the real flow."""
    return {p: link(api, platforms, p) for p in ("youtube", "instagram", "tiktok")}


def configured() -> list[str]:
    return linking.configured_platforms()
