"""How captions look: the CaptionStyle value and the named presets a story picks from.

    style = caption_style("karaoke")   # ValueError for an unknown name

Sizes are relative: the aspect's layout (render.layout) sets the caption size of a frame,
and a style scales it, so a preset looks the same at preview and final, in every aspect.
"""

from __future__ import annotations

from dataclasses import dataclass

from render.fonts import CAPTION_FAMILY

DEFAULT_PRESET = "classic"
POSITIONS = ("bottom", "middle")


@dataclass(frozen=True)
class CaptionStyle:
    """One caption look; the headline uses its font weight and colours too."""

    name: str = DEFAULT_PRESET
    size_scale: float = 1.0  # of the aspect's caption size (render.layout)
    bold: bool = True
    text_rgb: str = "FFFFFF"
    highlight_rgb: str = "FFD400"
    outline_rgb: str = "000000"
    outline: float = 0.08  # outline width, of the font size
    shadow: float = 0.03  # shadow offset, of the font size
    boxed: bool = False  # an opaque box behind each line instead of an outline
    keep_spoken: bool = False  # words already spoken keep the highlight colour (karaoke)
    position: str = "bottom"  # "bottom" of the safe area, or "middle" of its lower part
    hold_ms: int = 600  # how long the last page stays after its last word
    font_family: str = CAPTION_FAMILY  # render.fonts.family_for(language) for other scripts
    # What goes between words on a line: nothing for scripts written without spaces
    # (Chinese, Japanese, Thai), whose words come from render.linebreak.
    joiner: str = " "

    def outline_px(self, size: int) -> int:
        return max(1, round(size * self.outline)) if self.outline else 0

    def shadow_px(self, size: int) -> int:
        return max(1, round(size * self.shadow)) if self.shadow else 0

    def pad_px(self, size: int) -> int:
        """How far ink reaches past the glyphs' advance box: the outline (or box) and shadow."""
        return self.outline_px(size) + self.shadow_px(size)


PRESETS: dict[str, CaptionStyle] = {
    # The look reels had before presets: white bold, the spoken word in yellow, low.
    "classic": CaptionStyle(),
    # Big and punchy in the middle of the picture, thick outline.
    "bold": CaptionStyle(
        name="bold",
        size_scale=1.25,
        highlight_rgb="3CFF6E",
        outline=0.12,
        shadow=0.0,
        position="middle",
    ),
    # Small regular weight, no highlight: reads like film subtitles.
    "minimal": CaptionStyle(
        name="minimal",
        size_scale=0.85,
        bold=False,
        highlight_rgb="FFFFFF",
        outline=0.04,
        shadow=0.05,
    ),
    # Words fill in as they are sung along, on a dark box.
    "karaoke": CaptionStyle(
        name="karaoke",
        size_scale=1.05,
        highlight_rgb="4DE1FF",
        outline_rgb="101018",
        outline=0.14,
        shadow=0.0,
        boxed=True,
        keep_spoken=True,
    ),
}


def caption_style(name: str) -> CaptionStyle:
    """The preset called `name`; raises ValueError naming the presets for an unknown one."""
    try:
        return PRESETS[name]
    except KeyError:
        known = sorted(PRESETS)
        raise ValueError(f"Unknown caption style {name!r}; expected one of {known}") from None
