"""Caption tests: wrapping by display width, word timing in the ASS, safe zone, real Hangul."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from render.captions import (
    CaptionStyle,
    Cue,
    build_ass,
    caption_pages,
    display_width,
    escape_ass,
    story_cues,
    to_srt,
    to_vtt,
    wrap_words,
)
from render.fonts import font_path
from render.layout import LAYOUTS
from render.types import WordTiming
from tests.scenes.render_fixtures import timed_words

KOREAN = "오늘은 우리가 함께 한국어 자막을 만들어 보는 날입니다 정말 재미있는 시간이 될 거예요"
DIALOGUE = re.compile(r"^Dialogue: 0,(\d+):(\d\d):(\d\d)\.(\d\d),(\d+):(\d\d):(\d\d)\.(\d\d),(.*)$")


def _events(ass: str) -> list[tuple[int, int, str]]:
    events = []
    for line in ass.splitlines():
        match = DIALOGUE.match(line)
        if match:
            g = [int(x) for x in match.groups()[:8]]
            start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3] * 10
            end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7] * 10
            events.append((start, end, match.group(9).split(",,", 1)[1]))
    return events


def test_display_width_counts_hangul_as_two_columns():
    assert display_width("한국어") == 6
    assert display_width("abc") == 3
    assert display_width("한 a") == 4


def test_korean_wraps_between_words_only_within_the_width():
    words = KOREAN.split()

    lines = wrap_words(words, max_units=14)

    assert [w for line in lines for w in line] == words  # no word split or lost
    assert all(display_width(" ".join(line)) <= 14 for line in lines)


def test_a_word_wider_than_a_line_stays_whole():
    assert wrap_words(["가나다라마바사아자차"], max_units=6) == [["가나다라마바사아자차"]]


def test_pages_hold_at_most_two_lines_and_keep_every_word_in_order():
    words = timed_words(KOREAN)

    pages = caption_pages(words, max_units=14)

    assert len(pages) > 1
    assert all(1 <= len(page.lines) <= 2 for page in pages)
    assert [w for page in pages for w in page.words] == list(words)
    assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(pages))


def test_a_long_pause_starts_a_new_page():
    words = [WordTiming("하나", 0, 300), WordTiming("둘", 400, 700), WordTiming("셋", 3000, 3300)]

    pages = caption_pages(words, max_units=40)

    assert [p.text for p in pages] == ["하나 둘", "셋"]


def test_each_word_is_highlighted_from_when_it_is_spoken():
    words = timed_words("하나 둘 셋 넷", start_ms=200, step_ms=500)
    highlight = "{\\c&H0000D4FF}"

    events = _events(build_ass(words=words, width=540, height=960, duration_ms=3000))

    assert len(events) == 4
    for i, (start, end, text) in enumerate(events):
        assert text.count(highlight) == 1
        assert text.split(highlight)[1].startswith(words[i].text + "{\\r}")
        assert start == (words[i].start_ms if i else 200)
        assert end == (words[i + 1].start_ms if i < 3 else words[-1].end_ms + 600)


def test_captions_sit_inside_the_safe_zone_at_any_size():
    for width, height in ((540, 960), (1080, 1920)):
        ass = build_ass(words=timed_words("안녕"), width=width, height=height, duration_ms=1000)
        style = next(line for line in ass.splitlines() if line.startswith("Style: Caption"))
        fields = style.split(",")

        assert f"PlayResX: {width}" in ass
        assert f"PlayResY: {height}" in ass
        assert fields[1] == "Noto Sans CJK KR"
        assert fields[7] == "-1"
        assert fields[18] == "2"  # bottom centre
        assert int(fields[21]) >= 0.25 * height
        assert int(fields[2]) == round(LAYOUTS["9:16"].caption_font * height)  # same look


def _render_ass(tmp_path: Path, ass: str, width: int, height: int) -> np.ndarray:
    (tmp_path / "c.ass").write_text(ass, encoding="utf-8")
    fonts = tmp_path / "fonts"
    fonts.mkdir(exist_ok=True)
    if not (fonts / font_path().name).exists():
        (fonts / font_path().name).symlink_to(font_path())
    png = tmp_path / "frame.png"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c=black:s={width}x{height}:d=1",
            "-vf",
            f"ass={tmp_path / 'c.ass'}:fontsdir={fonts}",
            "-frames:v",
            "1",
            str(png),
        ],
        check=True,
    )
    return np.asarray(Image.open(png).convert("L"))


def test_rendered_two_line_caption_stays_between_15_and_75_percent_height(tmp_path):
    words = timed_words(KOREAN, start_ms=0)
    ass = build_ass(words=words, width=540, height=960, duration_ms=10_000)

    frame = _render_ass(tmp_path, ass, 540, 960)

    rows = np.nonzero(frame.max(axis=1) > 40)[0]
    assert rows.size
    assert rows.min() >= 0.15 * 960
    assert rows.max() <= 0.75 * 960
    assert len(_events(ass)[0][2].split("\\N")) == 2


def _glyph(tmp_path: Path, text: str) -> np.ndarray:
    words = [WordTiming(text, 0, 900)]
    ass = build_ass(
        words=words,
        width=540,
        height=960,
        duration_ms=1000,
        style=CaptionStyle(highlight_rgb="FFFFFF"),
    )
    return _render_ass(tmp_path, ass, 540, 960) > 128


def test_hangul_is_drawn_as_real_glyphs_not_tofu(tmp_path):
    han, guk, missing = (_glyph(tmp_path, t) for t in ("한", "국", "\U000f0001"))

    # Tofu boxes of a font without Hangul are identical rectangles; real syllables differ.
    differ = np.logical_xor(han, guk).sum() / max(1, np.logical_or(han, guk).sum())
    assert han.sum() > 200
    assert guk.sum() > 200
    assert differ > 0.3
    assert np.logical_xor(han, missing).sum() > 0.3 * han.sum()


def test_ass_special_characters_are_escaped():
    assert escape_ass("{\\b1}") == "\\{\\\u2060b1\\}"
    assert escape_ass("a\\Nb") == "a\\\u2060Nb"

    ass = build_ass(words=[WordTiming("{x}", 0, 500)], width=540, height=960, duration_ms=1000)

    assert "\\{x\\}" in ass
    assert "{x}" not in ass.replace("\\{x\\}", "")


def test_story_cues_shift_each_scene_and_make_srt_and_vtt():
    cues = story_cues(
        scene_words=[timed_words("하나 둘"), timed_words("셋")],
        scene_offsets_ms=[0, 2000],
        scene_durations_ms=[2000, 2000],
    )

    assert [(c.start_ms, c.text) for c in cues] == [(100, "하나 둘"), (2100, "셋")]
    assert to_srt(cues).splitlines()[:3] == ["1", "00:00:00,100 --> 00:00:01,260", "하나 둘"]
    assert (
        to_vtt([Cue(0, 61_500, "a < b")]) == "WEBVTT\n\n00:00:00.000 --> 00:01:01.500\na &lt; b\n"
    )


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_words_make_no_captions(text):
    assert caption_pages([WordTiming(text, 0, 100)], max_units=20) == []


def test_a_new_sentence_starts_a_new_page_even_when_the_old_one_has_room():
    from render.captions import caption_pages
    from render.types import WordTiming

    words = [
        WordTiming("정말", 0, 300),
        WordTiming("맛있어요.", 300, 800),
        WordTiming("꼭", 850, 1000),
        WordTiming("가보세요!", 1000, 1500),
        WordTiming("Really", 1550, 1800),
    ]

    pages = caption_pages(words, max_units=40)

    assert [page.text for page in pages] == ["정말 맛있어요.", "꼭 가보세요!", "Really"]
