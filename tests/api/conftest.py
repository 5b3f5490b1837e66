"""The API contract as a client team sees it: the OpenAPI schema exported once per session,
and the real brokers and workers of tests/realservices.py for the flows against a live server."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.realservices import broker, celery_workers, rabbitmq_server, redis_server

__all__ = ["broker", "celery_workers", "rabbitmq_server", "redis_server"]


@pytest.fixture(scope="session")
def openapi_schema(tmp_path_factory) -> Path:
    """The schema that /api/schema/ serves, exported as JSON (`manage.py spectacular`)."""
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    call_command("spectacular", file=str(path), format="openapi-json", validate=True)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can print worker logs on failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
