"""My voice in my reel: an uploaded reading is accepted at once (202, a `my_voice` job) and the
job makes it the scene's voice, its captions landing on the spoken words (within 100 ms), the
audio cleaned to the mix loudness; regenerating the voice goes back to TTS."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jobs import side_jobs
from jobs.models import Job
from practice.narration import MY_VOICE_PROVIDER
from scenes.models import Scene
from scenes.services.media import make_scene_voice
from stories.models import Event
from tests.factories import SceneFactory, StoryFactory, UserFactory
from tests.speech import recordings as rec

CAPTION_TOLERANCE_MS = 100


@pytest.fixture(scope="module")
def takes(tmp_path_factory) -> dict:
    """Two readings by "me" whose word timings are known: one at Piper's pace, one slower."""
    d = tmp_path_factory.mktemp("myvoice")
    words = rec.piper(rec.LINE, d / "mine.wav")
    rec.ffmpeg("-i", str(d / "mine.wav"), "-c:a", "libopus", "-b:a", "64k", str(d / "mine.webm"))
    rec.stretched(d / "mine.wav", d / "slow.wav", factor=1.25)
    rec.silence(d / "silence.wav", seconds=3)
    return {"dir": d, "words": words}


@pytest.fixture
def scene(user) -> Scene:
    story = StoryFactory(owner=user, language="en", voice="en-piper-joe")
    return SceneFactory(story=story, narration=rec.LINE)


def post_voice(client, scene, path):
    """Upload, then run the job the upload queued as a worker would."""
    response = client.post(
        f"/api/v1/practice/scenes/{scene.pk}/voice",
        {"recording": SimpleUploadedFile(path.name, path.read_bytes())},
        format="multipart",
    )
    if response.status_code == 202:
        side_jobs.run_side_job(job_id=response.json()["id"])
    return response


def integrated_lufs(path) -> float:
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-i", str(path), "-af", "ebur128", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", done.stderr)[-1])


@pytest.mark.parametrize(("name", "stretch"), [("mine.webm", 1.0), ("slow.wav", 1.25)])
def test_captions_follow_my_recording_within_100_ms(api, scene, takes, name, stretch):
    response = post_voice(api, scene, takes["dir"] / name)

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.scene_id, job.status) == (Job.Kind.MY_VOICE, scene.pk, "succeeded")
    scene.refresh_from_db()
    spoken = [round(w.start_ms * stretch) for w in takes["words"]]
    captioned = [w["start_ms"] for w in scene.word_timings]
    assert [w["text"] for w in scene.word_timings] == [w.text for w in takes["words"]]
    misses = [abs(a - b) for a, b in zip(captioned, spoken, strict=True)]
    assert max(misses) <= CAPTION_TOLERANCE_MS, misses
    assert job.output == scene.voice
    assert scene.voice.source_provider == MY_VOICE_PROVIDER
    assert scene.voice.story_id == scene.story_id


def test_my_recording_is_cleaned_to_the_mix_loudness(api, scene, takes, tmp_path):
    quiet = tmp_path / "quiet.wav"
    # a quiet reading with mains hum under it
    rec.ffmpeg(
        "-i", str(takes["dir"] / "mine.wav"),
        "-f", "lavfi", "-i", "sine=f=50:d=5:sample_rate=22050",
        "-filter_complex", "[0]volume=0.1[a];[1]volume=0.02[b];[a][b]amix=inputs=2:duration=first",
        str(quiet),
    )  # fmt: skip

    assert post_voice(api, scene, quiet).status_code == 202

    scene.refresh_from_db()
    # the mix's limiter holds the peaks of a reading raised by 20 dB: a little under -14
    assert integrated_lufs(scene.voice.file.path) == pytest.approx(-14, abs=3)
    assert integrated_lufs(quiet) < -25


def test_regenerating_the_voice_goes_back_to_tts(api, scene, takes):
    post_voice(api, scene, takes["dir"] / "mine.wav")

    make_scene_voice(scene_id=scene.pk)

    scene.refresh_from_db()
    assert scene.voice.source_provider != MY_VOICE_PROVIDER


def test_a_silent_recording_or_a_strangers_scene_is_refused(api, scene, takes):
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())

    silent = post_voice(api, scene, takes["dir"] / "silence.wav")
    foreign = post_voice(stranger, scene, takes["dir"] / "mine.wav")

    assert silent.status_code == 202
    failed = Job.objects.get(pk=silent.json()["id"])
    assert (failed.status, failed.error_code) == (Job.Status.FAILED, "NO_SPEECH")
    # the story's stream says so
    (event,) = Event.objects.filter(
        story=scene.story, kind=Event.Kind.JOB, payload__status="failed"
    )
    assert event.payload["error_code"] == "NO_SPEECH"
    assert foreign.status_code == 404
    scene.refresh_from_db()
    assert scene.voice is None
    assert scene.word_timings == []
