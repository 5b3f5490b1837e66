"""A story's reel lands on the length asked for and closes on its end card: the timeline from
its voiced scenes, and whole reels made by `makereel` checked with ffprobe."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from PIL import Image

from render.end_card import draw_end_card
from render.probe import probe
from render.timeline import END_CARD_MIN_MS
from scenes.services.timeline import end_card_for, story_timeline
from stories.models import Story
from tests.factories import SceneFactory, StoryFactory

BUSINESS = {
    "name": "카페 어니언",
    "place": "성수동",
    "offer": "아메리카노 1+1",
    "contact": "02-123-4567",
}

LAST_FRAME = ("ffmpeg", "-v", "error", "-y", "-sseof", "-0.1")


def _last_frame(reel: Path, out: Path) -> np.ndarray:
    subprocess.run(
        [*LAST_FRAME, "-i", str(reel), "-frames:v", "1", "-update", "1", str(out)],
        check=True,
    )
    return np.asarray(Image.open(out).convert("L"), dtype=np.int16)


@pytest.mark.django_db
def test_voiced_scenes_are_fitted_to_the_target_with_a_business_card():
    story = StoryFactory(duration_s=15, business=BUSINESS, language="ko")
    scenes = [SceneFactory(story=story, duration_ms=ms) for ms in (3000, 2800, 3400)]

    timeline = story_timeline(story, scenes, fps=30)

    assert abs(timeline.total_ms - 15_000) <= 34
    assert 1500 <= timeline.end_card_ms <= 3000
    assert all(
        fitted >= ms for fitted, ms in zip(timeline.scene_ms, (3000, 2800, 3400), strict=True)
    )
    card = end_card_for(story)
    assert (card.headline, card.lines) == (
        "카페 어니언",
        ("아메리카노 1+1", "성수동", "02-123-4567"),
    )


@pytest.mark.django_db
def test_a_script_keeps_its_own_length_and_a_plain_story_gets_its_title_card():
    script = StoryFactory(duration_s=30, script="One.\n\nTwo.", business={"name": "Blue Door"})
    scenes = [SceneFactory(story=script, duration_ms=ms) for ms in (2000, 2500)]
    plain = StoryFactory(title="Rainy day reads", language="ko")

    timeline = story_timeline(script, scenes, fps=30)

    assert list(timeline.scene_ms) == [2000, 2500]
    assert timeline.end_card_ms == END_CARD_MIN_MS
    card = end_card_for(plain)
    assert card.headline == "Rainy day reads"
    assert card.lines == ("저장하고 팔로우해 주세요",)  # in the story's language


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_reels_land_on_their_length_and_a_business_reel_ends_on_its_card(tmp_path):
    business_reel, plain_reel = tmp_path / "business.mp4", tmp_path / "plain.mp4"
    details = [f"{key}={value}" for key, value in BUSINESS.items()]
    call_command(
        "makereel", "동네 빵집", "--lang", "ko", "--duration", "8", "--profile", "preview",
        *[arg for pair in details for arg in ("--business", pair)],
        "--out", str(business_reel),
    )  # fmt: skip
    call_command(
        "makereel", "rainy day bookshop", "--lang", "en", "--duration", "15",
        "--profile", "preview", "--out", str(plain_reel),
    )  # fmt: skip

    for reel, target_s in ((business_reel, 8), (plain_reel, 15)):
        info = probe(reel)
        assert abs(info.duration_s - target_s) <= 0.5
        assert abs(info.audio_duration_s - info.video_duration_s) <= 0.05
    story = Story.objects.get(language="ko")
    assert story.preview.duration_ms == pytest.approx(8000, abs=34)
    last = _last_frame(business_reel, tmp_path / "last.png")
    drawn = tmp_path / "card.png"
    draw_end_card(end_card_for(story), width=540, height=960, out_path=drawn, watermark=True)
    card = np.asarray(Image.open(drawn).convert("L"), dtype=np.int16)
    assert np.abs(last - card).mean() < 4  # the reel ends on the card as drawn
    plain_last = _last_frame(plain_reel, tmp_path / "plain.png")
    assert np.abs(last - plain_last).mean() > 5
