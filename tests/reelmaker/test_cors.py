"""CORS for other frontends: origins from CORS_ALLOWED_ORIGINS, none by default, API only."""

import json
import os
import subprocess
import sys

import pytest

from tests.accounts.test_account_lifecycle import login
from tests.conftest import PASSWORD
from tests.reelmaker.test_settings import ROOT, start_django

APP = "https://app.example.com"


def _preflight(client, path="/api/v1/stories/", origin=APP):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )


def test_no_origin_is_allowed_by_default():
    env = {k: v for k, v in os.environ.items() if k != "CORS_ALLOWED_ORIGINS"}
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(repr(settings.CORS_ALLOWED_ORIGINS))"

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DEBUG": "1", "REELMAKER_ENV_FILE": "", "CACHE_URL": "locmem://"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "[]"


@pytest.mark.django_db
def test_preflight_from_an_unlisted_origin_gets_no_cors_headers(anon, settings):
    settings.CORS_ALLOWED_ORIGINS = []

    response = _preflight(anon)

    assert "access-control-allow-origin" not in response.headers


@pytest.mark.django_db
def test_preflight_from_a_listed_origin_allows_jwt_and_idempotency_headers(anon, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]

    response = _preflight(anon)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == APP
    allowed = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "idempotency-key"} <= {
        h.strip() for h in allowed.split(",")
    }
    assert "POST" in response.headers["access-control-allow-methods"]
    # JWT, not cookies: the studio's session never reaches another origin's page.
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.django_db
def test_preflight_from_another_origin_is_not_allowed_when_one_is_listed(anon, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]

    response = _preflight(anon, origin="https://evil.example.net")

    assert "access-control-allow-origin" not in response.headers


@pytest.mark.django_db
def test_jwt_call_from_a_listed_origin_reads_the_answer_and_its_errors(anon, user, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]
    access = login(anon, user.email, PASSWORD).json()["access"]

    ok = anon.get("/api/v1/stories/", HTTP_ORIGIN=APP, HTTP_AUTHORIZATION=f"Bearer {access}")
    refused = anon.get("/api/v1/stories/", HTTP_ORIGIN=APP)

    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == APP
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == APP
    assert json.loads(refused.content)["error"]["code"]


@pytest.mark.django_db
def test_pages_outside_the_api_get_no_cors_headers(anon, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]

    response = _preflight(anon, path="/admin/login/")

    assert "access-control-allow-origin" not in response.headers


def test_a_malformed_origin_stops_start_up():
    result = start_django(DEBUG="1", CORS_ALLOWED_ORIGINS="app.example.com")

    assert result.returncode != 0
    assert "CORS_ALLOWED_ORIGINS" in result.stderr
