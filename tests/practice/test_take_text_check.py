"""Speech recognition checks a take's words when REELMAKER_ASR=openai (the official SDK
against a local server speaking OpenAI's transcription format); without it, or when it fails,
the result says the text was not checked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from billing.models import ProviderPrice, UsageRecord
from practice import analysis, services
from providers.asr.openai_transcriber import OpenAITranscriber
from providers.base import PermanentProviderError, TransientProviderError
from tests.practice.support import analyse, queue_take_jobs
from tests.providers.fake_openai_transcriptions import FakeTranscriptions
from tests.speech import recordings as rec

HEARD = "The quick brown cat jumps over the lazy dog by the river"


@pytest.fixture(scope="module")
def audio(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("asr")
    words = rec.piper(rec.LINE, d / "reference.wav")
    return {"dir": d, "words": [w.to_json() for w in words]}


@pytest.fixture
def fake(settings):
    with FakeTranscriptions(text=HEARD) as server:
        settings.REELMAKER_ASR = "openai"
        settings.OPENAI_BASE_URL = server.url
        settings.OPENAI_API_KEY = "sk-test"
        settings.OPENAI_TIMEOUT_S = 5
        yield server


@pytest.fixture
def take(user, audio, monkeypatch):
    queue_take_jobs(monkeypatch)
    line = services.import_line(
        by=user,
        text=rec.LINE,
        language="en",
        words=audio["words"],
        audio=SimpleUploadedFile("ref.wav", (audio["dir"] / "reference.wav").read_bytes()),
    )
    return analysis.submit_take(
        user=user,
        line=line,
        recording=SimpleUploadedFile("t.wav", (audio["dir"] / "reference.wav").read_bytes()),
    )


def test_each_word_passes_or_fails_against_what_was_heard(fake, take, audio):
    done = analyse(take.pk)

    assert done.result["is_text_checked"] is True
    marks = {w["text"]: w["is_text_match"] for w in done.result["words"]}
    assert marks["fox"] is False
    assert marks["quick"] is True
    assert marks["river."] is True
    (request,) = fake.requests
    assert request.path == "/v1/audio/transcriptions"
    assert request.fields["model"] == "whisper-1"
    assert request.fields["language"] == "en"
    assert request.authorization == "Bearer sk-test"
    assert request.file == (audio["dir"] / "reference.wav").read_bytes()


def test_without_a_recogniser_the_text_is_not_checked(settings, take):
    settings.REELMAKER_ASR = ""

    done = analyse(take.pk)

    assert done.result["is_text_checked"] is False
    assert all(w["is_text_match"] is None for w in done.result["words"])


def test_a_failing_recogniser_leaves_the_text_unchecked_and_says_why(fake, take):
    fake.modes = ["500"]

    done = analyse(take.pk)

    assert done.status == "succeeded"
    assert done.result["is_text_checked"] is False
    assert "500" in done.result["text_not_checked_because"]


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("500", TransientProviderError),
        ("429", TransientProviderError),
        ("401", PermanentProviderError),
        ("garbage", PermanentProviderError),
    ],
)
def test_provider_errors_are_mapped(fake, audio, mode, error):
    fake.modes = [mode]
    transcriber = OpenAITranscriber(
        model="whisper-1", api_key="sk-test", api_key_env="OPENAI_API_KEY",
        base_url=fake.url, timeout_s=5,
    )  # fmt: skip

    with pytest.raises(error):
        transcriber.transcribe(
            audio_path=audio["dir"] / "reference.wav", language="en", duration_s=3.5
        )


def test_speech_recognition_is_billed_to_the_user_and_the_job(fake, take, api):
    # priced per second of audio sent, as OpenAI bills transcription (seeded by a migration)
    price = ProviderPrice.objects.get(provider="openai", model="whisper-1", unit="seconds")
    assert price.usd_per_unit == Decimal("0.0001")

    done = analyse(take.pk)

    (record,) = UsageRecord.objects.filter(user=take.user)
    seconds = take.recording.duration_ms / 1000
    assert (record.provider, record.model, record.unit) == ("openai", "whisper-1", "seconds")
    assert float(record.units) == pytest.approx(seconds, abs=0.01)
    assert record.job_id == done.job_id
    assert record.cost_usd == (Decimal("0.0001") * record.units).quantize(Decimal("0.000001"))
    assert record.cost_usd > 0
    assert (done.job.cost_usd, done.job.provider) == (record.cost_usd, "openai")
    usage = api.get("/api/v1/billing/usage").json()
    assert Decimal(usage["provider_cost_usd"]) == record.cost_usd.quantize(Decimal("0.0001"))


def test_without_a_recogniser_nothing_is_billed(settings, take):
    # the price is seeded, but nothing is sent, so nothing is used
    settings.REELMAKER_ASR = ""

    done = analyse(take.pk)

    assert not UsageRecord.objects.exists()
    assert done.job.cost_usd == 0
