"""Render quality benchmark: one scene clip at each `quality` (draft, standard, high).

    .venv/bin/python bench/quality_bench.py [--seconds 6] [--encoder E] [--profile final]

One 9:16 scene of `--seconds` from a generated still, with word captions, rendered through
render.scene_clips.render_scene_clip with render.profiles.with_options(quality=...), the way
a worker renders it (no Django). Each quality prints its encode time, the time as a share of
standard's and the file size; the last line holds every figure:
draft_s=… standard_s=… high_s=… draft_kb=… standard_kb=… high_kb=…
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw

from render.encoder import probe_encoder
from render.profiles import QUALITIES, profile_for, with_options
from render.scene_clips import SceneClipSpec, render_scene_clip
from render.types import WordTiming


def still(path: Path) -> Path:
    image = Image.new("RGB", (1080, 1920), (40, 90, 150))
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = (97 * i) % 1000, (173 * i) % 1800
        draw.ellipse([x, y, x + 160, y + 160], fill=(255 - 5 * i, 30 * (i % 7), 6 * i))
    image.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--encoder", default=None, help="force an encoder (default: probe)")
    parser.add_argument("--profile", default="final", choices=["preview", "final"])
    args = parser.parse_args()
    encoder = probe_encoder(args.encoder)
    duration_ms = round(args.seconds * 1000)
    words = tuple(
        WordTiming(text=f"word{i}", start_ms=i * 400, end_ms=i * 400 + 350)
        for i in range(int(duration_ms / 400))
    )
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="quality-bench-") as tmp:
        spec = SceneClipSpec(
            index=0,
            visual_path=still(Path(tmp) / "still.png"),
            visual_kind="image",
            duration_ms=duration_ms,
            words=words,
            language="en",
        )
        for quality in QUALITIES:
            profile = with_options(profile_for(args.profile, "9:16"), quality=quality)
            out = Path(tmp) / f"{quality}.mp4"
            started = time.perf_counter()
            render_scene_clip(spec, out_path=out, profile=profile, encoder=encoder)
            figures[f"{quality}_s"] = round(time.perf_counter() - started, 2)
            figures[f"{quality}_kb"] = round(out.stat().st_size / 1024)
            print(
                f"{quality:<9} {profile.preset:<10} crf {profile.crf}: "
                f"{figures[f'{quality}_s']} s, {figures[f'{quality}_kb']} kB ({encoder})",
                flush=True,
            )
    for quality in QUALITIES:
        share = figures[f"{quality}_s"] / figures["standard_s"]
        print(f"{quality}_vs_standard={share:.2f}")
    print(" ".join(f"{name}={value}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
