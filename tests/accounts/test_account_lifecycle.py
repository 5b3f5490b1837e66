import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from jobs.models import Job
from stories.models import Story
from tests.conftest import PASSWORD
from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "another-staple-battery-7"


def login(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/login", {"email": email, "password": password}, format="json")


def link_from(mail) -> dict:
    return dict(re.findall(r"(uid|token)=([\w-]+)", mail.body)[:2])


def test_password_change_needs_the_old_password(api, user):
    wrong = api.post(
        "/api/v1/auth/password/change",
        {"old_password": "not-it", "new_password": NEW_PASSWORD},
        format="json",
    )

    assert wrong.status_code == 400
    assert "old_password" in wrong.json()["error"]["details"]["fields"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_sets_it_and_logs_out_other_sessions(anon, api, user):
    old_tokens = login(anon, user.email).json()

    response = api.post(
        "/api/v1/auth/password/change",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["refresh"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    refused = anon.post("/api/v1/auth/refresh", {"refresh": old_tokens["refresh"]}, format="json")
    assert refused.status_code == 401


def test_password_reset_by_email_request_and_confirm(anon, user, mailoutbox):
    asked = anon.post("/api/v1/auth/password/reset", {"email": "ANA@example.com"}, format="json")
    unknown = anon.post("/api/v1/auth/password/reset", {"email": "x@example.com"}, format="json")

    assert asked.status_code == unknown.status_code == 202
    (mail,) = mailoutbox
    assert mail.to == [user.email]
    link = link_from(mail)
    confirmed = anon.post(
        "/api/v1/auth/password/reset/confirm", {**link, "new_password": NEW_PASSWORD}, format="json"
    )
    assert confirmed.status_code == 204, confirmed.json()
    assert login(anon, user.email, NEW_PASSWORD).status_code == 200
    again = anon.post(
        "/api/v1/auth/password/reset/confirm", {**link, "new_password": PASSWORD}, format="json"
    )
    assert again.status_code == 400
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_confirm_refuses_a_forged_token(anon, user):
    response = anon.post(
        "/api/v1/auth/password/reset/confirm",
        {"uid": "MQ", "token": "abc-def", "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_REQUEST"


def test_log_out_everywhere_blacklists_every_refresh_token(anon, api, user):
    sessions = [login(anon, user.email).json() for _ in range(3)]

    response = api.post("/api/v1/auth/logout/all")

    assert response.status_code == 204
    assert BlacklistedToken.objects.count() == OutstandingToken.objects.filter(user=user).count()
    for tokens in sessions:
        refused = anon.post("/api/v1/auth/refresh", {"refresh": tokens["refresh"]}, format="json")
        assert refused.status_code == 401


def test_email_change_needs_the_password(api, user):
    without = api.patch("/api/v1/users/me", {"email": "new@example.com"}, format="json")
    wrong = api.patch(
        "/api/v1/users/me", {"email": "new@example.com", "password": "nope"}, format="json"
    )
    right = api.patch(
        "/api/v1/users/me", {"email": "new@example.com", "password": PASSWORD}, format="json"
    )

    assert without.status_code == wrong.status_code == 400
    assert "password" in wrong.json()["error"]["details"]["fields"]
    assert right.status_code == 200
    user.refresh_from_db()
    assert user.email == user.username == "new@example.com"


def test_register_race_answers_409(anon, user):
    with mock.patch("accounts.services.email_taken", return_value=False):
        response = anon.post(
            "/api/v1/auth/register", {"email": user.email, "password": PASSWORD}, format="json"
        )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "EMAIL_TAKEN"
    assert User.objects.filter(username=user.email).count() == 1


def test_email_change_race_answers_409(api, user, other_user):
    with mock.patch("accounts.services.email_taken", return_value=False):
        response = api.patch(
            "/api/v1/users/me", {"email": other_user.email, "password": PASSWORD}, format="json"
        )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "EMAIL_TAKEN"
    user.refresh_from_db()
    assert user.email == "ana@example.com"


def test_refresh_token_of_a_deleted_user_is_401(anon, user):
    tokens = login(anon, user.email).json()
    user.delete()

    response = anon.post("/api/v1/auth/refresh", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_required_email_verification_blocks_work_until_verified(api, user, settings, mailoutbox):
    settings.REQUIRE_VERIFIED_EMAIL = True
    story = StoryFactory(owner=user)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.COMPLETED)

    refused = api.post(f"/api/v1/stories/{story.pk}/plan/")
    moved = api.post(f"/api/v1/stories/{story.pk}/transition/", {"to": "PLANNING"}, format="json")
    archived = api.post(f"/api/v1/stories/{story.pk}/archive/")

    assert refused.status_code == moved.status_code == 403
    assert refused.json()["error"]["code"] == "EMAIL_NOT_VERIFIED"
    assert archived.status_code == 200
    assert not Job.objects.exists()

    assert api.post("/api/v1/auth/email/verify").status_code == 202
    confirmed = APIClient().post(
        "/api/v1/auth/email/verify/confirm", link_from(mailoutbox[-1]), format="json"
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["email_verified"] is True
    Story.objects.filter(pk=story.pk).update(status=Story.Status.COMPLETED)
    assert api.post(f"/api/v1/stories/{story.pk}/plan/").status_code == 409  # past the check


def test_email_verification_is_off_by_default_and_lapses_on_email_change(api, user, mailoutbox):
    story = StoryFactory(owner=user)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.COMPLETED)
    assert api.post(f"/api/v1/stories/{story.pk}/plan/").status_code == 409
    api.post("/api/v1/auth/email/verify")
    api.post("/api/v1/auth/email/verify/confirm", link_from(mailoutbox[-1]), format="json")
    assert api.get("/api/v1/users/me").json()["email_verified"] is True

    api.patch("/api/v1/users/me", {"email": "new@example.com", "password": PASSWORD}, format="json")

    assert api.get("/api/v1/users/me").json()["email_verified"] is False
