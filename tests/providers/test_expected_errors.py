"""Expected errors (a bad key, a quota, a bad input, a provider refusal) print one message that
names the step and what to do, with no traceback: in makereel, the worker log and the API."""

import logging

import pytest
from django.core.management import ManagementUtility

from billing import services as billing_services
from jobs import pipeline
from jobs.handlers import HANDLERS
from jobs.models import Job
from providers.base import PermanentProviderError
from reelmaker.errors import QuotaExceeded
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, StoryFactory


def makereel(*args: str) -> int:
    """Run makereel as the shell does (run_from_argv): its exit status."""
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "makereel", *args]).execute()
    return exited.value.code


@pytest.mark.django_db(transaction=True)  # run_from_argv closes the connections at the end
def test_makereel_with_a_refused_api_key_prints_one_message_and_no_traceback(
    fake_openai, capfd, tmp_path
):
    fake_openai.modes = ["401"]

    status = makereel("morning coffee", "--duration", "8", "--out", str(tmp_path / "r.mp4"))

    err = capfd.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    assert "CommandError: Plan step failed: " in err
    assert "OPENAI_API_KEY" in err  # what to do
    assert err.count("refused the API key") == 1
    assert Story.objects.get().status == Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_makereel_shows_the_traceback_when_asked(fake_openai, capfd, tmp_path):
    fake_openai.modes = ["401"]

    makereel("morning coffee", "--duration", "8", "--out", str(tmp_path / "r.mp4"), "-v", "2")

    err = capfd.readouterr().err
    assert "Traceback" in err
    assert "OPENAI_API_KEY" in err


@pytest.mark.django_db(transaction=True)
def test_makereel_over_quota_prints_one_message_and_no_traceback(monkeypatch, capfd, tmp_path):
    def refuse(**kwargs):
        raise QuotaExceeded()

    monkeypatch.setattr(billing_services, "ensure_quota", refuse)

    status = makereel("morning coffee", "--out", str(tmp_path / "r.mp4"))

    err = capfd.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    assert "CommandError: Your plan's quota is used up." in err


class RefusingHandler:
    def __init__(self, error):
        self.error = error

    def __call__(self, job):
        raise self.error


@pytest.mark.django_db
def test_an_expected_error_is_one_warning_line_in_the_worker_log(monkeypatch, caplog):
    story = StoryFactory(status=Status.PLANNING)
    job = JobFactory(story=story, kind=Job.Kind.PLAN)
    refusal = PermanentProviderError("refused the API key (HTTP 401): check OPENAI_API_KEY")
    monkeypatch.setitem(HANDLERS, Job.Kind.PLAN, RefusingHandler(refusal))
    caplog.set_level(logging.INFO, logger="jobs.pipeline")

    pipeline.run_job(job_id=job.pk)

    records = [r for r in caplog.records if r.name == "jobs.pipeline"]
    assert [r.levelno for r in records] == [logging.WARNING]
    assert records[0].exc_info is None
    assert "Plan step failed: refused the API key" in records[0].getMessage()
    assert "Traceback" not in caplog.text
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


@pytest.mark.django_db
def test_an_unexpected_error_is_logged_with_its_traceback(monkeypatch, caplog):
    story = StoryFactory(status=Status.PLANNING)
    job = JobFactory(story=story, kind=Job.Kind.PLAN)
    monkeypatch.setitem(HANDLERS, Job.Kind.PLAN, RefusingHandler(ZeroDivisionError("bug")))
    caplog.set_level(logging.INFO, logger="jobs.pipeline")

    pipeline.run_job(job_id=job.pk)

    records = [r for r in caplog.records if r.name == "jobs.pipeline"]
    assert [r.levelno for r in records] == [logging.ERROR]
    assert records[0].exc_info is not None
    assert "Traceback" in caplog.text


@pytest.mark.django_db
def test_the_api_answers_a_provider_refusal_in_the_envelope_without_a_traceback(
    api, user, monkeypatch, caplog
):
    story = StoryFactory(owner=user, status=Status.PLANNED)
    refusal = PermanentProviderError("refused the API key (HTTP 401): check OPENAI_API_KEY")

    def refuse(**kwargs):
        raise refusal

    monkeypatch.setattr(pipeline, "generate_preview", refuse)

    response = api.post(f"/api/v1/stories/{story.pk}/generate_preview/")

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "EXTERNAL_API_ERROR"
    assert "Traceback" not in caplog.text
