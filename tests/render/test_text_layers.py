"""Rendered text in every aspect: the headline and captions are a layer over the moving
picture, drawn where render.layout says and never outside the title-safe area."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from providers.visual.artwork import ArtworkProvider
from render import layout, still_frames
from render.caption_styles import PRESETS, caption_style
from render.captions import build_ass, caption_blocks, headline_block
from render.fonts import font_path
from render.profiles import FINAL_SIZES, RenderProfile, profile_for
from render.scene_clips import SceneClipSpec, render_scene_clip, text_layout_checks
from render.text_layer import text_layer
from render.types import WordTiming

pytestmark = pytest.mark.slow  # real FFmpeg and libass runs; no database

HEADLINE = "Your coffee ritual, made for you"
NARRATION = "Every morning starts with a small coffee ritual"
LONG_EN = "Your slow Sunday morning coffee ritual, hand-made for you and everyone you love"
LONG_KO = "성수동 골목 끝에서 만나는 우리 동네 가장 따뜻한 아침 커피 한 잔의 여유와 행복"
SCENE_MS = 1500
LIT = 24  # a pixel brighter than this on black is ink


def _words(text: str, step_ms: int = 250) -> tuple[WordTiming, ...]:
    return tuple(
        WordTiming(w, 100 + i * step_ms, 100 + (i + 1) * step_ms - 30)
        for i, w in enumerate(text.split())
    )


def _gray_frame(video: Path, at_s: float, profile: RenderProfile) -> np.ndarray:
    raw = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-ss",
            f"{at_s:.3f}",
            "-i",
            str(video),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(profile.height, profile.width).astype(np.int16)


def _fonts(tmp_path: Path) -> Path:
    fonts = tmp_path / "fonts"
    fonts.mkdir(exist_ok=True)
    for face in {font_path(bold=True), font_path(bold=False)}:
        if not (fonts / face.name).exists():
            (fonts / face.name).symlink_to(face)
    return fonts


def _text_on_black(tmp_path: Path, ass: str, width: int, height: int, at_s: float) -> np.ndarray:
    """The text layer alone: the ASS drawn over black, one frame `at_s` seconds in."""
    path = tmp_path / "layer.ass"
    path.write_text(ass, encoding="utf-8")
    raw = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"color=c=black:s={width}x{height}:r=20:d={at_s + 0.2:.2f}",
            "-vf",
            f"ass={path}:fontsdir={_fonts(tmp_path)}",
            "-ss",
            f"{at_s:.3f}",
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width)


def _mask(box: layout.Box, shape: tuple[int, int], grow: int = 0) -> np.ndarray:
    mask = np.zeros(shape, bool)
    mask[max(0, box.top - grow) : box.bottom + grow, max(0, box.left - grow) : box.right + grow] = (
        True
    )
    return mask


@pytest.fixture(scope="module")
def artwork(tmp_path_factory):
    """Offline artwork per aspect, at its final size as the pipeline asks for it."""
    folder = tmp_path_factory.mktemp("art")
    return {
        aspect: [
            ArtworkProvider()
            .make(
                prompt="morning coffee ritual",
                key_phrase=HEADLINE,
                style="modern",
                language="en",
                index=i,
                width=w,
                height=h,
                out_path=folder / f"{aspect.replace(':', 'x')}-{i}",
            )
            .path
            for i in range(2)
        ]
        for aspect, (w, h) in FINAL_SIZES.items()
    }


@pytest.mark.parametrize(("name", "scenes"), [("preview", 2), ("final", 1)])
@pytest.mark.parametrize("aspect", sorted(FINAL_SIZES))
def test_captions_are_drawn_where_a_word_is_spoken_and_nowhere_else(
    tmp_path, artwork, aspect, name, scenes
):
    # Preview renders two scenes (two different motions); final one short scene, for CPU.
    profile = profile_for(name, aspect)
    words = _words(NARRATION)
    for index, image in enumerate(artwork[aspect][:scenes]):
        spec = SceneClipSpec(
            index=index,
            visual_path=image,
            visual_kind="image",
            duration_ms=SCENE_MS if name == "preview" else 1200,
            words=words,
            headline=HEADLINE,
        )
        bare = SceneClipSpec(**{**spec.__dict__, "words": ()})
        clips = {}
        for name, s in (("captioned", spec), ("bare", bare)):
            clips[name] = render_scene_clip(
                s, out_path=tmp_path / f"{index}-{name}.mp4", profile=profile, encoder="libx264"
            )
        # A moment the third word is spoken, past the fade-in at the start of the scene.
        at_s = (words[2].start_ms + 60) / 1000
        pages = caption_blocks(
            words=words, width=profile.width, height=profile.height, duration_ms=spec.duration_ms
        )
        page = next(b for b in pages if words[2].text in " ".join(b.lines).split())

        diff = np.abs(
            _gray_frame(clips["captioned"], at_s, profile)
            - _gray_frame(clips["bare"], at_s, profile)
        )

        inside = diff[_mask(page.box, diff.shape)]
        outside = diff[~_mask(page.box, diff.shape, grow=16)]  # one macroblock of slack
        assert (inside > 48).mean() > 0.05, f"scene {index}: no caption in its box"
        assert (outside > 48).mean() < 0.002, f"scene {index}: caption pixels outside its box"
        assert [r[1] for r in text_layout_checks([spec], profile)] == ["PASS"]


@pytest.mark.parametrize("name", ["preview", "final"])
@pytest.mark.parametrize("aspect", sorted(FINAL_SIZES))
def test_hook_frame_headline_is_whole_and_inside_the_safe_area(tmp_path, aspect, name):
    profile = profile_for(name, aspect)
    w, h = profile.width, profile.height
    safe = layout.safe_area(w, h)

    layer = _text_on_black(
        tmp_path,
        build_ass(words=(), width=w, height=h, duration_ms=1000, headline=HEADLINE),
        w,
        h,
        0.0,
    )

    block = headline_block(HEADLINE, w, h)
    assert block is not None
    lit = layer > LIT
    rows, cols = np.nonzero(lit)
    assert lit.sum() > 0.002 * w * h  # the headline is drawn
    # No lit pixel touches the safe area's border, let alone the frame's edge...
    assert safe.left < cols.min()
    assert cols.max() < safe.right - 1
    assert safe.top < rows.min()
    assert rows.max() < safe.bottom - 1
    # ...and the ink is where the layout measured it (libass and Pillow agree on the font).
    assert not lit[~_mask(block.box, lit.shape, grow=2)].any()
    assert cols.max() - cols.min() > 0.8 * (block.box.width - 2 * block.pad)


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("aspect", sorted(FINAL_SIZES))
@pytest.mark.parametrize("text", [LONG_EN, LONG_KO])
def test_long_text_wraps_or_shrinks_rather_than_leaving_its_box(tmp_path, aspect, preset, text):
    profile = profile_for("preview", aspect)
    w, h = profile.width, profile.height
    style = caption_style(preset)
    words = _words(text, step_ms=120)
    head = headline_block(text, w, h, style)
    pages = caption_blocks(words=words, width=w, height=h, duration_ms=10_000, style=style)
    at_s = (words[1].start_ms + 30) / 1000

    layer = _text_on_black(
        tmp_path,
        build_ass(words=words, width=w, height=h, duration_ms=10_000, style=style, headline=text),
        w,
        h,
        at_s,
    )

    assert head is not None
    lit = layer > LIT
    allowed = _mask(head.box, lit.shape, grow=2) | _mask(pages[0].box, lit.shape, grow=2)
    assert lit[_mask(pages[0].box, lit.shape)].sum() > 50  # the first page is showing
    assert not lit[~allowed].any(), "ink outside the measured text boxes"
    assert layout.safe_area(w, h).contains(head.box)
    assert layout.safe_area(w, h).contains(pages[0].box)


def _raw_frames(image: Path, profile: RenderProfile, frames: int) -> np.ndarray:
    """`frames` different pictures (the artwork sliding a pixel a frame), raw yuv420p."""
    w, h = profile.width, profile.height
    raw = subprocess.run(
        [
            *("ffmpeg", "-nostdin", "-v", "error", "-loop", "1", "-i", str(image)),
            *("-vf", f"scale={w + frames}:{h},crop={w}:{h}:n:0,format=yuv420p"),
            *("-frames:v", str(frames), "-f", "rawvideo", "-"),
        ],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(frames, w * h * 3 // 2).copy()


@pytest.mark.parametrize(
    ("preset", "narration", "headline"),
    [
        ("classic", NARRATION, HEADLINE),
        ("karaoke", LONG_KO, "성수동 브런치 카페"),
        ("minimal", LONG_EN, ""),
    ],
)
def test_a_stills_text_drawn_in_python_is_what_ffmpegs_ass_filter_draws(
    tmp_path, artwork, preset, narration, headline
):
    # Still scenes draw their text with their frames (render.text_layer); video scenes keep
    # FFmpeg's ass filter. Every frame of both, over the same pictures, must agree.
    profile = profile_for("preview")
    w, h, frames = profile.width, profile.height, 45
    ass = build_ass(
        words=_words(narration, step_ms=90),
        width=w,
        height=h,
        duration_ms=frames * 1000 // profile.fps,
        style=caption_style(preset),
        headline=headline,
    )
    pictures = _raw_frames(artwork["9:16"][0], profile, frames)
    (tmp_path / "scene.ass").write_text(ass, encoding="utf-8")
    by_ffmpeg = subprocess.run(
        [
            *("ffmpeg", "-nostdin", "-v", "error", "-f", "rawvideo", "-pix_fmt", "yuv420p"),
            *("-video_size", f"{w}x{h}", "-framerate", str(profile.fps), "-i", "-"),
            "-vf",
            f"settb=1/{profile.fps},setpts=N/({profile.fps}*TB),"
            f"ass={tmp_path / 'scene.ass'}:fontsdir={_fonts(tmp_path)}",
            *("-f", "rawvideo", "-"),
        ],
        input=pictures.tobytes(),
        check=True,
        capture_output=True,
    ).stdout

    layer = text_layer(ass, width=w, height=h, fps=profile.fps, frames=frames)
    drawn = pictures.copy()
    for n in range(frames):
        layer.draw(still_frames.frame_planes(drawn[n], w, h), n)

    expected = np.frombuffer(by_ffmpeg, np.uint8).reshape(frames, -1).astype(np.int16)
    diff = np.abs(drawn.astype(np.int16) - expected)
    assert (drawn != pictures).any(axis=1)[4:].all()  # text on every frame once words start
    assert len(layer.states) > 5  # the highlight moved from word to word
    assert diff.max() <= 3
    assert diff.mean() < 0.02
