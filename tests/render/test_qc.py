"""Media QC: each check passes a well-made reel and fails (or warns about) a file made bad in
exactly that way. Files are 3-5 s at preview size, made with FFmpeg's lavfi sources."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from render.qc import FAIL, PASS, WARN, Check, Expect, QCReport, run_qc
from render.qc_checks import check_black, check_first_keyframe, check_frame_rate
from render.qc_measure import Box, Measurements, Packet, Span
from tests.render.qc_fixtures import make

pytestmark = pytest.mark.slow  # real FFmpeg runs; no database
PREVIEW = Expect(profile="preview", aspect="9:16", duration_s=3.0)


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return make(tmp_path_factory.mktemp("qc") / "good.mp4")


def test_a_well_made_reel_passes_every_check(good):
    report = run_qc(good, expect=PREVIEW)

    assert report.status == PASS, report.lines()
    assert report.failed == []
    assert report.warned == []
    assert len(report.checks) == 19


def test_report_round_trips_through_json(good):
    report = run_qc(good, expect=PREVIEW)

    data = json.loads(json.dumps(report.to_json()))

    assert QCReport.from_json(data) == replace(report, elapsed_s=round(report.elapsed_s, 3))
    assert data["status"] == "PASS"
    assert {"name", "status", "value", "limit", "message"} == set(data["checks"][0])


@pytest.mark.parametrize(
    ("options", "expect", "check", "status"),
    [
        ({"faststart": False}, PREVIEW, "container", FAIL),
        ({"size": "480x640"}, PREVIEW, "resolution", FAIL),
        ({}, Expect(profile="final", aspect="9:16"), "resolution", FAIL),
        ({"size": "960x540"}, Expect(profile="preview", aspect="16:9"), "resolution", PASS),
        ({"rate": "25"}, PREVIEW, "frame_rate", FAIL),
        ({"video_args": ("-c:v", "mpeg4")}, PREVIEW, "video_codec", FAIL),
        (
            {"video_args": ("-c:v", "libx264", "-profile:v", "baseline")},
            PREVIEW,
            "video_profile",
            WARN,
        ),
        (
            {"video_args": ("-c:v", "libx264", "-profile:v", "baseline")},
            Expect(profile="final", aspect="9:16"),
            "video_profile",
            FAIL,
        ),
        ({"audio_args": ("-c:a", "aac", "-ar", "44100", "-ac", "1")}, PREVIEW, "sample_rate", WARN),
        ({"audio_args": ("-c:a", "aac", "-ar", "44100", "-ac", "1")}, PREVIEW, "channels", WARN),
        ({"audio_args": ("-c:a", "libopus", "-ac", "2")}, PREVIEW, "audio_codec", FAIL),
        ({}, Expect(profile="preview", duration_s=10.0), "duration", FAIL),
        ({}, Expect(profile="preview", duration_s=3.4), "duration", PASS),
        ({}, Expect(profile="preview", target_s=30.0), "target_duration", WARN),
        ({"audio_filter": "atrim=end=2.5"}, PREVIEW, "av_length", FAIL),
        ({"audio": "sine=f=440:d={d}:sample_rate=48000,volume=22dB"}, PREVIEW, "loudness", FAIL),
        ({"audio": "sine=f=440:d={d}:sample_rate=48000,volume=22dB"}, PREVIEW, "true_peak", FAIL),
        ({"audio": "sine=f=440:d={d}:sample_rate=48000,volume=-10dB"}, PREVIEW, "loudness", FAIL),
        (
            {"video_filter": "drawbox=c=black:t=fill:enable='between(t,1,2)'"},
            PREVIEW,
            "black",
            FAIL,
        ),
        (
            {"seconds": 5, "video_filter": "loop=loop=75:size=1:start=30,trim=end=5"},
            Expect(profile="preview"),
            "freeze",
            WARN,
        ),
        (
            {"seconds": 5, "audio_filter": "volume=enable='between(t,1,3.5)':volume=0"},
            Expect(profile="preview"),
            "silence",
            WARN,
        ),
        ({"seconds": 5, "gop": 300}, Expect(profile="preview"), "gop", WARN),
    ],
)
def test_a_file_made_bad_one_way_is_caught_by_its_check(tmp_path, options, expect, check, status):
    path = make(tmp_path / "bad.mp4", **options)

    report = run_qc(path, expect=expect)

    found = {c.name: c for c in report.checks}[check]
    assert found.status == status, report.lines()
    if status != PASS:
        assert found.message  # says what is wrong
        assert report.status in (status, FAIL)
    else:
        assert found.message == ""


def test_a_truncated_file_fails_the_container_check(good, tmp_path):
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])

    report = run_qc(cut, expect=PREVIEW)

    assert report.status == FAIL
    assert "container" in report.failed or "readable" in report.failed


@pytest.mark.parametrize("content", [b"", b"not a video at all" * 100])
def test_what_is_not_a_video_fails_readable_and_does_not_raise(tmp_path, content):
    path = tmp_path / "x.mp4"
    path.write_bytes(content)

    report = run_qc(path, expect=PREVIEW)

    assert report.status == FAIL
    assert report.failed == ["readable"]
    assert not report.is_readable


def test_extra_checks_from_another_module_join_the_report(good):
    def title_safe(media: Measurements, expect: Expect) -> Check:
        return Check("title_safe", FAIL, "box at x=2", "inside the title-safe area", "Off screen.")

    report = run_qc(good, expect=PREVIEW, extra_checks=[title_safe])

    assert report.checks[-1].name == "title_safe"
    assert report.status == FAIL
    assert report.failed == ["title_safe"]


# ---- checks on hand-made measurements: cases a lavfi file cannot show cheaply ---------------


def measurements(**changes) -> Measurements:
    base = {
        "boxes": [Box("ftyp", 0, 32), Box("moov", 32, 100), Box("mdat", 132, 1000)],
        "box_problem": "",
        "major_brand": "isom",
        "container_duration_s": 10.0,
        "video": {"codec_name": "h264", "r_frame_rate": "30/1", "avg_frame_rate": "30/1"},
        "audio": None,
        "packets": [Packet(0.0, True), Packet(1 / 30, False)],
    }
    return Measurements(**{**base, **changes})


@pytest.mark.parametrize(
    ("spans", "status"),
    [
        ([], PASS),
        ([Span(0.0, 0.6)], WARN),  # a fade in from black
        ([Span(9.3, 10.0)], WARN),  # a fade out
        ([Span(4.0, 5.0)], FAIL),  # a hole in the middle
    ],
)
def test_black_at_the_edges_is_a_fade_and_inside_is_a_hole(spans, status):
    assert check_black(measurements(black=spans), PREVIEW).status == status


def test_a_reel_that_does_not_start_on_a_keyframe_fails():
    media = measurements(packets=[Packet(0.0, False), Packet(0.5, True)])

    assert check_first_keyframe(media, PREVIEW).status == FAIL


@pytest.mark.parametrize(
    ("real", "average", "status"),
    [
        ("30/1", "30/1", PASS),
        ("30/1", "2997/100", WARN),  # a concat join nudged the average by 0.03 fps
        ("30000/1001", "30000/1001", WARN),
        ("30/1", "29/1", FAIL),
        ("60/1", "60/1", FAIL),
    ],
)
def test_frame_rate(real, average, status):
    media = measurements(video={"r_frame_rate": real, "avg_frame_rate": average})

    assert check_frame_rate(media, PREVIEW).status == status


@pytest.mark.parametrize("every_frame", [False, True])
def test_black_inside_a_reel_with_b_frames_is_caught_whether_or_not_b_frames_are_decoded(
    tmp_path, every_frame
):
    path = make(
        tmp_path / "b.mp4",
        video_filter="drawbox=c=black:t=fill:enable='between(t,1,2)'",
        video_args=("-c:v", "libx264", "-preset", "veryfast", "-bf", "3"),
    )

    report = run_qc(path, expect=PREVIEW, every_frame=every_frame)

    black = {c.name: c for c in report.checks}["black"]
    assert black.status == FAIL
    start_s = float(black.value.split("-")[0])
    assert 1.0 <= start_s <= 1.2  # decoded frames are at most a few frames apart
