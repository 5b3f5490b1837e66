"""The optional visible AI label: "AI 생성" / "AI generated", drawn by the text layer inside
the title-safe area, clear of the headline, and switched on per render or by settings."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image

from render import layout
from render.profiles import profile_for, with_options
from render.scene_clips import SceneClipSpec, render_scene_clip, text_layout_checks
from scenes.services.render_settings import story_profile
from tests.factories import StoryFactory
from tests.scenes.render_fixtures import timed_words


@pytest.mark.parametrize("aspect", ["9:16", "16:9", "1:1"])
@pytest.mark.parametrize("name", ["preview", "final"])
@pytest.mark.parametrize("text", ["AI 생성", "AI generated"])
def test_the_label_lies_in_the_safe_area_below_the_headline(aspect, name, text):
    profile = profile_for(name, aspect)

    block = layout.ai_label_block(text, profile.width, profile.height)

    assert layout.safe_area(profile.width, profile.height).contains(block.box)
    assert block.box.top >= layout.headline_area(profile.width, profile.height).bottom
    assert block.box.width < profile.width / 2


@pytest.mark.django_db
def test_the_story_option_picks_the_label_in_the_storys_language(settings):
    settings.AI_LABEL_DEFAULT = False
    korean = StoryFactory(language="ko")
    english = StoryFactory(language="en")

    assert story_profile(korean, "final", {"ai_label": True}).ai_label == "AI 생성"
    assert story_profile(english, "final", {"ai_label": True}).ai_label == "AI generated"
    assert story_profile(korean, "final", {}).ai_label == ""
    settings.AI_LABEL_DEFAULT = True
    assert story_profile(korean, "preview", {}).ai_label == "AI 생성"
    assert story_profile(korean, "preview", {"ai_label": False}).ai_label == ""


def _gray(path, size):
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"color=c=gray:s={size}", "-frames:v", "1",
         str(path)],
        check=True,
    )  # fmt: skip
    return path


def _frame(clip, out):
    subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", "0.5", "-i", str(clip), "-frames:v", "1", str(out)],
        check=True,
    )  # fmt: skip
    return Image.open(out).convert("L")


@pytest.mark.slow
def test_a_labelled_clip_shows_the_label_where_the_layout_put_it(tmp_path):
    spec = SceneClipSpec(
        index=0,
        visual_path=_gray(tmp_path / "gray.png", "540x960"),
        visual_kind="image",
        duration_ms=1000,
        words=timed_words("안녕"),
        language="ko",
    )
    plain = with_options(profile_for("preview"), include_captions=False, watermark=False)
    labelled = with_options(plain, ai_label="AI 생성")

    bare = render_scene_clip(spec, out_path=tmp_path / "bare.mp4", profile=plain, encoder="libx264")
    shown = render_scene_clip(
        spec, out_path=tmp_path / "label.mp4", profile=labelled, encoder="libx264"
    )

    box = layout.ai_label_block("AI 생성", 540, 960).box
    crop = (box.left, box.top, box.right, box.bottom)
    before = _frame(bare, tmp_path / "bare.png").crop(crop)
    after = _frame(shown, tmp_path / "label.png").crop(crop)
    # Gray everywhere without the label; a dark box with white text with it.
    assert min(before.getdata()) > 100
    assert min(after.getdata()) < 60
    assert max(after.getdata()) > 200
    outside = _frame(shown, tmp_path / "label2.png").crop((300, 500, 400, 600))
    assert min(outside.getdata()) > 100
    [check] = text_layout_checks([spec], labelled)
    assert check[1] == "PASS"
