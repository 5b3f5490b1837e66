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
