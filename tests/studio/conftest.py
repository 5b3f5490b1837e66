import os

import pytest

from tests.realservices import broker, celery_workers, rabbitmq_server, redis_server
from tests.studio.browser import LAUNCH_ARGS, chromium_path

__all__ = ["broker", "celery_workers", "rabbitmq_server", "redis_server"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can print worker logs on failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium():
    """One browser for the whole session (Playwright's sync API, Debian's chromium)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests and
    # the live server make from here are still plain synchronous ones.
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


@pytest.fixture
def studio_server(live_server, settings):
    """The live server with plain-HTTP cookies (it is not HTTPS) and fast event streams."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.EVENTS_POLL_MS = 50
    settings.EVENTS_HEARTBEAT_S = 1
    return live_server
