"""A whole story narrated by one recording of its script: accepted at once (202, a `my_voice`
job on the story's event stream), aligned to the TTS reading of every scene, split at the scene
boundaries, and each part made its scene's voice with captions within 100 ms of the spoken
words. The fixture is a Piper reading of the whole script, slowed down by 15 %."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs import side_jobs
from jobs.models import Job
from practice.narration import MY_VOICE_PROVIDER
from stories.models import Event
from tests.factories import SceneFactory, StoryFactory
from tests.speech import recordings as rec

CAPTION_TOLERANCE_MS = 100
STRETCH = 1.15
SCRIPT = (
    "The quick brown fox jumps over the lazy dog.",
    "Please remember to water the plants before you leave.",
    "The river runs quietly under the old stone bridge.",
)


@pytest.fixture(scope="module")
def reading(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("storyvoice")
    words = rec.piper(" ".join(SCRIPT), d / "whole.wav")
    rec.stretched(d / "whole.wav", d / "whole-slow.wav", factor=STRETCH)
    rec.ffmpeg("-i", str(d / "whole-slow.wav"), "-c:a", "libopus", str(d / "whole.webm"))
    return {"path": d / "whole.webm", "words": words}


@pytest.fixture
def story(user):
    story = StoryFactory(owner=user, language="en", voice="en-piper-joe")
    for position, text in enumerate(SCRIPT):
        SceneFactory(story=story, position=position, narration=text)
    return story


def post_story_voice(client, story, path):
    return client.post(
        f"/api/v1/practice/stories/{story.pk}/voice",
        {"recording": SimpleUploadedFile(path.name, path.read_bytes())},
        format="multipart",
    )


def test_one_reading_of_the_script_becomes_every_scenes_voice(api, story, reading):
    response = post_story_voice(api, story, reading["path"])

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.kind, job.story_id, job.scene_id) == (Job.Kind.MY_VOICE, story.pk, None)
    side_jobs.run_side_job(job_id=job.pk)  # as the worker does
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_detail

    scenes = list(story.scenes.order_by("position"))
    captioned, offset_ms = [], 0
    for scene in scenes:
        assert scene.voice.source_provider == MY_VOICE_PROVIDER
        captioned += [
            (w["text"], offset_ms + w["start_ms"], offset_ms + w["end_ms"])
            for w in scene.word_timings
        ]
        offset_ms += scene.voice.duration_ms  # the parts tile the recording
    spoken = [(w.text, round(w.start_ms * STRETCH)) for w in reading["words"]]
    assert [text for text, _s, _e in captioned] == [text for text, _s in spoken]
    misses = [abs(c[1] - s[1]) for c, s in zip(captioned, spoken, strict=True)]
    assert max(misses) <= CAPTION_TOLERANCE_MS, misses
    # each scene's part holds its own words: the cut falls between two scenes' words
    for scene in scenes:
        assert scene.word_timings[-1]["end_ms"] <= scene.voice.duration_ms
        assert scene.duration_ms > scene.voice.duration_ms  # the scene pause follows
    assert abs(offset_ms - round(reading["words"][-1].end_ms * STRETCH)) < 2000
    # the story's stream followed the job to its end
    states = [
        e.payload["status"]
        for e in Event.objects.filter(story=story, kind=Event.Kind.JOB, payload__job=job.pk)
    ]
    assert states == ["queued", "running", "succeeded"]
    assert Event.objects.filter(story=story, kind=Event.Kind.PROGRESS).exists()


def test_a_story_without_narration_or_a_strangers_story_is_refused(api, user, reading):
    empty = StoryFactory(owner=user)
    SceneFactory(story=empty, narration="")
    stranger = StoryFactory()

    assert post_story_voice(api, empty, reading["path"]).status_code == 400
    assert post_story_voice(api, stranger, reading["path"]).status_code == 404
    assert not Job.objects.filter(kind=Job.Kind.MY_VOICE).exists()


def test_a_second_upload_while_one_runs_is_409(api, story, reading):
    assert post_story_voice(api, story, reading["path"]).status_code == 202

    again = post_story_voice(api, story, reading["path"])

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "ALREADY_RUNNING"


def test_the_storys_stream_waits_for_the_voice_job_then_ends(api, story, reading):
    job_id = post_story_voice(api, story, reading["path"]).json()["id"]
    events = f"/api/v1/stories/{story.pk}/events"

    waiting = api.get(events).json()
    side_jobs.run_side_job(job_id=job_id)
    done = api.get(events, {"after": waiting["last_event_id"]}).json()

    assert waiting["is_final"] is False  # the story rests, but its voice job is queued
    assert done["is_final"] is True
    assert done["results"][-1]["payload"]["status"] == "succeeded"


def test_a_reading_far_longer_than_the_story_is_413_and_nothing_is_saved(
    api, user, reading, tmp_path
):
    short = StoryFactory(owner=user, language="en", duration_s=5)  # takes at most 10 s
    SceneFactory(story=short, narration=SCRIPT[0])
    long = rec.delayed(reading["path"], tmp_path / "long.wav", seconds=10)

    response = post_story_voice(api, short, long)

    assert response.status_code == 413
    assert response.json()["error"]["details"]["max_duration_s"] == 10
    assert not Job.objects.exists()
