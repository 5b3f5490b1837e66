import importlib
import random

import pytest
from django.contrib.auth import get_user_model
from django.urls import clear_url_caches

import reelmaker.urls
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def random_ip() -> str:
    return ".".join(str(random.randint(1, 254)) for _ in range(4))


def test_31_logins_with_random_forwarded_for_are_throttled(anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login_user": "1000/min",
        },
    }

    answers = [
        anon.post(
            "/api/v1/auth/login",
            {"email": f"nobody{n}@example.com", "password": "wrong-password"},
            format="json",
            HTTP_X_FORWARDED_FOR=random_ip(),
        ).status_code
        for n in range(31)
    ]

    assert answers[:30] == [401] * 30
    assert answers[30] == 429


def test_trusted_proxies_count_believes_that_many_forwarded_hops(anon, settings):
    settings.TRUSTED_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    def login_from(client_ip: str):
        return anon.post(
            "/api/v1/auth/login",
            {"email": f"x{random.random()}@example.com", "password": "wrong-password"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"{random_ip()}, {client_ip}",
        )

    for _ in range(30):
        assert login_from("203.0.113.7").status_code == 401

    assert login_from("203.0.113.7").status_code == 429
    assert login_from("203.0.113.8").status_code == 401


def test_num_proxies_comes_from_trusted_proxies():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXIES == 0


def _reload_urls():
    clear_url_caches()
    return importlib.reload(reelmaker.urls)


@pytest.fixture
def _restore_urls():
    yield
    _reload_urls()


@pytest.mark.usefixtures("_restore_urls")
def test_browsable_api_login_is_mounted_only_with_debug(settings, client):
    settings.DEBUG = False
    urls = _reload_urls()

    assert not any(str(p.pattern) == "api-auth/" for p in urls.urlpatterns)
    assert client.get("/api-auth/login/").status_code == 404

    settings.DEBUG = True
    urls = _reload_urls()
    assert any(str(p.pattern) == "api-auth/" for p in urls.urlpatterns)


def test_admin_login_locks_out_after_repeated_failures(client, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    User.objects.create_superuser("root@example.com", "root@example.com", PASSWORD)

    def admin_login(password):
        return client.post(
            "/admin/login/?next=/admin/", {"username": "root@example.com", "password": password}
        )

    failures = [admin_login("wrong").status_code for _ in range(3)]
    locked = admin_login(PASSWORD)

    assert failures == [200, 200, 200]
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == settings.ADMIN_LOCKOUT_S
    assert "_auth_user_id" not in client.session


def test_admin_login_success_clears_the_account_counter(client, settings):
    settings.ADMIN_LOGIN_MAX_FAILURES = 3
    User.objects.create_superuser("root@example.com", "root@example.com", PASSWORD)
    form = {"username": "root@example.com"}

    client.post("/admin/login/", {**form, "password": "wrong"})
    client.post("/admin/login/", {**form, "password": "wrong"})
    signed_in = client.post("/admin/login/?next=/admin/", {**form, "password": PASSWORD})

    assert signed_in.status_code == 302


def test_api_login_is_not_locked_by_the_admin_lockout(anon, user, settings, client):
    settings.ADMIN_LOGIN_MAX_FAILURES = 1
    client.post("/admin/login/", {"username": user.email, "password": "wrong"})

    response = anon.post(
        "/api/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
