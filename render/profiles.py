"""Render profiles: frame size, frame rate and x264 settings for preview and final output."""

from __future__ import annotations

from dataclasses import dataclass, replace

FPS = 30
WATERMARK_TEXT = "PREVIEW"
# The mark a final carries when its owner asks for one.
BRAND_WATERMARK = "reelmaker"
FINAL_SIZES: dict[str, tuple[int, int]] = {
    "9:16": (1080, 1920),
    "16:9": (1920, 1080),
    "1:1": (1080, 1080),
}
# A final's resolution (a plan's `final_resolution`) as its short side: 720p makes a 9:16
# final 720x1280. FINAL_SIZES are the 1080p sizes.
FINAL_RESOLUTIONS: dict[str, int] = {"720p": 720, "1080p": 1080}
DEFAULT_RESOLUTION = "1080p"
# veryfast/CRF 23 for final: on 2 cores it encodes 1080x1920 at ~4x real time, and for
# phone-screen stills with slow motion CRF 23 is visually clean (~4-6 Mbit/s), while
# "medium" costs ~2.5x the CPU for a ~10% smaller file nobody sees after platform re-encode.
FINAL_PRESET, FINAL_CRF = "veryfast", 23
# Preview: ultrafast with CABAC, 8x8 transforms and the deblocking filter put back. Plain
# ultrafast drops to Constrained Baseline (no CABAC); with these three it emits H.264 High,
# so preview clips keep the final's profile rules, and it looks like superfast (SSIM 0.967
# vs 0.968 on our artwork at CRF 26, a smaller file) for ~30% less CPU per clip.
PREVIEW_PRESET, PREVIEW_CRF = "ultrafast", 26
PREVIEW_X264_PARAMS = "cabac=1:8x8dct=1:deblock=0,0"
# FFmpeg's AAC "twoloop" coder costs ~1 s of one core per 30 s of stereo; "fast" costs ~0.3 s
# and is plenty for a watermarked preview. The final keeps the default, better coder.
AAC_CODERS = {"final": "twoloop", "preview": "fast"}
# A user's quality choice as x264 (preset, CRF) per profile; "standard" is the profile's own
# settings above. bench/quality_bench.py, one 6 s 1080x1920 captioned clip on 2 shared cores:
# draft 0.56x standard's encode time, high 1.37x (a preview clip: 0.91x and 1.07x).
QUALITIES = ("draft", "standard", "high")
QUALITY_X264: dict[str, dict[str, tuple[str, int]]] = {
    "final": {"draft": ("superfast", 26), "high": ("medium", 20)},
    "preview": {"draft": ("ultrafast", 30), "high": ("veryfast", 23)},
}


def scaled_size(size: tuple[int, int], resolution: str) -> tuple[int, int]:
    """A 1080p frame size (FINAL_SIZES) at `resolution`, its short side FINAL_RESOLUTIONS'."""
    scale = FINAL_RESOLUTIONS[resolution] / min(size)
    return round(size[0] * scale), round(size[1] * scale)


@dataclass(frozen=True)
class RenderProfile:
    """Everything about the output format that does not depend on the story."""

    name: str  # "preview" | "final"
    width: int
    height: int
    fps: int = FPS
    preset: str = FINAL_PRESET
    crf: int = FINAL_CRF
    watermark: bool = False
    watermark_text: str = WATERMARK_TEXT
    ai_label: str = ""  # a visible "AI generated" label in the frame; empty: none
    captions: bool = True  # burn the captions in
    audio_bitrate: str = "160k"
    x264_params: str = ""  # libx264 options on top of the preset ("k=v:k=v")

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"


def profile_for(
    name: str, aspect: str = "9:16", resolution: str = DEFAULT_RESOLUTION
) -> RenderProfile:
    """The profile for "preview" or "final" at an aspect; a final at `resolution` (720p or
    1080p; previews are always half of 1080p). Raises ValueError for unknown ones."""
    if aspect not in FINAL_SIZES:
        raise ValueError(f"Unknown aspect {aspect!r}; expected one of {sorted(FINAL_SIZES)}")
    if resolution not in FINAL_RESOLUTIONS:
        raise ValueError(f"Unknown resolution {resolution!r}; expected {list(FINAL_RESOLUTIONS)}")
    width, height = FINAL_SIZES[aspect]
    if name == "final":
        width, height = scaled_size((width, height), resolution)
        return RenderProfile(name="final", width=width, height=height)
    if name == "preview":
        return RenderProfile(
            name="preview",
            width=width // 2,
            height=height // 2,
            preset=PREVIEW_PRESET,
            crf=PREVIEW_CRF,
            x264_params=PREVIEW_X264_PARAMS,
            watermark=True,
            audio_bitrate="96k",
        )
    raise ValueError(f"Unknown render profile {name!r}; expected 'preview' or 'final'")


def with_options(
    profile: RenderProfile,
    *,
    quality: str = "standard",
    include_captions: bool = True,
    watermark: bool | None = None,
    ai_label: str = "",
) -> RenderProfile:
    """The profile with a user's render options: `quality` picks the x264 preset and CRF
    (QUALITY_X264; standard keeps the profile's), `include_captions` burns captions in or
    not, `watermark` (None: the profile's default) adds the small mark: PREVIEW on a preview,
    BRAND_WATERMARK on a final; `ai_label` is the visible AI label's text (render.layout
    AI_LABELS; empty: none). Raises ValueError for an unknown quality."""
    if quality not in QUALITIES:
        raise ValueError(f"Unknown quality {quality!r}; expected one of {QUALITIES}")
    changes: dict = {"captions": include_captions, "ai_label": ai_label}
    if quality != "standard":
        changes["preset"], changes["crf"] = QUALITY_X264[profile.name][quality]
    if watermark is not None:
        changes["watermark"] = watermark
        if watermark and profile.name == "final":
            changes["watermark_text"] = BRAND_WATERMARK
    return replace(profile, **changes)
