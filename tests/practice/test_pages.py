"""The practice pages: record (reference playing, MediaRecorder script served locally), the
result (word table, pitch chart as SVG, rank) and "use this take" for a scene."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jobs import side_jobs
from jobs.models import Job
from practice import analysis, services
from practice.models import Take
from practice.narration import MY_VOICE_PROVIDER
from tests.factories import SceneFactory, StoryFactory
from tests.practice.support import analyse, queue_take_jobs
from tests.speech import recordings as rec


@pytest.fixture(scope="module")
def audio(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("pages")
    words = rec.piper(rec.LINE, d / "reference.wav")
    rec.piper(rec.LINE, d / "take.wav")
    return {"dir": d, "words": [w.to_json() for w in words]}


@pytest.fixture
def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def line(user, audio, monkeypatch):
    queue_take_jobs(monkeypatch)
    story = StoryFactory(owner=user, language="en", voice="en-piper-joe")
    imported = services.import_line(
        by=user,
        text=rec.LINE,
        language="en",
        words=audio["words"],
        audio=SimpleUploadedFile("ref.wav", (audio["dir"] / "reference.wav").read_bytes()),
    )
    scene = SceneFactory(
        story=story, narration=rec.LINE, voice=imported.reference, word_timings=audio["words"]
    )
    return services.line_from_scene(scene_id=scene.pk, by=user)


def take_of(user, line, audio) -> Take:
    return analysis.submit_take(
        user=user,
        line=line,
        recording=SimpleUploadedFile("take.wav", (audio["dir"] / "take.wav").read_bytes()),
    )


def test_the_record_page_plays_the_reference_and_loads_the_local_recorder(browser, line):
    page = browser.get(f"/practice/lines/{line.pk}/record/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="reference"' in html
    assert "/static/practice/record.js" in html
    assert f"/api/v1/practice/lines/{line.pk}/takes" in html
    assert "https://" not in html.split("<main", 1)[1]  # nothing from a CDN


def test_a_pending_take_refreshes_and_an_analysed_one_shows_words_pitch_and_rank(
    browser, user, line, audio
):
    take = take_of(user, line, audio)

    pending = browser.get(f"/practice/takes/{take.pk}/").content.decode()
    analyse(take.pk)
    done = browser.get(f"/practice/takes/{take.pk}/").content.decode()

    assert 'http-equiv="refresh"' in pending
    take.refresh_from_db()
    assert f'id="rank" class="rank">{take.rank}<' in done
    assert done.count("<tr><td>") == len(audio["words"])
    assert done.count('class="reference"') >= 1
    assert done.count('class="recording"') >= 1
    assert 'http-equiv="refresh"' not in done


def test_use_this_take_makes_it_the_scenes_voice(browser, user, line, audio):
    take = take_of(user, line, audio)
    analyse(take.pk)

    response = browser.post(f"/practice/takes/{take.pk}/use/")

    assert response.status_code == 302
    job = Job.objects.get(kind=Job.Kind.MY_VOICE, scene=line.scene)
    side_jobs.run_side_job(job_id=job.pk)  # as the worker does
    line.scene.refresh_from_db()
    assert line.scene.voice.source_provider == MY_VOICE_PROVIDER
    assert len(line.scene.word_timings) == len(audio["words"])


def test_another_users_take_page_is_404(line, user, audio, django_user_model):
    take = take_of(user, line, audio)
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("zed", "zed@example.com", "pw"))

    assert stranger.get(f"/practice/takes/{take.pk}/").status_code == 404
    assert stranger.post(f"/practice/takes/{take.pk}/use/").status_code == 404
