from publishing.models import Publication
from tests.publishing.uploads import run_uploads


def test_the_studio_shows_only_configured_platforms_and_publishes(
    client, user, platforms, korean_reel, linked, settings
):
    settings.META_APP_ID = ""  # Instagram off: not offered
    client.force_login(user)
    url = f"/stories/{korean_reel.pk}/publish/"

    page = client.get(url).content.decode()
    assert 'data-platform="youtube"' in page
    assert 'data-platform="tiktok"' in page
    assert 'value="instagram"' not in page
    response = client.post(
        url,
        {"targets": ["youtube", "tiktok"], "title": "서울 숨은 카페 3곳", "privacy": "public",
         "hashtags": "#서울카페 #카페투어"},
    )  # fmt: skip

    assert response.status_code == 302
    assert set(Publication.objects.values_list("platform", flat=True)) == {"youtube", "tiktok"}
    assert Publication.objects.get(platform="youtube").hashtags == ["서울카페", "카페투어"]
    run_uploads(korean_reel)
    page = client.get(url).content.decode()
    assert "https://www.youtube.com/shorts/" in page


def test_connect_from_the_studio_comes_back_to_the_studio(client, user, platforms, korean_reel):
    client.force_login(user)
    start = client.post(f"/stories/{korean_reel.pk}/publish/connect/youtube/")
    code, state = platforms.consent(start["Location"])

    back = client.get("/api/v1/linked-accounts/callback/", {"code": code, "state": state})

    assert back.status_code == 302
    assert back["Location"] == f"/stories/{korean_reel.pk}/publish/"
    assert user.linked_accounts.get().platform == "youtube"


def test_with_nothing_configured_the_studio_says_so(client, user, korean_reel):
    client.force_login(user)

    page = client.get(f"/stories/{korean_reel.pk}/publish/").content.decode()

    assert 'id="no-platforms"' in page
    assert "publish-form" not in page
