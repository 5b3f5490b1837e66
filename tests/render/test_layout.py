"""Text layout: title-safe areas per aspect, headlines and captions that wrap or shrink to fit,
and the QC check that every text box stays inside the safe area."""

from __future__ import annotations

import pytest

from render import layout
from render.caption_styles import PRESETS, CaptionStyle, caption_style
from render.captions import caption_blocks, headline_block
from render.profiles import FINAL_SIZES, profile_for
from render.scene_clips import SceneClipSpec, text_layout_checks
from render.types import WordTiming

SIZES = [
    (profile_for(name, aspect).width, profile_for(name, aspect).height)
    for aspect in FINAL_SIZES
    for name in ("preview", "final")
]
LONG_EN = (
    "Your slow Sunday morning coffee ritual, hand-made for you and everyone you love, "
    "every single day of the year"
)
LONG_KO = "성수동 골목 끝에서 만나는 우리 동네 가장 따뜻한 아침 커피 한 잔의 여유와 행복한 시간"
UNBROKEN_KO = "가나다라마바사아자차카타파하" * 4
UNBROKEN_EN = "Supercalifragilisticexpialidocious-extraordinarily-caffeinated"


def _timed(text: str, step_ms: int = 300) -> tuple[WordTiming, ...]:
    return tuple(
        WordTiming(word, 100 + i * step_ms, 100 + i * step_ms + step_ms - 50)
        for i, word in enumerate(text.split())
    )


def test_vertical_safe_area_keeps_out_of_the_platform_ui():
    safe = layout.safe_area(1080, 1920)

    # Reels' top 14% and bottom 35%; the right-hand button rail is wider than the left edge.
    assert safe.top >= 0.14 * 1920
    assert safe.bottom <= 0.65 * 1920
    assert safe.left >= 0.06 * 1080
    assert 1080 - safe.right > safe.left


@pytest.mark.parametrize("aspect", sorted(FINAL_SIZES))
def test_each_aspect_has_its_own_layout_inside_its_safe_area(aspect):
    width, height = FINAL_SIZES[aspect]
    safe = layout.safe_area(width, height)

    assert layout.aspect_of(width, height) == aspect
    assert layout.aspect_of(width // 2, height // 2) == aspect
    for position in ("bottom", "middle"):
        captions = layout.caption_area(width, height, position)
        assert safe.contains(captions)
        assert captions.top >= layout.headline_area(width, height).bottom  # never overlap
    assert safe.contains(layout.headline_area(width, height))


def test_landscape_captions_are_narrower_than_the_frame_would_allow():
    safe = layout.safe_area(1920, 1080)
    captions = layout.caption_area(1920, 1080)

    assert captions.width <= 0.7 * 1920 < 0.8 * safe.width
    assert (captions.left + captions.right) / 2 == pytest.approx(960, abs=1)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("text", [LONG_EN, LONG_KO, UNBROKEN_KO, UNBROKEN_EN, "Made for you"])
def test_headline_wraps_and_shrinks_inside_its_area(size, text):
    width, height = size

    block = headline_block(text, width, height)

    assert block is not None
    area = layout.headline_area(width, height)
    assert area.contains(block.box)
    assert all(
        layout.text_width(line, block.size) <= area.width - 2 * block.pad for line in block.lines
    )
    if text == "Made for you":
        assert block.lines == ("Made for you",)  # short text keeps its largest size
        assert block.size == round(layout.layout_for(width, height).headline_font * height)


@pytest.mark.parametrize("text", [LONG_EN, LONG_KO])
def test_a_long_headline_shrinks_and_keeps_every_word(text):
    block = headline_block(text, 1080, 1920)
    assert block is not None

    assert block.size < round(layout.LAYOUTS["9:16"].headline_font * 1920)
    assert " ".join(block.lines).split() == text.split()  # wrapped, nothing cut


def test_a_headline_too_long_for_any_size_is_cut_with_an_ellipsis():
    text = " ".join([LONG_EN] * 4)

    block = headline_block(text, 540, 960)

    assert block is not None
    assert block.lines[-1].endswith(layout.ELLIPSIS)
    assert layout.headline_area(540, 960).contains(block.box)


def test_blank_headline_has_no_box():
    assert headline_block("  \n ", 1080, 1920) is None


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("text", [LONG_EN, LONG_KO, f"a {UNBROKEN_KO} b", f"{UNBROKEN_EN} now"])
def test_caption_pages_stay_in_the_caption_area(size, preset, text):
    width, height = size
    style = caption_style(preset)

    blocks = caption_blocks(
        words=_timed(text), width=width, height=height, duration_ms=30_000, style=style
    )

    area = layout.caption_area(width, height, style.position)
    assert blocks
    assert all(area.contains(b.box) for b in blocks), [b.box for b in blocks]
    assert all(len(b.lines) <= 2 for b in blocks)
    assert [w for b in blocks for line in b.lines for w in line.split()] == text.split()


def test_a_word_wider_than_the_caption_area_is_drawn_smaller():
    style = CaptionStyle()

    blocks = caption_blocks(
        words=_timed(UNBROKEN_KO), width=540, height=960, duration_ms=3000, style=style
    )

    assert len(blocks) == 1
    assert blocks[0].size < layout.caption_font_size(540, 960)


def test_text_box_check_passes_inside_and_fails_with_the_overflow_outside():
    safe = layout.safe_area(540, 960)
    inside = layout.TextBlock("caption 1", ("hi",), 40, layout.Box(100, 500, 200, 540))
    outside = layout.TextBlock("headline", ("hi",), 40, layout.Box(10, 200, 200, 240))

    ok = layout.text_box_checks([inside], 540, 960)
    bad = layout.text_box_checks([inside, outside], 540, 960)

    assert [row[:2] for row in ok] == [("text_in_safe_area", "PASS")]
    name, status, measured, limit, message = bad[0]
    assert (name, status, limit) == ("text_in_safe_area", "FAIL", 0.0)
    assert measured == safe.left - 10
    assert "headline" in message
    assert "caption 1" not in message


@pytest.mark.parametrize("aspect", sorted(FINAL_SIZES))
def test_scene_text_check_passes_for_long_korean_and_english(tmp_path, aspect):
    specs = [
        SceneClipSpec(
            index=i,
            visual_path=tmp_path / "x.jpg",
            visual_kind="image",
            duration_ms=20_000,
            words=_timed(text),
            headline=text,
            caption_style=caption_style(preset),
        )
        for i, (text, preset) in enumerate(
            [(LONG_EN, "classic"), (LONG_KO, "bold"), (UNBROKEN_KO, "karaoke")]
        )
    ]

    for name in ("preview", "final"):
        rows = text_layout_checks(specs, profile_for(name, aspect))
        assert [row[1] for row in rows] == ["PASS"], rows


def test_unknown_preset_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="karaoke"):
        caption_style("comic-sans")
