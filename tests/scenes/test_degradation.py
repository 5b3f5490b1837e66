"""Where each fallback happens it is recorded on the story (or refused with on_fallback=fail):
another visual provider, the offline artwork, a still for a clip, another voice, libx264 for
a failed NVENC."""

import pytest

from jobs import pipeline
from jobs.models import Job
from providers.base import PermanentProviderError
from providers.visual.artwork import ArtworkProvider
from providers.voice import piper as piper_module
from providers.voice.offline import OfflineVoiceProvider
from reelmaker.errors import FallbackRefused
from render import encoder
from scenes.services import media, render_settings, rendering
from stories.models import Event, Story
from stories.states import Status
from tests.factories import JobFactory, SceneFactory, StoryFactory

pytestmark = pytest.mark.django_db


class BrokenProvider:
    """A visual or video provider whose service is down."""

    def __init__(self, name: str):
        self.name = name
        self.calls = 0

    def _fail(self, **kwargs):
        self.calls += 1
        raise PermanentProviderError("HTTP 500 from the service", provider=self.name)

    make = make_clip = _fail


class Artwork(ArtworkProvider):
    """The offline artwork standing in for a working image provider, under another name."""

    name = "stockpix"

    def make(self, **kwargs):
        result = super().make(**kwargs)
        return type(result)(**{**result.__dict__, "provider": "stockpix"})


@pytest.fixture
def work_dir(settings, tmp_path):
    settings.WORK_DIR = tmp_path / "work"


def scene_of(**story_fields):
    story = StoryFactory(**story_fields)
    Story.objects.filter(pk=story.pk).update(status=Status.PREVIEWING)
    return SceneFactory(story=story, position=0, visual_prompt="latte art")


def test_a_failed_image_provider_gives_the_artwork_and_a_degraded_story(work_dir, monkeypatch):
    monkeypatch.setattr(media.providers, "visual_providers", lambda: [BrokenProvider("pexels")])
    scene = scene_of()

    result = media.make_scene_visual(scene_id=scene.pk)

    story = Story.objects.get(pk=scene.story_id)
    assert result["output"].source_provider == "artwork"
    assert story.is_degraded is True
    assert story.degradation == [
        {
            "step": "visual",
            "scene": scene.pk,
            "reason": "the image from pexels failed (HTTP 500 from the service); "
            "the offline artwork is shown instead",
        }
    ]
    (event,) = Event.objects.filter(story=story, kind=Event.Kind.DEGRADED)
    assert event.payload == story.degradation[0]


def test_a_failed_clip_provider_gives_a_still_and_says_so(work_dir, monkeypatch, settings):
    settings.REELMAKER_VIDEO_SCENES = "all"
    monkeypatch.setattr(media.providers, "video_providers", lambda: [BrokenProvider("sora")])
    monkeypatch.setattr(media.providers, "visual_providers", lambda: [Artwork()])
    scene = scene_of()

    media.make_scene_visual(scene_id=scene.pk)

    (entry,) = Story.objects.get(pk=scene.story_id).degradation
    assert entry["reason"] == (
        "the video clip from sora failed (HTTP 500 from the service); "
        "a still image from stockpix is shown instead"
    )


def test_the_offline_artwork_by_configuration_is_no_fallback(work_dir, monkeypatch):
    monkeypatch.setattr(media.providers, "visual_providers", list)
    scene = scene_of()

    media.make_scene_visual(scene_id=scene.pk)

    story = Story.objects.get(pk=scene.story_id)
    assert story.is_degraded is False
    assert story.degradation == []


def test_on_fallback_fail_stops_at_the_first_failed_provider_and_fails_the_job(
    work_dir, monkeypatch
):
    second = BrokenProvider("unsplash")
    monkeypatch.setattr(
        media.providers, "visual_providers", lambda: [BrokenProvider("pexels"), second]
    )
    scene = scene_of(on_fallback="fail")
    job = JobFactory(story=scene.story, scene=scene, kind=Job.Kind.VISUAL)

    pipeline.run_job(job_id=job.pk)

    job.refresh_from_db()
    story = Story.objects.get(pk=scene.story_id)
    scene.refresh_from_db()
    assert second.calls == 0  # nothing else was tried
    assert scene.visual is None
    assert job.status == Job.Status.FAILED
    assert job.error_code == "FALLBACK_REFUSED"
    assert "the image from pexels failed (HTTP 500 from the service)" in job.error_message
    assert 'on_fallback "fail"' in job.error_message
    assert story.status == Status.FAILED
    assert story.error_code == "FALLBACK_REFUSED"
    assert story.is_degraded is False


def _piper_unavailable(monkeypatch):
    def unavailable():
        raise piper_module.PiperUnavailable("piper voice failed to load", provider="piper")

    monkeypatch.setattr(piper_module, "_load", unavailable)
    monkeypatch.setattr(media.providers, "get_voice_provider", OfflineVoiceProvider)


def test_another_voice_speaking_is_a_degradation(work_dir, monkeypatch):
    _piper_unavailable(monkeypatch)
    scene = scene_of(voice="en-piper-joe")

    media.make_scene_voice(scene_id=scene.pk)

    scene.refresh_from_db()
    assert scene.voice is not None
    (entry,) = Story.objects.get(pk=scene.story_id).degradation
    assert entry["step"] == "voice"
    assert entry["scene"] == scene.pk
    assert entry["reason"] == (
        "en-piper-joe is unavailable (piper voice failed to load); en-espeak spoke instead"
    )


def test_another_voice_with_on_fallback_fail_keeps_nothing(work_dir, monkeypatch):
    _piper_unavailable(monkeypatch)
    scene = scene_of(voice="en-piper-joe", on_fallback="fail")

    with pytest.raises(FallbackRefused, match="en-espeak spoke instead"):
        media.make_scene_voice(scene_id=scene.pk)

    scene.refresh_from_db()
    assert scene.voice is None
    assert not scene.story.assets.exists()


@pytest.fixture
def nvenc_broken_on_a_gpu(monkeypatch, settings):
    settings.RENDER_ENCODER = ""
    encoder._probed_choice.cache_clear()
    monkeypatch.setattr(encoder, "_encodes_one_frame", lambda name: False)
    monkeypatch.setattr(encoder, "has_nvidia_driver", lambda: True)
    yield
    encoder._probed_choice.cache_clear()


def test_libx264_standing_in_for_a_failed_nvenc_is_a_fallback(nvenc_broken_on_a_gpu):
    choice = encoder.choose_encoder()

    assert choice.encoder == "libx264"
    assert "NVENC failed a one-frame test encode" in choice.fallback
    assert encoder.choose_encoder("libx264").fallback == ""  # forced: no fallback


def test_libx264_on_a_machine_without_a_gpu_is_no_fallback(monkeypatch):
    encoder._probed_choice.cache_clear()
    monkeypatch.setattr(encoder, "_encodes_one_frame", lambda name: False)
    monkeypatch.setattr(encoder, "has_nvidia_driver", lambda: False)
    try:
        assert encoder.choose_encoder() == encoder.EncoderChoice("libx264")
    finally:
        encoder._probed_choice.cache_clear()


def test_a_render_with_the_stand_in_encoder_is_degraded_or_refused(nvenc_broken_on_a_gpu):
    degrade = scene_of()
    refuse = scene_of(on_fallback="fail")

    render_settings.record_encoder(degrade.story)
    with pytest.raises(FallbackRefused, match="NVENC failed"):
        rendering.render_scene(scene_id=refuse.pk, profile="preview")

    (entry,) = Story.objects.get(pk=degrade.story_id).degradation
    assert entry["step"] == "render"
    assert entry["scene"] is None
    assert "rendered with libx264" in entry["reason"]
    assert Story.objects.get(pk=refuse.story_id).degradation == []
