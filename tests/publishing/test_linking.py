from urllib.parse import parse_qs, urlsplit

from publishing import crypto
from publishing.models import LinkedAccount, Publication
from tests.publishing.conftest import link


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_linking_youtube_asks_for_upload_scope_with_state_and_pkce(api, platforms):
    response = api.post("/api/v1/linked-accounts/connect/", {"platform": "youtube"}, format="json")

    query = _query(response.json()["authorization_url"])
    assert "https://www.googleapis.com/auth/youtube.upload" in query["scope"].split()
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["access_type"] == "offline"
    assert query["prompt"] == "consent"
    assert len(query["state"]) >= 40
    assert query["redirect_uri"].endswith("/api/v1/linked-accounts/callback/")


def test_a_linked_account_keeps_its_tokens_encrypted_and_never_shows_them(api, platforms, user):
    shown = link(api, platforms, "youtube")

    account = LinkedAccount.objects.get(pk=shown["id"])
    assert (account.external_id, account.display_name) == ("UC-channel-1", "민지의 채널")
    assert account.status == "active"
    assert account.expires_at is not None
    plain = crypto.decrypt(account.access_token_encrypted)
    assert plain.startswith("google-access-")
    assert plain not in account.access_token_encrypted
    assert crypto.decrypt(account.refresh_token_encrypted).startswith("google-refresh-")
    listed = api.get("/api/v1/linked-accounts/").content.decode()
    assert plain not in listed
    assert "token_encrypted" not in listed
    assert "refresh" not in listed


def test_tiktok_is_asked_with_client_key_and_instagram_gets_a_long_lived_token(api, platforms):
    started = api.post("/api/v1/linked-accounts/connect/", {"platform": "tiktok"}, format="json")
    query = _query(started.json()["authorization_url"])
    assert query["client_key"] == "tt-key"
    assert "client_id" not in query
    assert query["scope"] == "user.info.basic,video.publish"

    tiktok = link(api, platforms, "tiktok")
    instagram = link(api, platforms, "instagram")

    assert (tiktok["external_id"], tiktok["display_name"]) == ("tt-open-1", "minji.reels")
    assert (instagram["external_id"], instagram["display_name"]) == ("1784-ig-1", "minji.shop")
    exchanges = [
        r for r in platforms.seen("/v21.0/oauth/access_token")
        if "fb_exchange_token" in r.query.get("grant_type", [])
    ]  # fmt: skip
    assert len(exchanges) == 1  # the one-hour token traded for a 60-day one
    token_posts = platforms.bodies("POST", "/v2/oauth/token/")
    assert b"client_key=tt-key" in token_posts[0].body
    assert b"code_verifier=" in token_posts[0].body


def test_a_callback_with_a_forged_or_reused_state_links_nothing(api, anon, platforms):
    started = api.post("/api/v1/linked-accounts/connect/", {"platform": "youtube"}, format="json")
    code, state = platforms.consent(started.json()["authorization_url"])

    forged = anon.get("/api/v1/linked-accounts/callback/", {"code": code, "state": "x" * 43})
    first = anon.get("/api/v1/linked-accounts/callback/", {"code": code, "state": state})
    again = anon.get("/api/v1/linked-accounts/callback/", {"code": code, "state": state})

    assert forged.status_code == 400
    assert forged.json()["error"]["code"] == "INVALID_REQUEST"
    assert first.status_code == 201
    assert again.status_code == 400
    assert LinkedAccount.objects.count() == 1


def test_consent_refused_on_the_platform_links_nothing(api, anon, platforms):
    started = api.post("/api/v1/linked-accounts/connect/", {"platform": "youtube"}, format="json")
    _code, state = platforms.consent(started.json()["authorization_url"])

    response = anon.get(
        "/api/v1/linked-accounts/callback/", {"error": "access_denied", "state": state}
    )

    assert response.status_code == 400
    assert not LinkedAccount.objects.exists()


def test_without_platform_settings_linking_is_refused_naming_them(api, settings):
    settings.GOOGLE_CLIENT_ID = settings.GOOGLE_CLIENT_SECRET = ""
    settings.PUBLISH_TOKEN_KEYS = []

    response = api.post("/api/v1/linked-accounts/connect/", {"platform": "youtube"}, format="json")

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "NOT_CONFIGURED"
    assert error["details"]["settings"] == [
        "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "PUBLISH_TOKEN_KEYS",
    ]  # fmt: skip
    assert "GOOGLE_CLIENT_ID" in error["message"]


def test_platforms_lists_only_what_is_configured(api, platforms, settings):
    settings.META_APP_ID = ""

    response = api.get("/api/v1/publishing/platforms/")

    assert response.json() == [
        {"platform": "youtube", "configured": True},
        {"platform": "instagram", "configured": False},
        {"platform": "tiktok", "configured": True},
    ]


def test_unlink_revokes_the_token_and_keeps_the_history(api, platforms, korean_reel, linked):
    account = LinkedAccount.objects.get(pk=linked["youtube"]["id"])
    refresh = crypto.decrypt(account.refresh_token_encrypted)
    api.post(
        f"/api/v1/stories/{korean_reel.pk}/publish/",
        {"targets": ["youtube"], "title": "카페"},
        format="json",
    )

    response = api.delete(f"/api/v1/linked-accounts/{account.pk}/")

    assert response.status_code == 204
    assert platforms.revoked == [refresh]
    assert not LinkedAccount.objects.filter(pk=account.pk).exists()
    publication = Publication.objects.get(story=korean_reel)
    assert publication.account is None
    assert publication.platform == "youtube"


def test_another_users_account_is_not_found(other_api, api, platforms):
    shown = link(api, platforms, "youtube")

    assert other_api.get(f"/api/v1/linked-accounts/{shown['id']}/").status_code == 404
    assert other_api.delete(f"/api/v1/linked-accounts/{shown['id']}/").status_code == 404
    assert LinkedAccount.objects.filter(pk=shown["id"]).exists()


def test_keys_rotate_tokens_stay_readable(settings):
    from cryptography.fernet import Fernet

    old = Fernet.generate_key().decode()
    settings.PUBLISH_TOKEN_KEYS = [old]
    sealed = crypto.encrypt("ya29.secret")
    settings.PUBLISH_TOKEN_KEYS = [Fernet.generate_key().decode(), old]

    assert crypto.decrypt(sealed) == "ya29.secret"
    assert crypto.decrypt(crypto.rotate(sealed)) == "ya29.secret"
    settings.PUBLISH_TOKEN_KEYS = [Fernet.generate_key().decode()]
    assert crypto.decrypt(sealed) == ""  # no key reads it: the account must reconnect


def test_a_meta_token_running_out_is_extended_and_a_refused_one_asks_to_reconnect(api, platforms):
    from datetime import timedelta

    from django.utils import timezone

    from publishing.linking import refresh_expiring_tokens

    shown = link(api, platforms, "instagram")
    LinkedAccount.objects.filter(pk=shown["id"]).update(
        expires_at=timezone.now() + timedelta(days=2)
    )

    assert refresh_expiring_tokens() == 1
    account = LinkedAccount.objects.get(pk=shown["id"])
    assert account.expires_at > timezone.now() + timedelta(days=50)
    assert refresh_expiring_tokens() == 0  # nothing due any more

    LinkedAccount.objects.filter(pk=shown["id"]).update(expires_at=timezone.now())
    platforms.revoke_everything()
    assert refresh_expiring_tokens() == 0
    assert LinkedAccount.objects.get(pk=shown["id"]).status == "reconnect"
