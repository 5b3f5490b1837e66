import pytest

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
