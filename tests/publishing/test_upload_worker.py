"""Upload jobs on a real Celery worker that consumes only the `uploads` queue: a publish to
all three local platforms, with a 429 on the way that the task retries after Retry-After."""

from __future__ import annotations

import time

import pytest

from publishing.models import Publication

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _platform_env(platforms, settings) -> dict[str, str]:
    url = platforms.url
    return {
        "AUTHLIB_INSECURE_TRANSPORT": "1",
        "PUBLISH_TOKEN_KEYS": ",".join(settings.PUBLISH_TOKEN_KEYS),
        "GOOGLE_CLIENT_ID": "g-client",
        "GOOGLE_CLIENT_SECRET": "g-secret",
        "GOOGLE_TOKEN_URL": f"{url}/token",
        "YOUTUBE_API_URL": url,
        "META_APP_ID": "meta-app",
        "META_APP_SECRET": "meta-secret",
        "META_GRAPH_URL": url,
        "META_RUPLOAD_URL": url,
        "TIKTOK_CLIENT_KEY": "tt-key",
        "TIKTOK_CLIENT_SECRET": "tt-secret",
        "TIKTOK_API_URL": url,
        "PUBLISH_CHUNK_BYTES": str(256 * 1024),
        "PUBLISH_POLL_MS": "20",
    }


def _wait_until_posted(story, workers, *, timeout_s: float = 90) -> list[Publication]:
    deadline = time.monotonic() + timeout_s
    while True:
        rows = list(Publication.objects.filter(story=story).select_related("job"))
        if rows and all(p.state in ("published", "failed", "canceled") for p in rows):
            return rows
        if time.monotonic() > deadline:
            logs = "\n".join(w.log_tail() for w in workers.workers)
            pytest.fail(f"still {[(p.platform, p.state) for p in rows]}\n{logs}")
        time.sleep(0.2)  # another process writes the rows: poll the database


def test_a_publish_runs_on_the_uploads_queue_and_a_429_is_retried(
    api, platforms, korean_reel, linked, celery_workers, settings
):
    celery_workers("uploader", queues="uploads", **_platform_env(platforms, settings))
    platforms.fail_next("429", path="/upload/youtube/v3/videos")

    response = api.post(
        f"/api/v1/stories/{korean_reel.pk}/publish/",
        {"targets": ["youtube", "instagram", "tiktok"], "title": "서울 숨은 카페 3곳"},
        format="json",
    )
    rows = _wait_until_posted(korean_reel, celery_workers)

    assert response.status_code == 202
    assert {p.platform: p.state for p in rows} == {
        "youtube": "published", "instagram": "published", "tiktok": "published",
    }  # fmt: skip
    attempts = {p.platform: p.job.attempts for p in rows}
    assert attempts == {"youtube": 2, "instagram": 1, "tiktok": 1}
    assert all(p.post_url for p in rows)
