import pytest

from reelmaker import health


def test_alive(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_reports_each_check_and_fails_with_503(client, monkeypatch):
    monkeypatch.setitem(health.READY_CHECKS, "broker", lambda: "stubbed-ok")

    def broken():
        raise RuntimeError("ffmpeg not found on PATH; install ffmpeg")

    monkeypatch.setitem(health.READY_CHECKS, "ffmpeg", broken)

    response = client.get("/health/ready/")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert set(checks) == {"database", "broker", "storage", "ffmpeg"}
    assert checks["database"]["ok"]
    assert checks["storage"]["ok"]
    assert checks["ffmpeg"] == {
        **checks["ffmpeg"],
        "ok": False,
        "detail": "RuntimeError: ffmpeg not found on PATH; install ffmpeg",
    }


@pytest.mark.django_db
def test_ready_is_200_when_every_check_passes(client, monkeypatch):
    monkeypatch.setitem(health.READY_CHECKS, "broker", lambda: "stubbed-ok")

    response = client.get("/health/ready/")

    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["ffmpeg"]["detail"].startswith("ffmpeg version")


@pytest.fixture
def checks_pass(monkeypatch):
    calls = []

    def broker():
        calls.append("broker")
        return "stubbed-ok"

    monkeypatch.setitem(health.READY_CHECKS, "broker", broker)
    return calls


@pytest.mark.django_db
@pytest.mark.usefixtures("checks_pass")
def test_ready_shows_only_the_status_to_an_outside_address(client):
    response = client.get("/health/ready/", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.usefixtures("checks_pass")
def test_ready_shows_details_to_the_health_token(client, settings):
    settings.HEALTH_TOKEN = "probe-token-0123456789"

    wrong = client.get("/health/ready/", REMOTE_ADDR="203.0.113.9", HTTP_X_HEALTH_TOKEN="nope")
    right = client.get(
        "/health/ready/", REMOTE_ADDR="203.0.113.9", HTTP_X_HEALTH_TOKEN=settings.HEALTH_TOKEN
    )

    assert "checks" not in wrong.json()
    assert set(right.json()["checks"]) == {"database", "broker", "storage", "ffmpeg"}


@pytest.mark.django_db
def test_ready_caches_its_result_for_a_few_seconds(client, checks_pass, settings):
    settings.HEALTH_READY_CACHE_S = 5

    first = client.get("/health/ready/")
    second = client.get("/health/ready/")

    assert first.json() == second.json()
    assert checks_pass == ["broker"]


@pytest.mark.django_db
def test_alive_stays_public_and_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/", REMOTE_ADDR="203.0.113.9")

    assert response.json() == {"status": "ok"}
