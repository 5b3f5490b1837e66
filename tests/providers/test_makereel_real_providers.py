"""`makereel` with the writer and the voice pointed at the local OpenAI and ElevenLabs servers."""

import json
import subprocess

import pytest
from django.core.management import call_command

from billing.models import UsageRecord
from billing.selectors import story_cost
from stories.models import Story
from stories.states import Status
from tests.providers.fakes import valid_plan


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # asset jobs run in threads with their own connections
def test_makereel_takes_its_plan_from_openai_and_its_voice_from_elevenlabs(
    fake_openai, fake_elevenlabs, prices, tmp_path
):
    fake_openai.plan = valid_plan(duration_s=8, title="Dawn at the roastery")
    out = tmp_path / "reel.mp4"

    call_command(
        "makereel", "morning coffee", "--lang", "en", "--duration", "8",
        "--profile", "preview", "--out", str(out),
    )  # fmt: skip

    story = Story.objects.get()
    assert story.status == Status.PREVIEW_READY
    assert story.title == "Dawn at the roastery"
    assert [s.narration for s in story.scenes.order_by("position")] == [
        f"Scene {n} speaks now." for n in range(1, 5)
    ]
    assert fake_openai.posts()[0].body["model"] == "gpt-4o-mini"
    assert len(fake_elevenlabs.posts()) == 4
    assert {s.voice.source_provider for s in story.scenes.all()} == {"elevenlabs"}
    assert all(s.word_timings[0]["text"] == "Scene" for s in story.scenes.all())
    providers = set(UsageRecord.objects.filter(story=story).values_list("provider", flat=True))
    assert {"openai", "elevenlabs"} <= providers
    assert story_cost(story) > 0
    streams = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(out)],
            capture_output=True,
            check=True,
        ).stdout
    )["streams"]
    assert {s["codec_type"] for s in streams} == {"video", "audio"}
