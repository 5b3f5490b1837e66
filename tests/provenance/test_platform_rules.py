"""Platform rules (settings.PLATFORM_RULES) checked on the reel file itself before upload."""

from __future__ import annotations

import subprocess
from fractions import Fraction

import pytest

from media.services import save_asset
from provenance.platform_rules import aspect_of, check_platform_rules, media_problems
from render.probe import MediaInfo
from tests.factories import StoryFactory

pytestmark = pytest.mark.django_db


def _info(**changes) -> MediaInfo:
    base = {
        "duration_s": 30.0,
        "video_codec": "h264",
        "width": 1080,
        "height": 1920,
        "fps": Fraction(30),
        "pix_fmt": "yuv420p",
        "video_profile": "High",
        "video_duration_s": 30.0,
        "audio_codec": "aac",
        "sample_rate": 48000,
        "channels": 2,
        "audio_duration_s": 30.0,
    }
    return MediaInfo(**{**base, **changes})


def _codes(info, platform, settings, size=10_000_000):
    rules = settings.PLATFORM_RULES[platform]
    return [p.code for p in media_problems(info, size_bytes=size, rules=rules, platform_name="P")]


@pytest.mark.parametrize("platform", ["youtube", "instagram", "tiktok"])
def test_a_30_s_vertical_h264_reel_passes_everywhere(platform, settings):
    assert _codes(_info(), platform, settings) == []


@pytest.mark.parametrize(
    ("platform", "seconds", "ok"),
    [
        ("youtube", 180, True),
        ("youtube", 181, False),
        ("instagram", 900, True),
        ("instagram", 901, False),
        ("tiktok", 600, True),
        ("tiktok", 601, False),
    ],
)
def test_each_platform_caps_the_length(platform, seconds, ok, settings):
    codes = _codes(_info(duration_s=float(seconds)), platform, settings)

    assert codes == ([] if ok else ["too_long"])


def test_the_caps_come_from_settings(settings):
    settings.PLATFORM_RULES = {
        **settings.PLATFORM_RULES,
        "instagram": {**settings.PLATFORM_RULES["instagram"], "max_duration_s": 90},
    }

    assert _codes(_info(duration_s=91.0), "instagram", settings) == ["too_long"]


def test_size_aspect_codec_and_frame_rate_are_each_named(settings):
    info = _info(width=1920, height=1080, video_codec="mpeg4", audio_codec="pcm_s16le", fps=15)

    codes = _codes(info, "instagram", settings, size=301 * 1024**2)

    assert codes == ["too_large", "aspect", "video_codec", "audio_codec", "frame_rate"]


def test_too_short_for_instagram_and_tiktok_but_not_youtube(settings):
    info = _info(duration_s=2.0)

    assert _codes(info, "instagram", settings) == ["too_short"]
    assert _codes(info, "tiktok", settings) == ["too_short"]
    assert _codes(info, "youtube", settings) == []


def test_aspects_are_named_with_a_little_tolerance():
    assert aspect_of(1080, 1920) == "9:16"
    assert aspect_of(1088, 1920) == "9:16"
    assert aspect_of(1080, 1350) == "4:5"
    assert aspect_of(1000, 700) == "10:7"


def test_the_message_is_translated_into_korean(settings):
    from django.utils import translation

    rules = settings.PLATFORM_RULES["youtube"]
    with translation.override("ko"):
        problems = media_problems(
            _info(duration_s=200.0), size_bytes=1, rules=rules, platform_name="YouTube Shorts"
        )

    assert "초" in problems[0].message
    assert problems[0].details == {"max_duration_s": 180, "duration_s": 200.0}


def test_the_checker_reads_the_stored_file_not_the_row(tmp_path, settings):
    story = StoryFactory()
    path = tmp_path / "wide.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=s=320x180:r=30:d=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path),
        ],
        check=True,
    )  # fmt: skip
    # The row claims a vertical reel; the file is a 2 s 16:9 clip.
    asset = save_asset(
        owner=story.owner,
        story=story,
        kind="video",
        path=path,
        mime_type="video/mp4",
        width=1080,
        height=1920,
    )

    youtube = [p.code for p in check_platform_rules(asset, "youtube")]
    instagram = [p.code for p in check_platform_rules(asset, "instagram")]

    assert youtube == ["aspect"]
    assert instagram == ["too_short", "aspect"]


def test_a_file_that_is_not_a_video_is_one_clear_problem(tmp_path):
    story = StoryFactory()
    path = tmp_path / "notes.mp4"
    path.write_bytes(b"not a video at all")
    asset = save_asset(
        owner=story.owner, story=story, kind="video", path=path, mime_type="video/mp4"
    )

    problems = check_platform_rules(asset, "tiktok")

    assert [p.code for p in problems] == ["unreadable"]


def test_an_unknown_platform_is_a_programming_error(tmp_path):
    story = StoryFactory()
    path = tmp_path / "x.mp4"
    path.write_bytes(b"x")
    asset = save_asset(owner=story.owner, story=story, kind="video", path=path, mime_type="v/m")

    with pytest.raises(ValueError, match="unknown platform"):
        check_platform_rules(asset, "myspace")
