"""Record a take in Chromium through its fake microphone (a WAV file of a Piper reading),
upload it from the page's MediaRecorder script, follow its analysis on the take's event stream
and land on its analysed result."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from jobs import dispatch, side_jobs
from practice import services
from practice.models import Take
from tests.factories import UserFactory
from tests.speech import recordings as rec
from tests.studio.browser import LAUNCH_ARGS, chromium_path

pytestmark = pytest.mark.django_db(transaction=True)

ARGS = [*LAUNCH_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
RECORD_MS = 4500  # the reading is ~3.6 s; the page records in real time


@pytest.fixture
def microphone(tmp_path) -> tuple[Path, list[dict]]:
    """A 48 kHz 16-bit WAV for Chromium's fake capture device, and its words."""
    words = rec.piper(rec.LINE, tmp_path / "reading.wav")
    wav = tmp_path / "mic.wav"
    rec.ffmpeg("-i", str(tmp_path / "reading.wav"), "-af", "apad=pad_dur=1", "-ar", "48000",
               "-ac", "1", "-c:a", "pcm_s16le", str(wav))  # fmt: skip
    return wav, [w.to_json() for w in words]


def test_a_take_recorded_in_the_browser_is_uploaded_and_analysed(
    live_server, microphone, monkeypatch, tmp_path
):
    from playwright import sync_api as playwright

    # the analysis job runs in the server's request thread once the take is committed
    monkeypatch.setattr(
        dispatch,
        "queue_jobs",
        lambda jobs: transaction.on_commit(
            lambda: [side_jobs.run_side_job(job_id=job.pk) for job in jobs]
        ),
    )
    wav, words = microphone
    user = UserFactory()
    line = services.import_line(
        by=user, text=rec.LINE, language="en", words=words,
        audio=SimpleUploadedFile("ref.wav", (wav.parent / "reading.wav").read_bytes()),
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[*ARGS, f"--use-file-for-fake-audio-capture={wav}"],
        )
        context = browser.new_context()
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        followed: list[str] = []
        page.on("request", lambda r: followed.append(r.url) if "/events/stream" in r.url else 0)
        page.goto(f"{live_server.url}/practice/lines/{line.pk}/record/")
        page.click("#record")
        page.wait_for_function("!document.getElementById('stop').disabled")
        page.wait_for_timeout(RECORD_MS)
        with page.expect_navigation(url="**/practice/takes/*/", timeout=60_000):
            page.click("#stop")
        rank = page.inner_text("#rank") if page.query_selector("#rank") else ""
        status = page.inner_text("#status") if page.query_selector("#status") else ""
        rows = page.locator("#words tbody tr").count()
        polylines = page.locator("#pitch polyline").count()
        browser.close()

    take = Take.objects.get()
    assert take.status == Take.Status.SUCCEEDED, (status, take.error_message)
    assert followed
    assert f"/practice/takes/{take.pk}/events/stream" in followed[0]
    assert take.recording.mime_type.startswith("audio/")
    assert rank == take.rank
    assert rows == len(words)
    assert polylines >= 2
    assert take.result["similarity"] > 30  # the fake microphone loops the same reading
