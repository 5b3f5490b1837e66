"""Render tests: real FFmpeg runs at preview size, checked with ffprobe, ebur128 and media QC."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from collections import Counter, OrderedDict
from pathlib import Path

import pytest

from render import assembly, cache, encoder, runner, scene_clips, still_frames
from render.caption_styles import caption_style
from render.captions import CaptionStyle
from render.probe import check_output, probe
from render.profiles import profile_for
from render.qc import Expect, run_qc
from render.reel import render_reel
from render.runner import RenderCanceled, RenderError
from tests.scenes.render_fixtures import (
    make_clip,
    make_music,
    make_still,
    make_tone,
    timed_words,
)

pytestmark = pytest.mark.slow  # real FFmpeg runs; no database
PREVIEW = profile_for("preview", "9:16")
SCENE_MS = 2000


def _specs(media: Path) -> list[scene_clips.SceneClipSpec]:
    texts = ["오늘은 한국어 자막을 만들어요", "Hello there, this is scene two", "마지막 장면입니다"]
    visuals = [
        (make_still(media / "a.png", seed=0), "image"),
        (make_clip(media / "c.mp4", seconds=1.2), "video"),
        (make_still(media / "b.png", seed=2), "image"),
    ]
    return scene_clips.with_lead_ins(
        scene_clips.SceneClipSpec(
            index=i,
            visual_path=path,
            visual_kind=kind,
            duration_ms=SCENE_MS,
            words=timed_words(text),
            narration_audio_path=make_tone(media / f"n{i}.wav", seconds=1.6, freq=300 + 60 * i),
        )
        for i, (text, (path, kind)) in enumerate(zip(texts, visuals, strict=True))
    )


@pytest.fixture(scope="module")
def reel(tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    specs = _specs(media)
    music = make_music(media / "music.wav", seconds=2.5)
    clips = [media / f"clip{i}.mp4" for i in range(len(specs))]
    calls = []
    original = runner.run_ffmpeg

    def counting(argv, **kwargs):
        calls.append(kwargs["step"])
        return original(argv, **kwargs)

    runner.run_ffmpeg = counting
    try:
        out = render_reel(
            specs,
            clip_paths=clips,
            music_path=music,
            out_path=media / "reel.mp4",
            profile=PREVIEW,
            encoder="libx264",
            workers=2,
        )
    finally:
        runner.run_ffmpeg = original
    return {"path": out, "specs": specs, "clips": clips, "music": music, "calls": calls}


def _ebur128(path: Path) -> tuple[float, float]:
    done = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-i",
            str(path),
            "-map",
            "0:a",
            "-af",
            "ebur128=peak=true:framelog=verbose",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    integrated = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", done.stderr)[-1])
    peak = float(re.findall(r"Peak:\s+(-?[\d.]+) dBFS", done.stderr)[-1])
    return integrated, peak


def _top_level_boxes(path: Path) -> list[str]:
    data, boxes, at = path.read_bytes(), [], 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        boxes.append(data[at + 4 : at + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[at + 8 : at + 16], "big")
        if size < 8:
            break
        at += size
    return boxes


def test_assembled_reel_has_the_promised_format(reel):
    info = probe(reel["path"])

    assert (info.video_codec, info.width, info.height, info.pix_fmt) == (
        "h264",
        540,
        960,
        "yuv420p",
    )
    assert info.video_profile == "High"
    assert info.fps == 30
    assert abs(info.duration_s - 3 * SCENE_MS / 1000) <= 0.1
    assert (info.audio_codec, info.sample_rate, info.channels) == ("aac", 48000, 2)
    assert abs(info.audio_duration_s - info.video_duration_s) <= 0.05


def test_assembled_reel_never_dips_to_black_between_scenes(reel):
    import numpy as np

    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(reel["path"]),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    levels = np.frombuffer(raw, np.uint8).reshape(-1, PREVIEW.height * PREVIEW.width).mean(axis=1)
    scene_frames = round(SCENE_MS / 1000 * PREVIEW.fps)
    cuts = [scene_frames, 2 * scene_frames]

    assert len(levels) == 3 * scene_frames
    # The old dip through black took the frames at each cut to near 0.
    assert levels.min() > 0.6 * min(levels[cut - 1] for cut in cuts)
    assert all(levels[cut] == pytest.approx(levels[cut - 1], rel=0.15) for cut in cuts)


def test_assembled_reel_is_faststart(reel):
    boxes = _top_level_boxes(reel["path"])

    assert boxes.index("moov") < boxes.index("mdat")


def test_assembled_reel_is_minus_14_lufs_with_true_peak_under_minus_1(reel):
    integrated, true_peak = _ebur128(reel["path"])

    assert abs(integrated - -14.0) <= 1.0
    assert true_peak <= -1.0


def test_assembled_reel_passes_media_qc(reel):
    report = run_qc(reel["path"], expect=Expect(profile="preview", aspect="9:16", duration_s=6))

    assert report.failed == [], report.lines()
    assert report.is_readable


def test_render_runs_one_ffmpeg_per_scene_plus_measure_mix_and_assembly(reel):
    calls = reel["calls"]
    canvases = Counter(call for call in calls if call.endswith(" canvas"))

    assert sorted(call for call in calls if call not in canvases) == [
        "assemble",
        "audio",
        "loudness",
        "scene 0",
        "scene 1",
        "scene 2",
    ]
    # Each still is scaled to its canvas (render.still_frames, a one-frame run) once, and
    # kept for the next clip's dissolve from it (scene 0's for scene 1's video). Scene 1 is a
    # video: no canvas.
    assert canvases == {"scene 0 canvas": 1, "scene 2 canvas": 1}


def test_rerender_after_an_edit_renders_only_the_changed_scene(reel, tmp_path, monkeypatch):
    specs = list(reel["specs"])
    specs[1] = scene_clips.SceneClipSpec(**{**specs[1].__dict__, "words": timed_words("새 문장")})
    clips = list(reel["clips"])
    clips[1] = tmp_path / "clip1-edited.mp4"
    calls = []
    original = runner.run_ffmpeg
    monkeypatch.setattr(
        runner, "run_ffmpeg", lambda argv, **kw: (calls.append(kw["step"]), original(argv, **kw))[1]
    )
    # As in a worker that did not make the first render: no canvas kept from it.
    monkeypatch.setattr(still_frames, "_kept", OrderedDict())

    render_reel(
        specs,
        clip_paths=clips,
        music_path=reel["music"],
        out_path=tmp_path / "reel.mp4",
        profile=PREVIEW,
        encoder="libx264",
    )

    # Scene 1 is a video dissolving from scene 0's still: that still's frames are made again.
    assert sorted(calls) == ["assemble", "audio", "loudness", "scene 0 canvas", "scene 1"]


def test_assembly_without_a_premixed_track_mixes_the_same_audio(reel, tmp_path):
    # The services' path: assemble_reel measures and encodes the audio itself.
    out = assembly.assemble_reel(
        clips=reel["clips"],
        narration_paths=[s.narration_audio_path for s in reel["specs"]],
        scene_durations_ms=[s.duration_ms for s in reel["specs"]],
        music_path=reel["music"],
        out_path=tmp_path / "reel.mp4",
        profile=PREVIEW,
    )
    info = probe(out)
    integrated, true_peak = _ebur128(out)

    assert (info.audio_codec, info.sample_rate, info.channels) == ("aac", 48000, 2)
    assert abs(info.audio_duration_s - info.video_duration_s) <= 0.05
    assert abs(integrated - _ebur128(reel["path"])[0]) <= 0.3
    assert true_peak <= -1.0


def test_preview_clips_are_h264_high_with_cabac_at_the_fast_preset():
    argv = encoder.video_encoder_args(encoder="libx264", profile=PREVIEW)

    assert argv[argv.index("-preset") + 1] == "ultrafast"
    assert "cabac=1" in argv[argv.index("-x264-params") + 1]
    assert "-x264-params" not in encoder.video_encoder_args(
        encoder="libx264", profile=profile_for("final", "9:16")
    )


def test_scene_clips_share_the_concat_parameters(reel):
    for clip in reel["clips"]:
        info = probe(clip)
        assert (info.width, info.height, info.fps, info.video_profile) == (540, 960, 30, "High")
        assert info.audio_codec is None
        assert abs(info.video_duration_s - SCENE_MS / 1000) < 0.01


def test_thumbnail_is_a_jpeg_of_the_first_scene(reel, tmp_path):
    thumb = assembly.write_thumbnail(clip_path=reel["clips"][0], out_path=tmp_path / "t.jpg")

    assert thumb.read_bytes()[:3] == b"\xff\xd8\xff"


def test_subtitles_cover_the_whole_story(reel, tmp_path):
    srt, vtt = assembly.write_subtitles(
        specs=reel["specs"],
        srt_path=tmp_path / "s.srt",
        vtt_path=tmp_path / "s.vtt",
        profile=PREVIEW,
    )

    assert srt.read_text().startswith("1\n00:00:00,100 --> ")
    assert "00:00:04." in vtt.read_text()
    assert vtt.read_text().startswith("WEBVTT")


def test_canceled_render_leaves_no_file_at_the_final_name(tmp_path):
    spec = scene_clips.SceneClipSpec(
        index=0,
        visual_path=make_still(tmp_path / "s.png", seed=1),
        visual_kind="image",
        duration_ms=60_000,
        words=timed_words("긴 장면"),
    )
    out = tmp_path / "clip.mp4"
    cancel = threading.Event()
    errors = []

    def render():
        try:
            scene_clips.render_scene_clip(
                spec,
                out_path=out,
                profile=profile_for("final", "9:16"),
                encoder="libx264",
                cancel=cancel,
            )
        except RenderCanceled as exc:
            errors.append(exc)

    worker = threading.Thread(target=render)
    worker.start()
    deadline = time.monotonic() + 10
    while not list(tmp_path.glob(".clip.*.part.mp4")) and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until FFmpeg has started writing, then pull the plug
    cancel.set()
    worker.join(timeout=10)

    assert errors
    assert errors[0].step == "scene 0"
    assert not out.exists()
    assert list(tmp_path.glob("*.part*")) == []


def test_failed_render_names_the_step_and_leaves_nothing(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    spec = scene_clips.SceneClipSpec(
        index=4, visual_path=broken, visual_kind="image", duration_ms=1000
    )

    with pytest.raises(RenderError, match="scene 4") as caught:
        scene_clips.render_scene_clip(
            spec, out_path=tmp_path / "c.mp4", profile=PREVIEW, encoder="libx264"
        )

    assert "FFmpeg" in str(caught.value)
    assert list(tmp_path.iterdir()) == [broken]


def test_missing_ffmpeg_says_install_ffmpeg(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")

    with pytest.raises(RenderError, match="install ffmpeg"):
        runner.run_ffmpeg(["ffmpeg", "-version"], step="scene 0")


def test_check_output_refuses_a_wrong_size(reel):
    with pytest.raises(RenderError, match="size 540x960, expected 1080x1920"):
        check_output(reel["path"], expected_duration_s=6.0, width=1080, height=1920)


def test_forced_invalid_encoder_is_refused():
    with pytest.raises(ValueError, match="h264_nvenc"):
        encoder.probe_encoder("h265_magic")


def test_forced_encoder_is_honoured_and_probe_picks_a_working_one():
    assert encoder.probe_encoder("libx264") == "libx264"
    assert encoder.probe_encoder(None) in encoder.ENCODERS


def test_cache_key_changes_with_what_shapes_the_clip_only():
    base = {
        "index": 0,
        "narration_text": "안녕",
        "words": timed_words("안녕"),
        "visual_sha256": "ab" * 32,
        "visual_kind": "image",
        "duration_ms": 2000,
        "style": "default",
        "caption_style": CaptionStyle(),
        "profile": PREVIEW,
        "encoder": "libx264",
    }

    lead_in = cache.LeadInKey(
        index=1, visual_sha256="ab" * 32, visual_kind="image", duration_ms=2000
    )

    key = cache.scene_render_key(**base)

    assert key == cache.scene_render_key(**base)
    assert key != cache.scene_render_key(**{**base, "narration_text": "안녕하세요"})
    assert key != cache.scene_render_key(**{**base, "profile": profile_for("final", "9:16")})
    assert key != cache.scene_render_key(**{**base, "encoder": "h264_nvenc"})
    assert key != cache.scene_render_key(**{**base, "headline": "성수동 카페"})
    assert key != cache.scene_render_key(**{**base, "caption_style": caption_style("karaoke")})
    assert key != cache.scene_render_key(**{**base, "lead_in": lead_in})
    assert cache.scene_render_key(**{**base, "lead_in": lead_in}) != cache.scene_render_key(
        **{**base, "lead_in": cache.LeadInKey(1, "cd" * 32, "image", 2000)}
    )
    assert len(key) == 64
