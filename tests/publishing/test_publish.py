import json

from jobs import dispatch
from jobs.models import Job
from publishing import crypto
from publishing.models import LinkedAccount, Publication
from stories.models import Story
from tests.publishing.uploads import run_uploads

BODY = {
    "targets": ["youtube", "instagram", "tiktok"],
    "title": "서울 숨은 카페 3곳",
    "description": "골목 안쪽, 아는 사람만 아는 카페를 소개합니다.",
    "hashtags": ["서울카페", "#카페투어", "shorts"],
    "privacy": "public",
}


def test_a_korean_reel_goes_from_completed_to_posted_on_all_three(
    api, platforms, korean_reel, linked
):
    response = api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", BODY, format="json")

    assert response.status_code == 202
    assert [p["state"] for p in response.json()] == ["pending"] * 3
    jobs = Job.objects.filter(story=korean_reel, kind=Job.Kind.UPLOAD)
    assert jobs.count() == 3
    assert {j.max_attempts for j in jobs} == {5}
    assert not run_uploads(korean_reel)

    rows = {
        p["platform"]: p for p in api.get(f"/api/v1/stories/{korean_reel.pk}/publications/").json()
    }
    assert {p: r["state"] for p, r in rows.items()} == dict.fromkeys(BODY["targets"], "published")
    youtube_id = rows["youtube"]["post_id"]
    assert rows["youtube"]["post_url"] == f"https://www.youtube.com/shorts/{youtube_id}"
    assert rows["instagram"]["post_url"].startswith("https://www.instagram.com/reel/media-")
    assert (
        rows["tiktok"]["post_url"]
        == "https://www.tiktok.com/@minji.reels/video/7300000000000000001"
    )
    korean_reel.refresh_from_db()
    assert korean_reel.status == Story.Status.COMPLETED
    size = korean_reel.final.file.size

    # YouTube: one resumable session, the metadata in Korean, flagged synthetic, 3 chunks.
    (session,) = platforms.sessions.values()
    assert session["size"] == size
    assert session["type"] == "video/mp4"
    assert session["bytes"] == korean_reel.final.file.open("rb").read()
    snippet, status = session["metadata"]["snippet"], session["metadata"]["status"]
    assert snippet["title"] == "서울 숨은 카페 3곳"
    assert snippet["defaultLanguage"] == "ko"
    assert snippet["tags"] == ["서울카페", "카페투어", "shorts"]
    assert snippet["description"].endswith("#서울카페 #카페투어 #shorts")
    assert status["containsSyntheticMedia"] is True
    assert status["privacyStatus"] == "public"
    puts = [r for r in platforms.bodies("PUT", "/upload/youtube/v3/videos") if r.body]
    chunk = 256 * 1024
    assert [r.headers["content-range"] for r in puts] == [
        f"bytes {start}-{min(start + chunk, size) - 1}/{size}" for start in range(0, size, chunk)
    ]
    assert len(puts) > 2

    # Instagram: a REELS container, the bytes to rupload, polled until FINISHED, published.
    (container,) = platforms.containers.values()
    assert container["form"]["caption"].startswith("골목 안쪽")
    assert container["published"]
    assert len(container["bytes"]) == size
    assert container["polls"] >= 2

    # TikTok: init with the AI-generated label, one chunk (under 5 MB), status until complete.
    (post,) = platforms.tiktok_posts.values()
    assert post["init"]["post_info"]["is_aigc"] is True
    assert post["init"]["post_info"]["privacy_level"] == "PUBLIC_TO_EVERYONE"
    assert post["init"]["source_info"] == {
        "source": "FILE_UPLOAD", "video_size": size, "chunk_size": size, "total_chunk_count": 1,
    }  # fmt: skip
    assert len(post["bytes"]) == size

    history = api.get(f"/api/v1/linked-accounts/{linked['tiktok']['id']}/publications/").json()
    assert [p["post_id"] for p in history["results"]] == ["7300000000000000001"]


def test_upload_jobs_go_to_the_uploads_queue():
    job = Job(pk=41, kind=Job.Kind.UPLOAD)

    signature = dispatch._job_signature(job)

    assert signature.task == "jobs.tasks.run_upload_job_task"
    assert signature.options["queue"] == "uploads"


def test_with_no_platform_configured_publish_is_refused_naming_the_settings(api, korean_reel):
    response = api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", BODY, format="json")

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "NOT_CONFIGURED"
    assert error["details"]["platforms"] == ["youtube", "instagram", "tiktok"]
    for name in ("GOOGLE_CLIENT_ID", "META_APP_ID", "TIKTOK_CLIENT_KEY", "PUBLISH_TOKEN_KEYS"):
        assert name in error["details"]["settings"]
        assert name in error["message"]
    assert not Publication.objects.exists()
    assert not Job.objects.exists()


def test_publish_without_a_linked_account_names_the_platform(api, platforms, korean_reel, linked):
    LinkedAccount.objects.filter(platform="tiktok").delete()

    response = api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", BODY, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"platforms": ["tiktok"], "reconnect": False}
    assert not Publication.objects.exists()


def test_a_story_that_is_not_completed_cannot_be_published(api, platforms, korean_reel, linked):
    Story.objects.filter(pk=korean_reel.pk).update(status=Story.Status.PREVIEW_READY)

    response = api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", BODY, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["details"]["current"] == "PREVIEW_READY"
    assert not Publication.objects.exists()


def test_another_users_story_is_not_found(other_api, platforms, korean_reel, linked):
    response = other_api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", BODY, format="json")

    assert response.status_code == 404
    assert not Publication.objects.exists()


def test_bad_input_is_refused_field_by_field(api, platforms, korean_reel, linked):
    body = {
        "targets": ["myspace"],
        "title": "",
        "privacy": "secret",
        "scheduled_at": "2001-01-01T00:00:00Z",
    }

    response = api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", body, format="json")

    fields = response.json()["error"]["details"]["fields"]
    assert response.status_code == 400
    assert set(fields) == {"targets", "title", "privacy", "scheduled_at"}


def test_a_pending_publication_can_be_canceled_once(api, platforms, korean_reel, linked):
    body = BODY | {"targets": ["tiktok"], "scheduled_at": "2099-01-01T09:00:00+09:00"}
    (row,) = api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", body, format="json").json()
    assert row["state"] == "scheduled"

    canceled = api.post(f"/api/v1/publications/{row['id']}/cancel/")
    again = api.post(f"/api/v1/publications/{row['id']}/cancel/")

    assert canceled.status_code == 200
    assert canceled.json()["state"] == "canceled"
    assert again.status_code == 409
    assert not run_uploads(korean_reel)
    assert not platforms.tiktok_posts


def test_a_scheduled_youtube_video_is_private_until_publish_at(api, platforms, korean_reel, linked):
    body = BODY | {"targets": ["youtube"], "scheduled_at": "2099-01-01T09:00:00+09:00"}

    api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", body, format="json")
    run_uploads(korean_reel)

    (session,) = platforms.sessions.values()
    assert session["metadata"]["status"]["privacyStatus"] == "private"
    assert session["metadata"]["status"]["publishAt"] == "2099-01-01T00:00:00+00:00"


def test_a_second_run_of_a_posted_upload_posts_nothing(api, platforms, korean_reel, linked):
    api.post(
        f"/api/v1/stories/{korean_reel.pk}/publish/", BODY | {"targets": ["youtube"]}, format="json"
    )
    run_uploads(korean_reel)
    job = Job.objects.get(story=korean_reel, kind=Job.Kind.UPLOAD)
    Job.objects.filter(pk=job.pk).update(status="queued")

    run_uploads(korean_reel)

    assert len(platforms.sessions) == 1
    assert Publication.objects.get().post_id


def test_no_serialized_publication_or_account_carries_a_token(api, platforms, korean_reel, linked):
    api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", BODY, format="json")
    run_uploads(korean_reel)
    tokens = [crypto.decrypt(a.access_token_encrypted) for a in LinkedAccount.objects.all()]

    shown = json.dumps(
        [api.get(u).json() for u in ("/api/v1/publications/", "/api/v1/linked-accounts/")]
    )

    assert all(token and token not in shown for token in tokens)


def test_admin_lists_accounts_and_publications_without_tokens(
    client, api, platforms, korean_reel, linked
):
    from tests.factories import UserFactory

    api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", BODY, format="json")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    account = LinkedAccount.objects.get(platform="youtube")
    token = crypto.decrypt(account.access_token_encrypted)

    pages = [
        client.get("/admin/publishing/linkedaccount/"),
        client.get(f"/admin/publishing/linkedaccount/{account.pk}/change/"),
        client.get("/admin/publishing/publication/"),
    ]

    assert [p.status_code for p in pages] == [200, 200, 200]
    assert all(token not in p.content.decode() for p in pages)
    assert account.access_token_encrypted not in pages[1].content.decode()
    assert "민지의 채널" in pages[0].content.decode()


def test_a_retried_upload_is_sent_on_its_own_beside_the_story_stages(monkeypatch, korean_reel):
    sent = []
    monkeypatch.setattr(dispatch, "_send", lambda jobs: sent.append([j.kind for j in jobs]))
    Job.objects.create(story=korean_reel, kind=Job.Kind.UPLOAD)
    Job.objects.create(story=korean_reel, kind=Job.Kind.PLAN)

    dispatch._send_story(korean_reel.pk)

    assert sent == [["upload"], ["plan"]]


def test_a_reel_longer_than_a_platform_allows_is_refused_with_every_reason(
    api, platforms, korean_reel, linked, settings
):
    settings.PLATFORM_RULES = {
        **settings.PLATFORM_RULES,
        "instagram": {**settings.PLATFORM_RULES["instagram"], "max_duration_s": 3},
    }

    response = api.post(f"/api/v1/stories/{korean_reel.pk}/publish/", BODY, format="json")

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "PUBLISH_REFUSED"
    assert [p["platform"] for p in error["details"]["problems"]] == ["instagram"]
    assert not Publication.objects.exists()
    assert not Job.objects.exists()
