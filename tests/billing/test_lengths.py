"""[security] 4: the plan's longest reel holds for the real, spoken length; narration per story
is capped; uploads are capped by resolution and duration."""

import io
import wave
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from billing.models import Plan, Subscription
from jobs import pipeline
from jobs.models import Job
from media.services import UploadTooLarge, store_upload
from providers import registry as providers
from providers.voice.base import SpeechResult
from scenes.models import Scene
from stories.models import Story
from stories.states import Status
from tests.factories import JobFactory, SceneFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _subscriber(max_duration_s: int):
    user = UserFactory()
    plan = Plan.objects.create(code="short", name="Short", max_duration_s=max_duration_s)
    Subscription.objects.create(user=user, plan=plan)
    return user


def _wav(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * int(8000 * seconds))
    return path


class SlowVoice:
    """A voice that takes 20 s for any narration."""

    def synthesize(self, *, text, language, voice, out_path):
        return SpeechResult(audio_path=_wav(Path(out_path), 0.1), duration_ms=20_000)


def test_a_reel_voiced_past_the_plans_longest_fails_its_job_naming_both_numbers(
    monkeypatch, settings
):
    settings.REEL_DURATION_GRACE_S = 0
    monkeypatch.setattr(providers, "get_voice_provider", lambda: SlowVoice())
    story = StoryFactory(owner=_subscriber(max_duration_s=15), duration_s=15)
    scene = SceneFactory(story=story, narration="Short on paper, long when spoken.")
    Story.objects.filter(pk=story.pk).update(status=Status.PREVIEWING)
    job = JobFactory(story=story, scene=scene, kind=Job.Kind.VOICE)

    pipeline.run_job(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.error_code) == (Job.Status.FAILED, "QUOTA_EXCEEDED")
    assert "20" in job.error_message
    assert "15" in job.error_message
    assert Story.objects.get(pk=story.pk).status == Status.FAILED


def test_thirty_long_scenes_cannot_make_an_hour_long_reel_on_a_60s_plan(settings):
    settings.NARRATION_CHARS_PER_S = 25
    owner = _subscriber(max_duration_s=60)
    story = StoryFactory(owner=owner, duration_s=60)
    client = APIClient()
    client.force_authenticate(owner)
    batch = [{"narration": "x" * 2000} for _ in range(10)]  # 10 x 2,000 characters

    responses = [
        client.post(
            f"/api/v1/stories/{story.pk}/scenes/bulk_create/", {"scenes": batch}, format="json"
        )
        for _ in range(3)
    ]

    assert [r.status_code for r in responses] == [400, 400, 400]
    assert responses[0].json()["error"]["details"] == {
        "max_narration_chars": 1500,
        "narration_chars": 20_000,
    }
    assert not Scene.objects.filter(story=story).exists()


def test_editing_a_scene_past_the_narration_cap_is_400_naming_the_cap(settings):
    settings.NARRATION_CHARS_PER_S = 25
    owner = _subscriber(max_duration_s=20)  # 500 characters
    scene = SceneFactory(story=StoryFactory(owner=owner, duration_s=20), narration="Short.")
    client = APIClient()
    client.force_authenticate(owner)

    response = client.patch(
        f"/api/v1/scenes/{scene.pk}/", {"narration": "x" * 600}, HTTP_ACCEPT_LANGUAGE="ko"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["details"] == {"max_narration_chars": 500, "narration_chars": 600}
    assert "500" in error["message"]
    assert "내레이션" in error["message"]
    assert Scene.objects.get(pk=scene.pk).narration == "Short."


def test_an_upload_past_the_pixel_cap_is_refused(settings):
    settings.UPLOAD_MAX_PIXELS = 1000
    story = StoryFactory()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, "PNG")

    with pytest.raises(UploadTooLarge) as refused:
        store_upload(
            owner=story.owner, story=story, file=SimpleUploadedFile("big.png", out.getvalue())
        )

    assert refused.value.details == {"max_pixels": 1000, "pixels": 3072}
    assert not story.assets.exists()


def test_an_upload_past_the_duration_cap_is_refused(settings, tmp_path):
    settings.UPLOAD_MAX_DURATION_S = 1
    story = StoryFactory()
    track = _wav(tmp_path / "long.wav", 3)

    with pytest.raises(UploadTooLarge) as refused:
        store_upload(
            owner=story.owner, story=story, file=SimpleUploadedFile("long.wav", track.read_bytes())
        )

    assert refused.value.details == {"max_duration_s": 1, "duration_s": 3.0}
    assert not story.assets.exists()
