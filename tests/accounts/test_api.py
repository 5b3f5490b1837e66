import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def login(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/login", {"email": email, "password": password}, format="json")


def test_register_login_and_use_the_access_token(anon):
    response = anon.post(
        "/api/v1/auth/register",
        {"email": "New.User@Example.com", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["email"] == "new.user@example.com"
    assert User.objects.get(username="new.user@example.com").check_password(PASSWORD)

    tokens = login(anon, "new.user@example.com").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = client.get("/api/v1/users/me")
    assert me.status_code == 200
    assert me.json()["email"] == "new.user@example.com"


def test_register_refuses_weak_passwords_and_taken_emails(anon, user):
    weak = anon.post(
        "/api/v1/auth/register", {"email": "x@example.com", "password": "123"}, format="json"
    )
    assert weak.status_code == 400
    assert weak.json()["error"]["code"] == "INVALID_REQUEST"
    assert "password" in weak.json()["error"]["details"]["fields"]
    taken = anon.post(
        "/api/v1/auth/register", {"email": "ANA@example.com", "password": PASSWORD}, format="json"
    )
    assert taken.status_code == 400
    assert "email" in taken.json()["error"]["details"]["fields"]
    assert not User.objects.filter(email="x@example.com").exists()
    assert User.objects.filter(email__iexact="ana@example.com").count() == 1


def test_wrong_password_is_401_in_the_envelope(anon, user):
    response = login(anon, user.email, "not-the-password")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "access" not in response.json()


def test_refresh_rotates_and_blacklists_the_old_token(anon, user):
    first = login(anon, user.email).json()
    response = anon.post("/api/v1/auth/refresh", {"refresh": first["refresh"]}, format="json")
    assert response.status_code == 200
    second = response.json()
    assert second["refresh"] != first["refresh"]
    assert second["access"]
    again = anon.post("/api/v1/auth/refresh", {"refresh": first["refresh"]}, format="json")
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "UNAUTHORIZED"


def test_logout_blacklists_the_refresh_token(anon, user):
    tokens = login(anon, user.email).json()
    assert BlacklistedToken.objects.count() == 0
    response = anon.post("/api/v1/auth/logout", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 204
    assert BlacklistedToken.objects.count() == 1
    refused = anon.post("/api/v1/auth/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert refused.status_code == 401


def test_login_is_throttled_per_email_with_retry_after(anon, user, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "login_user": "3/min", "login_ip": "100/min"},
    }
    for _ in range(3):
        assert login(anon, user.email, "wrong").status_code == 401
    # another address, same account: still refused
    other = APIClient(REMOTE_ADDR="10.1.2.3")
    response = login(other, user.email)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["details"]["retry_after_s"] > 0
    # a different account from the first address is not affected
    assert login(anon, "nobody@example.com").status_code == 401


def test_login_is_throttled_per_address(anon, user, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "login_ip": "2/min", "login_user": "100/min"},
    }
    assert login(anon, "a@example.com").status_code == 401
    assert login(anon, "b@example.com").status_code == 401
    assert login(anon, user.email).status_code == 429


def test_patch_me_changes_email_and_username(api, user, other_user):
    response = api.patch(
        "/api/v1/users/me", {"email": "Ana.New@example.com", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.email, user.username) == ("ana.new@example.com", "ana.new@example.com")
    taken = api.patch(
        "/api/v1/users/me", {"email": other_user.email, "password": PASSWORD}, format="json"
    )
    assert taken.status_code == 400
    user.refresh_from_db()
    assert user.email == "ana.new@example.com"


def test_session_authentication_works(client, user):
    client.force_login(user)
    assert client.get("/api/v1/users/me").json()["email"] == user.email
