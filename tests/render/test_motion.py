"""The picture's motion and the dissolves between scenes, measured on rendered preview clips."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from render import motion, scene_clips
from render.profiles import FINAL_PRESET, profile_for

pytestmark = pytest.mark.slow  # real FFmpeg runs; no database
# Preview size, near-lossless: these tests measure the motion the filters make, not x264's
# rate control (on a featureless striped still, the preview's ultrafast encoder stores a slow
# drift as held frames and catch-up jumps, and veryfast's macroblock tree holds a clip's last
# two frames; on the product's artwork neither shows). No watermark: a still overlay would
# pull every motion estimate towards zero.
PREVIEW = dataclasses.replace(
    profile_for("preview", "9:16"), watermark=False, preset=FINAL_PRESET, crf=1, x264_params=""
)
# A preview moves at half the final's speed in its own pixels (the same framing).
PREVIEW_STEP = float(motion.SPEED) / 2


def _grating(path: Path) -> Path:
    """Smooth stripes along both axes: their phase gives a sub-pixel position."""
    yy, xx = np.mgrid[0:1280, 0:720]
    image = 128 + 60 * np.sin(2 * np.pi * xx / 41.0) + 60 * np.sin(2 * np.pi * yy / 59.0)
    Image.fromarray(image.astype(np.uint8)).convert("RGB").save(path)
    return path


def _flat(path: Path, level: int) -> Path:
    Image.new("RGB", (720, 1280), (level, level, level)).save(path)
    return path


def _frames(path: Path) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, PREVIEW.height, PREVIEW.width).astype(float)


def _steps(frames: np.ndarray, axis: str) -> np.ndarray:
    """How far the picture moves between consecutive frames along `axis`, in pixels, from
    the phase of the grating's stripes (a windowed DFT of the frame's mean profile)."""
    profile = frames.mean(axis=1 if axis == "x" else 2)
    profile = (profile - profile.mean(axis=1, keepdims=True)) * np.hanning(profile.shape[1])
    spectrum = np.fft.rfft(profile, axis=1)
    k = int(np.argmax(np.abs(spectrum[0, 1:]))) + 1
    phase = np.unwrap(np.angle(spectrum[:, k]))
    return np.diff(phase) * profile.shape[1] / (2 * np.pi * k)


def _render(tmp_path: Path, name: str, profile=PREVIEW, **spec) -> np.ndarray:
    clip = scene_clips.render_scene_clip(
        scene_clips.SceneClipSpec(**spec),
        out_path=tmp_path / f"{name}.mp4",
        profile=profile,
        encoder="libx264",
    )
    return _frames(clip)


@pytest.mark.parametrize(("index", "axis"), [(0, "x"), (1, "y")])
def test_the_drift_moves_every_frame_by_the_same_sub_pixel_step(tmp_path, index, axis):
    frames = _render(
        tmp_path,
        "drift",
        index=index,
        visual_path=_grating(tmp_path / "g.png"),
        visual_kind="image",
        duration_ms=1000,
    )
    steps = np.abs(_steps(frames, axis))
    across = np.abs(_steps(frames, "y" if axis == "x" else "x"))
    # The centre moves PREVIEW_STEP base pixels a frame, shown at the frame's zoom.
    expected = PREVIEW_STEP * _zooms(index, 30)[1:]

    assert len(frames) == 30
    # Whole-pixel stepping would show as steps of 0 and 1; a sub-pixel pan moves every frame.
    assert np.all(steps > 0.8 * expected)
    assert np.all(steps < 1.2 * expected)
    assert steps.max() - steps.min() < 0.1
    # Across the pan the zoom is centred: the middle of the frame stays put.
    assert across.max() < 0.05


def _zooms(index: int, frames: int) -> np.ndarray:
    views = motion.views(index=index, profile=PREVIEW, frames=frames, first=0, count=frames)
    return np.array([v.zoom for v in views])


def test_the_picture_zooms_in_smoothly_by_a_fraction_of_a_pixel_a_frame(tmp_path):
    # Scene 1 pans vertically, so across (x) the picture only grows about the frame's middle.
    frames = _render(
        tmp_path,
        "zoom",
        index=1,
        visual_path=_grating(tmp_path / "g.png"),
        visual_kind="image",
        duration_ms=1000,
    )
    band = 160
    left = _steps(frames[:, :, :band], "x")
    right = _steps(frames[:, :, -band:], "x")
    # The two bands' centres are this far apart; zooming by dz moves them apart by that * dz.
    apart = PREVIEW.width - band
    zooms = _zooms(1, 30)
    expected = apart * np.diff(zooms) / zooms[1:]
    growth = left - right  # _steps counts a move to the left as positive

    # Every frame the picture grows by a fraction of a pixel: no frame without growth, none
    # shrinking and no whole-pixel jumps (zoompan's 0, 0, 1 steps). The landing of a frame's
    # edges is measured through x264 and the stripes' phase, hence the margin.
    assert np.all(growth > 0.5 * expected)
    assert np.all(growth < 2 * expected)
    assert expected.max() < 0.3
    # Over the clip the stripes' spacing grows with the zoom (a feature gets bigger).
    assert growth.sum() == pytest.approx(apart * (zooms[-1] / zooms[0] - 1), rel=0.2)


def test_the_previous_scene_keeps_drifting_through_the_dissolve(tmp_path):
    grating = _grating(tmp_path / "g.png")
    previous = _render(
        tmp_path, "a", index=0, visual_path=grating, visual_kind="image", duration_ms=1000
    )
    lead_in = motion.LeadIn(index=0, visual_path=grating, visual_kind="image", duration_ms=1000)
    following = _render(
        tmp_path,
        "b",
        index=1,
        visual_path=_flat(tmp_path / "f.png", 128),
        visual_kind="image",
        duration_ms=1000,
        lead_in=lead_in,
    )

    steps = _steps(np.concatenate([previous[-4:], following[:1]]), "x")

    # The first frame of the next clip is the previous picture one more step on: no jump, no
    # held frame at the cut.
    assert steps[-1] == pytest.approx(steps[:-1].mean(), abs=0.05)
    assert abs(steps[-1]) > 0.8 * PREVIEW_STEP


def test_scenes_dissolve_into_each_other_instead_of_dipping_to_black(tmp_path):
    dark, light = _flat(tmp_path / "dark.png", 60), _flat(tmp_path / "light.png", 200)
    first = _render(tmp_path, "a", index=0, visual_path=dark, visual_kind="image", duration_ms=1000)
    lead_in = motion.LeadIn(index=0, visual_path=dark, visual_kind="image", duration_ms=1000)
    second = _render(
        tmp_path,
        "b",
        index=1,
        visual_path=light,
        visual_kind="image",
        duration_ms=1000,
        lead_in=lead_in,
    )
    first_levels, levels = first.mean(axis=(1, 2)), second.mean(axis=(1, 2))
    fade = motion.lead_in_frames(30, PREVIEW.fps)

    assert len(second) == 30
    assert first_levels.min() > 55  # no fade from or to black in the first scene either
    assert levels[0] == pytest.approx(first_levels[-1], abs=4)
    assert np.all(np.diff(levels[: fade + 1]) > 0)  # a steady dissolve, never back down
    assert levels[fade // 2] == pytest.approx(130, abs=20)
    assert np.all(np.abs(levels[fade:] - levels[-1]) < 2)
    assert levels[-1] == pytest.approx(200, abs=4)


def test_a_video_scene_dissolves_from_the_picture_before_it(tmp_path):
    clip = tmp_path / "c.mp4"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=s=320x240:r=25:d=1.2"),
            *("-pix_fmt", "yuv420p", str(clip)),
        ],
        check=True,
    )
    dark = _flat(tmp_path / "dark.png", 30)
    lead_in = motion.LeadIn(index=0, visual_path=dark, visual_kind="image", duration_ms=1000)

    plain = _render(tmp_path, "a", index=1, visual_path=clip, visual_kind="video", duration_ms=900)
    faded = _render(
        tmp_path,
        "b",
        index=1,
        visual_path=clip,
        visual_kind="video",
        duration_ms=900,
        lead_in=lead_in,
    )
    fade = motion.lead_in_frames(27, PREVIEW.fps)

    assert len(faded) == len(plain) == 27
    assert faded[0].mean() == pytest.approx(30, abs=4)
    assert np.abs(faded[fade:] - plain[fade:]).mean() < 2


def test_a_dissolve_never_takes_more_than_half_of_its_scene():
    assert motion.lead_in_frames(90, 30) == round(motion.TRANSITION_S * 30)
    assert motion.lead_in_frames(8, 30) == 4


def test_a_motion_ends_the_same_however_long_its_scene():
    short, long = (
        motion.views(index=0, profile=PREVIEW, frames=f, first=f, count=13) for f in (45, 120)
    )

    # The continuation after the last frame (the next scene's dissolve) is the same views.
    assert short == long
    assert short[0] != short[-1]  # and it moves


def test_with_lead_ins_links_each_scene_to_the_one_before():
    specs = [
        scene_clips.SceneClipSpec(
            index=i, visual_path=Path(f"{i}.png"), visual_kind="image", duration_ms=1000 + i
        )
        for i in range(3)
    ]

    linked = scene_clips.with_lead_ins(specs)

    assert linked[0].lead_in is None
    assert linked[2].lead_in == motion.LeadIn(
        index=1, visual_path=Path("1.png"), visual_kind="image", duration_ms=1001
    )
    assert [s.duration_ms for s in linked] == [s.duration_ms for s in specs]


def _colour_grating(path: Path) -> Path:
    """Stripes of colour over a flat grey, so the chroma planes carry their own picture."""
    yy, xx = np.mgrid[0:1280, 0:720]
    wave = 60 * np.sin(2 * np.pi * xx / 41.0) + 60 * np.sin(2 * np.pi * yy / 59.0)
    rgb = np.stack([128 + wave, 128 + 0 * wave, 128 - wave], axis=-1)
    Image.fromarray(rgb.astype(np.uint8)).save(path)
    return path


def _chroma(path: Path) -> np.ndarray:
    """The U chroma plane of every frame, as floats."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"],
        capture_output=True,
        check=True,
    ).stdout
    w, h = PREVIEW.width, PREVIEW.height
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h * w * 3 // 2).astype(float)
    return frames[:, w * h : w * h + (w // 2) * (h // 2)].reshape(-1, h // 2, w // 2)


@pytest.mark.parametrize(("index", "axis"), [(0, "x"), (1, "y")])
def test_colour_moves_with_the_picture_by_the_same_sub_pixel_step(tmp_path, index, axis):
    # Each plane is warped on its own (render.still_frames): the colour must move as
    # the picture does (half as many of its own half-size pixels), every frame, no steps.
    clip = scene_clips.render_scene_clip(
        scene_clips.SceneClipSpec(
            index=index,
            visual_path=_colour_grating(tmp_path / "c.png"),
            visual_kind="image",
            duration_ms=1000,
        ),
        out_path=tmp_path / "c.mp4",
        profile=PREVIEW,
        encoder="libx264",
    )
    steps = np.abs(_steps(_chroma(clip), axis)) * 2  # in luma pixels
    expected = PREVIEW_STEP * _zooms(index, 30)[1:]

    # A chroma cut lands within ~0.05 of its own (two-luma-pixel) sample, so its steps vary
    # more than luma's; whole-sample stepping would show as steps of 0 and 2.
    assert np.all(steps > 0.5 * expected)
    assert np.all(steps < 1.5 * expected)
    assert steps.max() - steps.min() < 0.25
    assert steps.mean() == pytest.approx(expected.mean(), rel=0.1)
