"""A render's options: quality (x264 preset and CRF), captions on or off, the watermark."""

from pathlib import Path

import pytest

from render import runner, scene_clips, still_frames
from render.cache import scene_render_key
from render.captions import CaptionStyle
from render.clip_commands import image_scene_cmd
from render.probe import probe
from render.profiles import BRAND_WATERMARK, profile_for, with_options
from render.scene_clips import SceneClipSpec, render_scene_clip
from tests.scenes.render_fixtures import make_still, timed_words


def test_standard_keeps_todays_settings_and_the_others_change_x264():
    for name in ("preview", "final"):
        today = profile_for(name, "9:16")
        assert with_options(today) == today
        draft = with_options(today, quality="draft")
        high = with_options(today, quality="high")
        assert draft.crf > today.crf > high.crf
        assert (draft.width, high.width) == (today.width, today.width)
    assert with_options(profile_for("final"), quality="high").preset == "medium"


def test_an_unknown_quality_is_refused():
    with pytest.raises(ValueError, match="ultra"):
        with_options(profile_for("final"), quality="ultra")


def test_a_watermarked_final_carries_the_brand_and_a_preview_may_go_without(tmp_path):
    final = with_options(profile_for("final"), watermark=True)
    bare_preview = with_options(profile_for("preview"), watermark=False)

    def command(profile) -> str:
        return " ".join(
            image_scene_cmd(
                picture_url="pipe:3",
                ass_path=None,
                out_path=tmp_path / "out.mp4",
                profile=profile,
                encoder="libx264",
                duration_ms=2000,
                fonts_dir=tmp_path,
                font_file=tmp_path / "font.otf",
            )
        )

    assert f"text={BRAND_WATERMARK}" in command(final)
    assert "drawtext" not in command(profile_for("final"))
    assert "text=PREVIEW" in command(profile_for("preview"))
    assert "drawtext" not in command(bare_preview)


def test_every_option_changes_the_clip_key():
    base = profile_for("preview")
    variants = [
        base,
        with_options(base, quality="draft"),
        with_options(base, include_captions=False),
        with_options(base, watermark=False),
    ]

    keys = {
        scene_render_key(
            index=0,
            narration_text="hi",
            words=(),
            visual_sha256="abc",
            visual_kind="image",
            duration_ms=1000,
            style="modern",
            caption_style=CaptionStyle(),
            profile=profile,
            encoder="libx264",
        )
        for profile in variants
    }

    assert len(keys) == len(variants)


@pytest.mark.slow
def test_a_draft_clip_without_captions_or_watermark_renders_at_preview_size(tmp_path, monkeypatch):
    commands: list[list[str]] = []
    real = runner.run_to_file

    def recording(build, out_path: Path, **kwargs):
        def kept(tmp_out: Path) -> list[str]:
            commands.append(build(tmp_out))
            return commands[-1]

        return real(kept, out_path, **kwargs)

    monkeypatch.setattr(scene_clips.runner, "run_to_file", recording)
    # A still's text is drawn with its frames (render.text_layer), not by an FFmpeg filter.
    drawn: list[str] = []
    real_layer = still_frames.text_layer

    def layer(text: str, **kwargs):
        drawn.append(text)
        return real_layer(text, **kwargs)

    monkeypatch.setattr(still_frames, "text_layer", layer)
    spec = SceneClipSpec(
        index=0,
        visual_path=make_still(tmp_path / "still.png", seed=1),
        visual_kind="image",
        duration_ms=1500,
        words=timed_words("coffee wakes the city"),
        language="en",
    )
    profile = with_options(
        profile_for("preview"), quality="draft", include_captions=False, watermark=False
    )

    out = render_scene_clip(
        spec, out_path=tmp_path / "clip.mp4", profile=profile, encoder="libx264"
    )

    info = probe(out)
    assert (info.width, info.height, info.video_codec) == (540, 960, "h264")
    assert info.video_duration_s == pytest.approx(1.5, abs=0.05)
    line = " ".join(commands[-1])
    assert "ass=" not in line
    assert "drawtext" not in line
    assert drawn == []
    assert "-crf 30" in line
    with_captions = render_scene_clip(
        spec, out_path=tmp_path / "captioned.mp4", profile=profile_for("preview"), encoder="libx264"
    )
    assert with_captions.stat().st_size > 0
    assert len(drawn) == 1
    assert all(f"{{\\c&H0000D4FF}}{word}" in drawn[0] for word in ("coffee", "city"))
