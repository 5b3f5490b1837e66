"""The end card: Korean and English text inside the title-safe area, and a clip that joins the
scene clips by stream copy and is what the reel ends on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from render.assembly import assemble_reel
from render.end_card import EndCard, draw_end_card, render_end_card, safe_box
from render.motion import LeadIn, lead_in_frames
from render.probe import probe
from render.profiles import profile_for
from render.scene_clips import SceneClipSpec, render_scene_clip
from tests.scenes.render_fixtures import make_music, make_still, make_tone, timed_words

LONG_KO = EndCard(
    headline="성수동 수제 베이커리 카페 어니언 본점",
    lines=(
        "평일 오전 11시 전 아메리카노 1+1, 크루아상 20% 할인",
        "서울특별시 성동구 성수이로 아주 긴 주소 123-45",
        "@cafe_onion_official · 02-1234-5678",
    ),
    style="food",
)

LAST_FRAME = ("ffmpeg", "-v", "error", "-y", "-sseof", "-0.1")


def _pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"), dtype=np.int16)


@pytest.mark.parametrize("aspect", ["9:16", "16:9", "1:1"])
def test_long_korean_details_are_drawn_inside_the_title_safe_area(tmp_path, aspect):
    preview = profile_for("preview", aspect)
    out = tmp_path / "card.png"

    left, top, right, bottom = draw_end_card(
        LONG_KO, width=preview.width, height=preview.height, out_path=out
    )

    safe = safe_box(preview.width, preview.height)
    assert safe[0] <= left < right <= safe[2]
    assert safe[1] <= top < bottom <= safe[3]
    pixels = _pixels(out)
    assert pixels.shape == (preview.height, preview.width)
    # Text was drawn: the box holds bright glyphs on the dark card, the margins do not.
    inside = pixels[top:bottom, left:right]
    assert (inside > 200).mean() > 0.02
    assert (pixels[:, : safe[0]] > 200).mean() == 0


def test_business_and_title_cards_differ(tmp_path):
    business = draw_end_card(LONG_KO, width=540, height=960, out_path=tmp_path / "a.png")
    title = EndCard(headline="Rainy day bookshop", lines=("Save this and follow for more",))
    plain = draw_end_card(title, width=540, height=960, out_path=tmp_path / "b.png")

    assert business != plain
    assert np.abs(_pixels(tmp_path / "a.png") - _pixels(tmp_path / "b.png")).mean() > 5


@pytest.mark.slow
def test_a_reel_closing_on_the_card_joins_by_stream_copy_and_ends_on_the_card(tmp_path):
    preview = profile_for("preview", "9:16")
    scene = SceneClipSpec(
        index=0,
        visual_path=make_still(tmp_path / "a.png", seed=1),
        visual_kind="image",
        duration_ms=1500,
        words=timed_words("안녕하세요 반가워요"),
        narration_audio_path=make_tone(tmp_path / "n.wav", seconds=1.2, freq=320),
    )
    clip = render_scene_clip(scene, out_path=tmp_path / "s.mp4", profile=preview, encoder="libx264")
    card = render_end_card(
        LONG_KO,
        out_path=tmp_path / "card.mp4",
        profile=preview,
        encoder="libx264",
        duration_ms=1500,
    )

    reel = assemble_reel(
        clips=[clip, card],
        narration_paths=[scene.narration_audio_path, None],
        scene_durations_ms=[1500, 1500],
        music_path=make_music(tmp_path / "m.wav", seconds=4),
        out_path=tmp_path / "reel.mp4",
        profile=preview,
    )

    info = probe(reel)
    assert abs(info.duration_s - 3.0) <= 0.05
    assert (info.width, info.height, info.fps, info.video_profile) == (540, 960, 30, "High")
    last = tmp_path / "last.png"
    subprocess.run(
        [*LAST_FRAME, "-i", str(reel), "-frames:v", "1", "-update", "1", str(last)],
        check=True,
    )
    drawn = tmp_path / "drawn.png"
    draw_end_card(LONG_KO, width=540, height=960, out_path=drawn, watermark=True)
    # The last frame is the card as drawn (x264 at preview quality changes it only a little).
    assert np.abs(_pixels(last) - _pixels(drawn)).mean() < 4


@pytest.mark.slow
def test_the_card_dissolves_in_from_the_last_scenes_picture(tmp_path):
    preview = profile_for("preview", "9:16")
    dark = tmp_path / "dark.png"
    Image.new("RGB", (540, 960), (12, 12, 12)).save(dark)
    lead_in = LeadIn(index=2, visual_path=dark, visual_kind="image", duration_ms=2000)

    card = render_end_card(
        LONG_KO,
        out_path=tmp_path / "card.mp4",
        profile=preview,
        encoder="libx264",
        duration_ms=1500,
        lead_in=lead_in,
    )

    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(card), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, 960, 540).astype(float)
    levels = frames.mean(axis=(1, 2))
    fade = lead_in_frames(len(frames), preview.fps)
    drawn = tmp_path / "drawn.png"
    draw_end_card(LONG_KO, width=540, height=960, out_path=drawn, watermark=True)

    assert len(frames) == 45
    # It opens on the last scene's picture, not on the card cut in hard, nor on black...
    assert levels[0] == pytest.approx(12, abs=4)
    # ...and the card's background comes up over it steadily, then holds.
    assert np.all(np.diff(levels[: fade + 1]) > 0)
    assert levels[fade] > levels[0] + 15
    assert np.abs(frames[-1] - _pixels(drawn)).mean() < 4


def test_a_9_16_card_is_readable_on_a_phone(tmp_path):
    card = EndCard(
        headline="Cafe Onion", lines=("2-for-1 lattes before 11", "Seongsu, Seoul", "@cafe_onion")
    )

    left, top, right, bottom = draw_end_card(
        card, width=540, height=960, out_path=tmp_path / "c.png"
    )

    # The details are not a footnote: with the headline they fill most of the safe width
    # and over a quarter of the frame's height.
    safe_left, _, safe_right, _ = safe_box(540, 960)
    assert right - left > 0.9 * (safe_right - safe_left)
    assert bottom - top > 0.26 * 960
