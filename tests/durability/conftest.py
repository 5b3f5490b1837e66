import pytest

from tests.realservices import broker, celery_workers, rabbitmq_server, redis_server

__all__ = ["broker", "celery_workers", "rabbitmq_server", "redis_server"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can print worker logs on failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
