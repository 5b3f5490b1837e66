import json
import subprocess
import wave
from decimal import Decimal

import pytest

from billing.models import UsageRecord
from jobs import inline, pipeline
from jobs.models import Job
from providers.base import PermanentProviderError, TransientProviderError
from providers.registry import get_voice_provider
from providers.voice.audio import tokenize
from providers.voice.elevenlabs import ElevenLabsVoice, token_starts_ms
from scenes.services.media import make_scene_voice
from stories.states import Status
from tests.factories import SceneFactory, StoryFactory
from tests.providers.fakes import RETRY_AFTER_S

TEXT = "Fresh coffee, every single morning!"


def voice_for(fake, **kwargs) -> ElevenLabsVoice:
    defaults = {"api_key": "xi-key", "base_url": fake.url, "default_voice_id": "VOICE123"}
    return ElevenLabsVoice(**{**defaults, **kwargs})


def probe(path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out)["streams"][0]


def test_speech_is_a_mono_wav_with_one_timing_per_token_and_sends_key_voice_model(
    elevenlabs_server, tmp_path
):
    elevenlabs_server.reset()

    speech = voice_for(elevenlabs_server).synthesize(
        text=TEXT, language="en", voice="", out_path=tmp_path / "v.wav"
    )

    stream = probe(speech.audio_path)
    assert stream["codec_name"] == "pcm_s16le"
    assert stream["channels"] == 1
    with wave.open(str(speech.audio_path)) as wav:
        assert abs(wav.getnframes() / wav.getframerate() * 1000 - speech.duration_ms) <= 2
    assert 1500 <= speech.duration_ms <= 2200  # 35 characters at 50 ms each, plus a tail
    assert [w.text for w in speech.words] == TEXT.split()
    starts = [w.start_ms for w in speech.words]
    assert starts == sorted(starts)
    assert starts[0] <= 50
    # The fake says character i starts at i * 50 ms: "coffee," is character 6.
    assert abs(speech.words[1].start_ms - 300) <= 30
    (sent,) = elevenlabs_server.posts()
    assert sent.path == "/v1/text-to-speech/VOICE123/with-timestamps?output_format=mp3_44100_128"
    assert sent.headers["xi-api-key"] == "xi-key"
    assert sent.body == {"text": TEXT, "model_id": "eleven_multilingual_v2"}
    assert speech.usage.unit == "characters"
    assert speech.usage.units == len(TEXT)


def test_a_story_voice_picks_voice_and_model_and_flash_gets_the_language(
    elevenlabs_server, tmp_path
):
    elevenlabs_server.reset()

    speech = voice_for(elevenlabs_server).synthesize(
        text="안녕하세요 여러분", language="ko", voice="KOVOICE:eleven_flash_v2_5",
        out_path=tmp_path / "v.wav",
    )  # fmt: skip

    (sent,) = elevenlabs_server.posts()
    assert sent.path.startswith("/v1/text-to-speech/KOVOICE/with-timestamps")
    assert sent.body["model_id"] == "eleven_flash_v2_5"
    assert sent.body["language_code"] == "ko"
    assert [w.text for w in speech.words] == ["안녕하세요", "여러분"]
    assert speech.usage.model == "eleven_flash_v2_5"


def test_offline_voice_ids_mean_the_default_elevenlabs_voice(elevenlabs_server):
    voice = voice_for(elevenlabs_server)

    assert voice.voice_and_model("ko-espeak") == ("VOICE123", "eleven_multilingual_v2")
    assert voice.voice_and_model("") == ("VOICE123", "eleven_multilingual_v2")


def test_alignment_that_differs_from_the_text_still_times_every_token():
    text = "Hi  there, “friend”"
    tokens = tokenize(text)
    characters = list('Hi there, "friend"')  # one space dropped, quotes normalised
    starts_s = [i * 0.1 for i in range(len(characters))]

    starts = token_starts_ms(text, tokens, characters=characters, starts_s=starts_s)

    assert starts == [0, 300, 1100]


@pytest.mark.parametrize(
    ("mode", "error", "message"),
    [
        ("429", TransientProviderError, r"rate limiting \(HTTP 429\); retry after 7 s"),
        ("500", TransientProviderError, r"server error \(HTTP 500\)"),
        ("slow", TransientProviderError, "did not answer within 0.3 s"),
        ("garbage", PermanentProviderError, "malformed answer: the body is not JSON"),
        (
            "401",
            PermanentProviderError,
            r"refused the API key \(HTTP 401\): check ELEVENLABS_API_KEY",
        ),
        ("empty_audio", PermanentProviderError, "the audio has zero length"),
        ("bad_alignment", PermanentProviderError, "alignment lists 35 characters and 32 start"),
    ],
)
def test_faults_map_to_retry_or_fail_and_write_no_file(
    elevenlabs_server, tmp_path, mode, error, message
):
    elevenlabs_server.reset()
    elevenlabs_server.modes[:] = [mode]
    out = tmp_path / "v.wav"

    with pytest.raises(error, match=message) as caught:
        voice_for(elevenlabs_server, timeout_s=0.3).synthesize(
            text=TEXT, language="en", voice="", out_path=out
        )

    assert caught.value.provider == "elevenlabs"
    if mode == "429":
        assert caught.value.retry_after_s == RETRY_AFTER_S
    assert len(elevenlabs_server.posts()) == 1  # the SDK's own retries are off: jobs retry
    assert not out.exists()


def test_no_key_fails_before_sending(tmp_path):
    with pytest.raises(PermanentProviderError, match="set ELEVENLABS_API_KEY"):
        ElevenLabsVoice(api_key="", default_voice_id="V").synthesize(
            text=TEXT, language="en", voice="", out_path=tmp_path / "v.wav"
        )


@pytest.mark.django_db
def test_scene_voice_saves_audio_timings_and_priced_usage(fake_elevenlabs, prices):
    scene = SceneFactory(narration=TEXT, story=StoryFactory(voice="STORYVOICE"))

    make_scene_voice(scene_id=scene.pk)

    scene.refresh_from_db()
    assert scene.voice.source_provider == "elevenlabs"
    assert [w["text"] for w in scene.word_timings] == TEXT.split()
    record = UsageRecord.objects.get(story=scene.story)
    assert (record.provider, record.model, record.unit) == (
        "elevenlabs", "eleven_multilingual_v2", "characters"
    )  # fmt: skip
    assert record.units == len(TEXT)
    assert record.cost_usd == Decimal("0.0035")  # $0.10 per 1K characters
    assert fake_elevenlabs.posts()[0].path.startswith("/v1/text-to-speech/STORYVOICE/")
    assert fake_elevenlabs.posts()[0].headers["xi-api-key"] == "xi-test-key"


@pytest.mark.django_db(transaction=True)  # asset jobs run in threads with their own connections
def test_voice_job_fails_with_external_api_error_on_a_bad_key_and_keeps_the_plan(
    fake_elevenlabs,
):
    fake_elevenlabs.modes[:] = ["401"] * 20
    story = StoryFactory(duration_s=8)
    pipeline.plan_story(story_id=story.pk, inline=True)
    inline.run_inline(story_id=story.pk)
    scenes_before = list(story.scenes.values_list("pk", "narration"))
    pipeline.generate_preview(story_id=story.pk, inline=True)

    inline.run_inline(story_id=story.pk)

    story.refresh_from_db()
    assert story.status == Status.FAILED
    failed = Job.objects.filter(story=story, kind=Job.Kind.VOICE, status=Job.Status.FAILED)
    assert failed.exists()
    assert failed.first().error_code == "EXTERNAL_API_ERROR"
    # Operators see the cause; users see a plain message with a reference.
    assert "check ELEVENLABS_API_KEY" in failed.first().error_detail
    assert "ELEVENLABS_API_KEY" not in failed.first().error_message
    assert list(story.scenes.values_list("pk", "narration")) == scenes_before


def test_get_voice_provider_uses_settings(fake_elevenlabs, db):
    provider = get_voice_provider()

    assert isinstance(provider, ElevenLabsVoice)
    assert provider.base_url == fake_elevenlabs.url
    assert provider.default_voice_id == "JBFqnCBsd6RMkjVDRZzb"
