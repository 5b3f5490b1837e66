"""Black and frozen spans found by the clips' own runs (render.qc_scan) stand in for decoding
the assembled reel: the same spans as the reel's own detectors, and the reel's QC then decodes
only its audio."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from render import motion, qc_measure, runner, scene_clips
from render.assembly import write_concat_list
from render.profiles import profile_for
from render.qc import PASS, WARN, Expect, run_qc
from render.qc_measure import Span
from render.qc_scan import ClipScan, join_scans, read_scan

PREVIEW = dataclasses.replace(profile_for("preview", "9:16"), watermark=False)


def _still(path: Path, level: int, *, stripes: bool = False) -> Path:
    image = Image.new("RGB", (540, 960), (level, level, level))
    if stripes:  # detail, so a zoom changes every frame
        for x in range(0, 540, 6):
            image.paste((255, 255, 255), (x, 0, x + 2, 960))
    image.save(path)
    return path


def test_spans_meeting_at_a_cut_join_and_only_long_ones_are_kept():
    first = ClipScan(duration_s=2.0, black=[(1.7, 2.0)], freezes=[(0.0, 0.3), (0.3, 0.6)])
    second = ClipScan(duration_s=2.0, black=[(0.0, 0.3)], freezes=[(0.5, 2.0)])
    third = ClipScan(duration_s=1.0, black=[(0.5, 0.7)], freezes=[(0.0, 0.6)])

    black, freezes = join_scans([first, second, third])

    # 1.7-2.0 runs on into the next clip's first 0.3 s: one 0.6 s span (over the 0.5 s
    # minimum) where each alone is under it; 0.2 s inside the third clip is dropped.
    assert black == [Span(1.7, 2.3)]
    # Freeze marks within a clip stay apart (the detector took a new reference frame
    # between them), and a freeze still open at a cut carries on into the next clip.
    assert freezes == [Span(2.5, 4.6)]


def test_a_clip_scan_round_trips_and_rejects_other_json():
    scan = ClipScan(duration_s=1.5, black=[(0.0, 0.5)], freezes=[])

    assert ClipScan.from_json(scan.to_json()) == scan
    for bad in ("[]", '{"duration_s": 1}', "not json"):
        with pytest.raises(ValueError, match=r"not a clip scan|Expecting value"):
            ClipScan.from_json(bad)


@pytest.mark.slow
def test_scans_of_joined_clips_find_the_black_the_reel_decode_finds(tmp_path):
    # Scene 1 is black for 1 s; scene 2, a striped still, dissolves in from it: the reel is
    # black from its start until the dissolve has lifted the picture over the threshold.
    black = _still(tmp_path / "black.png", 0)
    lit = _still(tmp_path / "lit.png", 120, stripes=True)
    specs = scene_clips.with_lead_ins(
        [
            scene_clips.SceneClipSpec(
                index=0, visual_path=black, visual_kind="image", duration_ms=1000
            ),
            scene_clips.SceneClipSpec(
                index=1, visual_path=lit, visual_kind="image", duration_ms=1000
            ),
        ]
    )
    scans, clips = [], []
    for n, spec in enumerate(specs):
        clip = scene_clips.render_scene_clip(
            spec,
            out_path=tmp_path / f"{n}.mp4",
            profile=PREVIEW,
            encoder="libx264",
            scan_path=tmp_path / f"{n}.scan.json",
        )
        clips.append(clip)
        scans.append(ClipScan.from_json((tmp_path / f"{n}.scan.json").read_text()))
    reel = tmp_path / "reel.mp4"
    listing = write_concat_list(
        tmp_path / "list.txt", clips=clips, durations_ms=[1000, 1000], fps=PREVIEW.fps
    )
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "concat", "-safe", "0", "-i", str(listing),
         "-c", "copy", "-movflags", "+faststart", str(reel)],
        check=True,
    )  # fmt: skip

    black_spans, _ = join_scans(scans)
    decoded = qc_measure.measure(reel, every_frame=True).black

    assert len(black_spans) == len(decoded) == 1
    assert black_spans[0].start_s == pytest.approx(0.0, abs=1e-6)
    # The span runs across the cut into the dissolve, as on the decoded reel.
    assert 1.0 < black_spans[0].end_s < 1.0 + motion.TRANSITION_S
    assert black_spans[0].end_s == pytest.approx(decoded[0].end_s, abs=2 / PREVIEW.fps)


@pytest.mark.slow
def test_read_scan_closes_a_span_still_open_at_the_clip_end(tmp_path):
    spec = scene_clips.SceneClipSpec(
        index=0, visual_path=_still(tmp_path / "b.png", 0), visual_kind="image", duration_ms=700
    )
    scene_clips.render_scene_clip(
        spec,
        out_path=tmp_path / "c.mp4",
        profile=PREVIEW,
        encoder="libx264",
        scan_path=tmp_path / "c.scan.json",
    )
    scan = ClipScan.from_json((tmp_path / "c.scan.json").read_text())

    assert scan.duration_s == pytest.approx(21 / 30)
    assert scan.black == [(0.0, pytest.approx(21 / 30))]
    assert read_scan(tmp_path / "no-such.log", frames=30, fps=30) == ClipScan(duration_s=1.0)


@pytest.mark.slow
def test_with_the_clips_spans_the_reel_qc_decodes_only_its_audio(tmp_path, monkeypatch):
    from tests.render.qc_fixtures import make

    good = make(tmp_path / "good.mp4")
    argvs: list[list[str]] = []
    real = runner.run_measured

    def recording(argv, **kwargs):
        argvs.append(list(argv))
        return real(argv, **kwargs)

    monkeypatch.setattr(qc_measure, "run_measured", recording)
    expect = Expect(profile="preview", aspect="9:16", duration_s=3.0)

    report = run_qc(good, expect=expect, video_spans=([], [Span(0.5, 3.0)]))

    graph = argvs[-1][argvs[-1].index("-filter_complex") + 1]
    assert "blackdetect" not in graph
    assert "freezedetect" not in graph
    assert "ebur128" in graph
    checks = {c.name: c.status for c in report.checks}
    assert checks["freeze"] == WARN  # the spans given are the ones judged
    assert checks["black"] == PASS
    assert checks["loudness"] == PASS
