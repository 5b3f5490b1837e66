from datetime import timedelta

from django.utils import timezone

from jobs.models import Job
from publishing import crypto
from publishing.models import LinkedAccount, Publication
from stories.models import Story
from tests.publishing.conftest import link
from tests.publishing.uploads import run_uploads

BODY = {"title": "서울 숨은 카페 3곳", "hashtags": ["서울카페"], "privacy": "public"}


def _publish(api, story, *targets):
    response = api.post(
        f"/api/v1/stories/{story.pk}/publish/", BODY | {"targets": list(targets)}, format="json"
    )
    assert response.status_code == 202, response.json()
    return response.json()


def _grants(platforms, grant: str) -> list:
    return [
        r for r in platforms.requests
        if r.method == "POST" and f"grant_type={grant}".encode() in r.body
    ]  # fmt: skip


def test_a_token_refused_in_the_middle_of_an_upload_is_refreshed_and_the_upload_goes_on(
    api, platforms, korean_reel, linked
):
    _publish(api, korean_reel, "youtube")
    account = LinkedAccount.objects.get(platform="youtube")
    before = crypto.decrypt(account.access_token_encrypted)
    original_put = platforms._youtube
    expired = []

    def expire_after_first_chunk(seen):
        answer = original_put(seen)
        if seen.method == "PUT" and answer.status == 308 and seen.body and not expired:
            platforms.expire_access_tokens()  # the token dies between two chunks
            expired.append(seen)
        return answer

    platforms._youtube = expire_after_first_chunk
    try:
        assert not run_uploads(korean_reel)
    finally:
        platforms._youtube = original_put

    publication = Publication.objects.get()
    assert publication.state == "published"
    assert len(_grants(platforms, "refresh_token")) == 1
    (session,) = platforms.sessions.values()
    assert session["bytes"] == korean_reel.final.file.open("rb").read()  # no chunk sent twice
    account.refresh_from_db()
    after = crypto.decrypt(account.access_token_encrypted)
    assert after != before
    assert after in platforms.access
    # Google's refresh answer has no refresh token: the one we had is kept.
    assert crypto.decrypt(account.refresh_token_encrypted).startswith("google-refresh-")


def test_a_token_about_to_expire_is_refreshed_before_the_upload(
    api, platforms, korean_reel, linked
):
    LinkedAccount.objects.filter(platform="tiktok").update(
        expires_at=timezone.now() + timedelta(seconds=30)
    )
    _publish(api, korean_reel, "tiktok")

    run_uploads(korean_reel)

    refreshes = _grants(platforms, "refresh_token")
    assert len(refreshes) == 1
    assert b"client_key=tt-key" in refreshes[0].body
    first_api_call = next(r for r in platforms.requests if r.path.startswith("/v2/post/"))
    assert platforms.requests.index(refreshes[0]) < platforms.requests.index(first_api_call)
    account = LinkedAccount.objects.get(platform="tiktok")
    assert account.expires_at > timezone.now() + timedelta(minutes=30)
    assert Publication.objects.get().state == "published"


def test_a_429_is_retried_with_the_platforms_wait_and_then_succeeds(
    api, platforms, korean_reel, linked
):
    _publish(api, korean_reel, "tiktok")
    platforms.retry_after = "7"
    platforms.fail_next("429", path="/v2/post/publish/video/init/")

    retried = run_uploads(korean_reel)

    assert [exc.retry_after_s for exc in retried] == [7.0]
    job = Job.objects.get(story=korean_reel, kind=Job.Kind.UPLOAD)
    assert (job.status, job.attempts, job.error_code) == ("succeeded", 2, "")
    assert Publication.objects.get().post_id == "7300000000000000001"
    assert len(platforms.tiktok_posts) == 1


def test_a_5xx_mid_upload_resumes_the_youtube_session_where_it_stopped(
    api, platforms, korean_reel, linked
):
    _publish(api, korean_reel, "youtube")
    original = platforms._youtube
    calls = {"n": 0}

    def fail_second_chunk(seen):
        if seen.method == "PUT" and seen.body:
            calls["n"] += 1
            if calls["n"] == 2:
                from tests.providers.fake_stock import json_answer

                return json_answer({"error": {"code": 503, "message": "backend error"}}, 503)
        return original(seen)

    platforms._youtube = fail_second_chunk
    try:
        retried = run_uploads(korean_reel)
    finally:
        platforms._youtube = original

    assert len(retried) == 1
    assert len(platforms.sessions) == 1
    probes = [r for r in platforms.bodies("PUT", "/upload/youtube/v3/videos") if not r.body]
    assert probes
    assert probes[0].headers["content-range"].startswith("bytes */")
    (session,) = platforms.sessions.values()
    assert session["bytes"] == korean_reel.final.file.open("rb").read()
    assert Publication.objects.get().state == "published"


def test_a_revoked_account_shows_reconnect_and_nothing_is_lost(api, platforms, korean_reel, linked):
    _publish(api, korean_reel, "youtube", "tiktok")
    platforms.revoke_everything()  # the user removed the app on both platforms

    run_uploads(korean_reel)

    accounts = {a["platform"]: a for a in api.get("/api/v1/linked-accounts/").json()["results"]}
    assert accounts["youtube"]["status"] == accounts["tiktok"]["status"] == "reconnect"
    assert "refused" in accounts["youtube"]["status_reason"]
    rows = api.get(f"/api/v1/stories/{korean_reel.pk}/publications/").json()
    assert {r["state"] for r in rows} == {"failed"}
    assert all("Reconnect your" in r["error_message"] for r in rows)
    korean_reel.refresh_from_db()
    assert korean_reel.status == Story.Status.COMPLETED
    assert korean_reel.final.file.size > 0
    refused = api.post(
        f"/api/v1/stories/{korean_reel.pk}/publish/",
        BODY | {"targets": ["youtube"]},
        format="json",
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["details"] == {"platforms": ["youtube"], "reconnect": True}

    # Linking again makes the account usable; retrying the failed job posts the reel.
    link(api, platforms, "youtube")
    job = Job.objects.get(publication__platform="youtube")
    assert api.post(f"/api/v1/jobs/{job.pk}/retry/").status_code == 202
    run_uploads(korean_reel)
    assert Publication.objects.get(platform="youtube").state == "published"
    assert LinkedAccount.objects.get(platform="youtube").status == "active"


def test_a_failed_container_fails_that_upload_only_and_says_why(
    api, platforms, korean_reel, linked
):
    platforms.fail_container = True
    _publish(api, korean_reel, "instagram", "tiktok")

    run_uploads(korean_reel)

    rows = {
        r["platform"]: r for r in api.get(f"/api/v1/stories/{korean_reel.pk}/publications/").json()
    }
    assert rows["tiktok"]["state"] == "published"  # the other platform is not canceled
    assert rows["instagram"]["state"] == "failed"
    assert "Instagram refused the video" in rows["instagram"]["error_message"]
    assert "2207026" in rows["instagram"]["error_message"]
    job = Job.objects.get(publication__platform="instagram")
    assert (job.error_code, job.attempts) == ("EXTERNAL_API_ERROR", 1)  # not retried
    assert Publication.objects.get(platform="instagram").upload_state == {}
    assert not any(c["published"] for c in platforms.containers.values())
    korean_reel.refresh_from_db()
    assert korean_reel.status == Story.Status.COMPLETED
    assert LinkedAccount.objects.get(platform="instagram").status == "active"
