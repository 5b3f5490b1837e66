"""Generated artwork: a gradient and shapes in the style's palette, drawn with Pillow.

The key phrase is not drawn here: the renderer sets it as a headline over the moving picture
(render.layout), so no pan or zoom can carry it out of the frame.

Deterministic: the composition is seeded by prompt + index, so a scene redraws identically
and neighbouring scenes differ. Gradients and grain are numpy arrays (fast at 1080x1920);
the grain keeps x264 from banding smooth gradients.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from providers.base import PermanentProviderError, Usage
from providers.visual.base import VisualResult

PROVIDER = "artwork"
DEFAULT_STYLE = "modern"
_MAX_PIXELS = 4096 * 4096


@dataclass(frozen=True)
class Palette:
    """Background gradient stops, shape colours, and the ink and shadow that suit them."""

    background: tuple[str, ...]
    shapes: tuple[str, ...]
    ink: str
    shadow: str


PALETTES: dict[str, Palette] = {
    "modern": Palette(
        ("#1f2a44", "#3d5a80", "#98c1d9"), ("#ee6c4d", "#e0fbfc", "#293241"), "#ffffff", "#10182b"
    ),
    "vivid": Palette(
        ("#ff006e", "#8338ec", "#3a86ff"), ("#ffbe0b", "#fb5607", "#ffffff"), "#ffffff", "#2b0a3d"
    ),
    "calm": Palette(
        ("#e3f2fd", "#c8e6c9", "#fff8e1"), ("#90caf9", "#a5d6a7", "#ffe082"), "#2f3e46", "#ffffff"
    ),
    "retro": Palette(
        ("#2b193d", "#c3423f", "#fde74c"), ("#5bc0eb", "#9bc53d", "#fa7921"), "#fff5d6", "#2b193d"
    ),
    "minimal": Palette(
        ("#f5f5f0", "#e8e6df"), ("#1b1b1b", "#c9c5ba", "#e76f51"), "#1b1b1b", "#f5f5f0"
    ),
    "food": Palette(
        ("#3b1f0e", "#a0522d", "#f4a261"), ("#e9c46a", "#e76f51", "#fefae0"), "#fffaf0", "#2a1608"
    ),
}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _gradient(width: int, height: int, stops: tuple[str, ...], angle: float) -> Image.Image:
    """A linear multi-stop gradient at `angle` radians."""
    # Computed at 1/8 size and scaled up: a linear ramp survives bilinear scaling unchanged.
    small_w, small_h = max(2, width // 8), max(2, height // 8)
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    direction = xs / small_w * np.cos(angle) + ys / small_h * np.sin(angle)
    t = (direction - direction.min()) / max(1e-6, float(direction.max() - direction.min()))
    colours = np.array([_rgb(c) for c in stops], dtype=np.float32)
    positions = np.linspace(0.0, 1.0, len(colours), dtype=np.float32)
    ramp = np.stack([np.interp(t, positions, colours[:, c]) for c in range(3)], axis=-1)
    small = Image.fromarray(ramp.clip(0, 255).astype(np.uint8))
    return small.resize((width, height), Image.Resampling.BILINEAR)


def _shapes(size: tuple[int, int], palette: Palette, rng: random.Random) -> Image.Image:
    """A translucent layer of one composition: blobs, rings, stripes or confetti."""
    width, height = size
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    unit = min(width, height)
    kind = rng.choice(("blobs", "rings", "stripes", "circles", "waves"))
    colours = [_rgb(c) for c in palette.shapes]
    if kind == "blobs":
        # Drawn and blurred at quarter size: a full-size blur this wide costs ~0.5 s.
        small = Image.new("RGBA", (max(1, width // 4), max(1, height // 4)), (0, 0, 0, 0))
        small_draw = ImageDraw.Draw(small)
        for _ in range(rng.randint(3, 6)):
            r = rng.uniform(0.2, 0.55) * unit / 4
            x, y = rng.uniform(0, width / 4), rng.uniform(0, height / 4)
            squash = rng.uniform(0.7, 1.3)
            fill = (*rng.choice(colours), rng.randint(70, 140))
            small_draw.ellipse((x - r, y - r * squash, x + r, y + r), fill=fill)
        small = small.filter(ImageFilter.GaussianBlur(unit * 0.015))
        return small.resize(size, Image.Resampling.BILINEAR)
    if kind == "rings":
        x, y = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
        for i in range(rng.randint(4, 8)):
            r = unit * (0.12 + 0.11 * i)
            draw.ellipse(
                (x - r, y - r, x + r, y + r),
                outline=(*colours[i % len(colours)], 120),
                width=max(2, unit // 60),
            )
        return layer
    if kind == "stripes":
        step = unit * rng.uniform(0.08, 0.16)
        slope = rng.uniform(-0.6, 0.6) * height
        for i, x in enumerate(np.arange(-height, width + height, step)):
            if i % 2 == 0:
                draw.polygon(
                    [
                        (x, 0),
                        (x + step / 2, 0),
                        (x + step / 2 + slope, height),
                        (x + slope, height),
                    ],
                    fill=(*colours[i // 2 % len(colours)], 60),
                )
        return layer
    if kind == "circles":
        for _ in range(rng.randint(8, 18)):
            r = rng.uniform(0.03, 0.16) * unit
            x, y = rng.uniform(0, width), rng.uniform(0, height)
            draw.ellipse(
                (x - r, y - r, x + r, y + r), fill=(*rng.choice(colours), rng.randint(90, 170))
            )
        return layer
    amplitude = rng.uniform(0.03, 0.08) * height
    for i in range(rng.randint(3, 5)):
        base = height * rng.uniform(0.45, 0.95)
        phase, freq = rng.uniform(0, 6.28), rng.uniform(1.0, 2.5)
        xs = np.linspace(0, width, 64)
        top = [
            (float(x), float(base + amplitude * np.sin(phase + freq * 6.28 * x / width)))
            for x in xs
        ]
        draw.polygon([*top, (width, height), (0, height)], fill=(*colours[i % len(colours)], 70))
    return layer


class ArtworkProvider:
    """Offline artwork for any prompt; deterministic per prompt + index."""

    def make(
        self,
        *,
        prompt: str,
        key_phrase: str,
        style: str,
        language: str,
        index: int,
        width: int,
        height: int,
        out_path: Path,
    ) -> VisualResult:
        """Draw a width x height JPEG to `out_path` (suffix forced to .jpg)."""
        if width <= 0 or height <= 0 or width * height > _MAX_PIXELS:
            raise PermanentProviderError(f"bad artwork size {width}x{height}", provider=PROVIDER)
        palette = PALETTES.get(style, PALETTES[DEFAULT_STYLE])
        seed = hashlib.sha256(f"{prompt}\x1f{style}\x1f{index}".encode()).digest()
        rng = random.Random(int.from_bytes(seed[:8], "big"))  # noqa: S311 - art, not secrets
        stops = list(palette.background)
        if rng.random() < 0.5:
            stops.reverse()
        angle = rng.uniform(0, 3.14159)
        image = _gradient(width, height, tuple(stops), angle).convert("RGBA")
        image.alpha_composite(_shapes((width, height), palette, rng))
        image = image.convert("RGB")
        noise = np.random.default_rng(int.from_bytes(seed[8:16], "big"))
        grain = noise.standard_normal(size=(height, width, 1), dtype=np.float32) * 3.0
        pixels = np.asarray(image, dtype=np.float32) + grain
        final = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
        path = out_path.with_suffix(".jpg")
        path.parent.mkdir(parents=True, exist_ok=True)
        # JPEG, not PNG: 10x faster to write at 1080x1920; 4:4:4 keeps the lettering crisp.
        final.save(path, format="JPEG", quality=93, subsampling=0)
        return VisualResult(
            path=path,
            kind="image",
            width=width,
            height=height,
            mime="image/jpeg",
            provider=PROVIDER,
            attribution="",
            licence="generated",
            usage=Usage(
                provider=PROVIDER,
                model=f"artwork-{style}",
                units=1.0,
                unit="images",
            ),
        )
