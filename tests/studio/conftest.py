import os
from pathlib import Path

import pytest

from tests.pgserver import free_port
from tests.places.fake_place_search import kakao_server
from tests.publishing.conftest import platforms, platforms_server
from tests.realservices import (
    broker,
    celery_workers,
    rabbitmq_server,
    redis_server,
    worker_env,
)
from tests.studio.browser import LAUNCH_ARGS, chromium_path
from tests.webserver import start_web_server, stop_web_server

__all__ = [
    "broker",
    "celery_workers",
    "kakao_server",
    "platforms",
    "platforms_server",
    "rabbitmq_server",
    "redis_server",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can print worker logs on failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def chromium():
    """One browser per test module (Playwright's sync API, Debian's chromium). Module scope:
    the async-safety switch below must not outlive these tests (pytest-django reorders tests,
    and subprocesses started later inherit the environment)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests and
    # the tests make from here are still plain synchronous ones.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS
            )
            yield browser
            browser.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


class StudioServer:
    def __init__(self, url: str) -> None:
        self.url = url


@pytest.fixture
def studio_server(request, settings, tmp_path):
    """The production web server (gunicorn + uvicorn, ASGI: event streams as in production)
    on this test's database and media, sending jobs to this test's broker when it has one.
    DEBUG on: plain-HTTP cookies and static files found without collectstatic. A test that
    asks for a `studio_env` fixture adds its variables to the server's environment."""
    broker_url = ""
    if "broker" in request.fixturenames:
        broker_url = request.getfixturevalue("broker").url
    extra = request.getfixturevalue("studio_env") if "studio_env" in request.fixturenames else {}
    port = free_port()
    env = worker_env(
        broker_url=broker_url or "memory://",
        media_root=Path(settings.MEDIA_ROOT),
        work_dir=tmp_path / "web",
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EVENTS_POLL_MS="50",
        EVENTS_HEARTBEAT_S="1",
        SITE_URL=f"http://127.0.0.1:{port}",  # its own address: OAuth sends users back there
        **extra,
    )
    server = start_web_server(
        port=port, database_url=env["DATABASE_URL"], log=tmp_path / "web.log", env=env
    )
    try:
        yield StudioServer(f"http://127.0.0.1:{port}")
    finally:
        stop_web_server(server)
