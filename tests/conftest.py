import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.pgserver import PgServer


@pytest.fixture(scope="session")
def pg_server():
    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(pg_server, django_db_modify_db_settings_parallel_suffix):
    """Every database test runs on a real PostgreSQL started for the session."""
    from django.conf import settings

    settings.DATABASES["default"].update(
        HOST="127.0.0.1", PORT=pg_server.port, USER="postgres", PASSWORD=""
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory(username="ana@example.com", email="ana@example.com")


@pytest.fixture
def other_user(db):
    return UserFactory(username="bo@example.com", email="bo@example.com")


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def other_api(other_user):
    client = APIClient()
    client.force_authenticate(other_user)
    return client
