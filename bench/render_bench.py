"""Render benchmark: reelmaker's renderer against a MoviePy baseline and the bare encode floor.

    .venv/bin/python bench/render_bench.py [--ko] [--quick] [--keep DIR]

One run, one machine, one 30 s 9:16 reel of six scenes (generated stills with motion, burned
captions, offline voice, generated music). It measures, printing each figure as it comes:

- final_s     reelmaker's final render (scene clips + assembly, no clip cache), the way the
              services call render.pipeline;
- moviepy_s   the same reel made the way most open-source reel tools make it (MoviePy 2.x:
              ImageClip with a zoom, TextClip captions, CompositeVideoClip, write_videofile)
              with the same x264 preset and CRF, run in its own process;
- floor_s     FFmpeg encoding as many seconds of moving content (testsrc2) at the same size,
              preset, CRF and audio settings: the cost of the encode alone;
- preview_s   reelmaker's preview render (no clip cache);
- edit_s      the final re-render after one scene's narration changed (its voice is spoken
              again; only that clip and the assembly are redone, clips named by
              scene_render_key); edit_preview_s is the same at the preview profile;
- keyword_to_preview_s  `manage.py makereel "<keyword>" --profile preview --duration 30` in a
              fresh process with a throwaway SQLite database: what a user waits for;
- peak_rss_mb the largest resident set of this process and every child it waited for
              (ru_maxrss of RUSAGE_SELF and RUSAGE_CHILDREN), MoviePy's process excluded:
              it runs last and its own peak is printed as moviepy_rss_mb.

The last line holds every figure:
final_s=… moviepy_s=… floor_s=… speedup_vs_moviepy=… floor_ratio=… preview_s=… edit_s=…
keyword_to_preview_s=… peak_rss_mb=…

--ko makes the same reel in Korean (captions and eSpeak NG voice); --quick skips MoviePy (the
slowest part by far); --keep DIR keeps the inputs and outputs there instead of a temp dir.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from providers.music.generated import GeneratedMusicProvider, mood_for_style  # noqa: E402
from providers.visual.artwork import ArtworkProvider  # noqa: E402
from providers.voice.offline import OfflineVoiceProvider  # noqa: E402
from providers.writer.base import Brief  # noqa: E402
from providers.writer.template import TemplateWriter  # noqa: E402
from render import commands  # noqa: E402
from render.cache import file_sha256, scene_render_key  # noqa: E402
from render.captions import CaptionStyle, caption_pages  # noqa: E402
from render.encoder import probe_encoder  # noqa: E402
from render.fonts import font_path  # noqa: E402
from render.pipeline import SceneClipSpec, render_reel  # noqa: E402
from render.probe import probe  # noqa: E402
from render.profiles import RenderProfile, profile_for  # noqa: E402

KEYWORDS = {"en": "morning coffee ritual", "ko": "아침 커피 루틴"}
EDITED = {
    "en": "A fresh cup, a quiet window and five slow minutes make the whole day kinder.",
    "ko": "따뜻한 커피 한 잔과 조용한 창가, 느긋한 오 분이 하루를 바꿉니다.",
}
STYLE = "modern"
ASPECT = "9:16"
DURATION_S = 30
# Mirrors scenes.services.media.SCENE_PAUSE_MS (importing it needs Django's app registry).
SCENE_PAUSE_MS = 350
RENDER_WORKERS = 2  # settings.RENDER_WORKERS default
MOVIEPY_THREADS = 2


# ---------------------------------------------------------------- inputs


def make_inputs(language: str, work: Path) -> tuple[list[SceneClipSpec], list[str], Path]:
    """Plan, voices, artwork and music, made once by the offline providers (as the jobs do)."""
    plan = TemplateWriter().write(
        brief=Brief(keyword=KEYWORDS[language], language=language, duration_s=DURATION_S)
    )
    final = profile_for("final", ASPECT)
    voices, art = OfflineVoiceProvider(), ArtworkProvider()
    specs, texts = [], []
    for index, scene in enumerate(plan.scenes):
        visual = art.make(
            prompt=scene.visual_prompt,
            key_phrase=scene.key_phrase,
            style=STYLE,
            language=language,
            index=index,
            width=final.width,
            height=final.height,
            out_path=work / f"scene-{index}.png",
        )
        spec = _spoken_spec(
            voices,
            index=index,
            text=scene.narration,
            language=language,
            visual=visual.path,
            work=work,
        )
        specs.append(spec)
        texts.append(scene.narration)
    total_ms = sum(s.duration_ms for s in specs)
    music = GeneratedMusicProvider().make(
        mood=mood_for_style(STYLE),
        duration_ms=int(DURATION_S * 1000 * 1.5) + 5000,
        seed=1,
        out_path=work / "music.wav",
    )
    print(
        f"inputs: {len(specs)} scenes, {total_ms / 1000:.1f} s, language {language}, "
        f"voice {'eSpeak NG' if language == 'ko' else 'Piper joe'}",
        flush=True,
    )
    return specs, texts, music.path


def _spoken_spec(
    voices: OfflineVoiceProvider,
    *,
    index: int,
    text: str,
    language: str,
    visual: Path,
    work: Path,
    tag: str = "",
) -> SceneClipSpec:
    speech = voices.synthesize(
        text=text, language=language, voice="", out_path=work / f"voice-{index}{tag}.wav"
    )
    return SceneClipSpec(
        index=index,
        visual_path=visual,
        visual_kind="image",
        duration_ms=speech.duration_ms + SCENE_PAUSE_MS,
        words=tuple(speech.words),
        narration_audio_path=speech.audio_path,
        language=language,
        style=STYLE,
    )


# ---------------------------------------------------------------- reelmaker


def clip_paths(
    specs: list[SceneClipSpec],
    texts: list[str],
    *,
    profile: RenderProfile,
    encoder: str,
    cache: Path,
) -> list[Path]:
    """Clip files named by scene_render_key, as scenes.services.rendering names them."""
    cache.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec, text in zip(specs, texts, strict=True):
        key = scene_render_key(
            index=spec.index,
            narration_text=text,
            words=spec.words,
            visual_sha256=file_sha256(spec.visual_path),
            visual_kind=spec.visual_kind,
            duration_ms=spec.duration_ms,
            style=spec.style,
            caption_style=spec.caption_style,
            profile=profile,
            encoder=encoder,
        )
        paths.append(cache / f"{key}.mp4")
    return paths


def render_ours(
    specs, texts, music: Path, *, profile: RenderProfile, encoder: str, cache: Path, out: Path
) -> float:
    paths = clip_paths(specs, texts, profile=profile, encoder=encoder, cache=cache)
    start = time.perf_counter()
    render_reel(
        specs,
        clip_paths=paths,
        music_path=music,
        out_path=out,
        profile=profile,
        encoder=encoder,
        workers=RENDER_WORKERS,
    )
    return time.perf_counter() - start


# ---------------------------------------------------------------- the encode floor


def encode_floor(*, seconds: float, profile: RenderProfile, out: Path) -> float:
    """30 s of moving test pattern and a tone, encoded with the final's video and audio args."""
    argv = [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=s={profile.size}:r={profile.fps}:d={seconds:.3f}",
        "-f", "lavfi", "-i", f"sine=f=440:r={commands.SAMPLE_RATE}:d={seconds:.3f}",
        "-c:v", "libx264", "-preset", profile.preset, "-crf", str(profile.crf),
        "-pix_fmt", "yuv420p", "-profile:v", "high", "-g", str(profile.fps * 2),
        "-c:a", "aac", "-b:a", profile.audio_bitrate, "-ar", str(commands.SAMPLE_RATE), "-ac", "2",
        "-movflags", "+faststart", str(out),
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(argv, check=True)
    return time.perf_counter() - start


# ---------------------------------------------------------------- keyword to preview


def keyword_to_preview(language: str, work: Path) -> tuple[float, float]:
    """`manage.py makereel` in a fresh process and database: (seconds start to exit, CPU s)."""
    var = work / "var"
    var.mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DEBUG="1", REELMAKER_VAR_DIR=str(var))
    manage = [sys.executable, str(ROOT / "manage.py")]
    done = subprocess.run(
        [*manage, "migrate", "-v", "0"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"manage.py migrate failed ({done.returncode}):\n{done.stderr[-3000:]}")
    argv = [
        *manage, "makereel", KEYWORDS[language], "--lang", language, "--profile", "preview",
        "--duration", str(DURATION_S), "--out", str(work / "keyword-preview.mp4"),
    ]  # fmt: skip
    cpu, start = cpu_s(), time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed, cpu = time.perf_counter() - start, cpu_s() - cpu
    if done.returncode != 0:
        sys.exit(f"makereel failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed, cpu


# ---------------------------------------------------------------- MoviePy baseline

MOVIEPY_SCRIPT = r"""
import json, resource, sys, time
from moviepy import (AudioFileClip, CompositeAudioClip, CompositeVideoClip, ImageClip,
                     TextClip, concatenate_videoclips)
job = json.loads(sys.argv[1])
W, H, FPS = job["width"], job["height"], job["fps"]
start = time.perf_counter()
scenes = []
for scene in job["scenes"]:
    seconds = scene["duration_ms"] / 1000
    # The typical Ken Burns: scale the still a little more every frame, centred.
    image = (ImageClip(scene["image"]).with_duration(seconds)
             .resized(lambda t, s=seconds: 1.0 + 0.08 * t / s).with_position("center"))
    layers = [image]
    for page in scene["pages"]:
        text = (TextClip(font=job["font"], text=page["text"], font_size=job["font_px"],
                         color="white", stroke_color="black", stroke_width=job["outline_px"],
                         method="caption", size=(job["text_width"], None), text_align="center")
                .with_start(page["start_s"]).with_duration(page["end_s"] - page["start_s"]))
        layers.append(text.with_position(("center", H - job["bottom_px"] - text.h)))
    clip = CompositeVideoClip(layers, size=(W, H)).with_duration(seconds)
    clip = clip.with_audio(AudioFileClip(scene["voice"]).with_duration(
        min(seconds, AudioFileClip(scene["voice"]).duration)))
    scenes.append(clip)
video = concatenate_videoclips(scenes)
music = AudioFileClip(job["music"]).with_duration(video.duration).with_volume_scaled(0.2)
video = video.with_audio(CompositeAudioClip([video.audio, music]))
video.write_videofile(job["out"], fps=FPS, codec="libx264", preset=job["preset"],
                      ffmpeg_params=["-crf", str(job["crf"]), "-pix_fmt", "yuv420p"],
                      audio_codec="aac", audio_bitrate=job["audio_bitrate"],
                      threads=job["threads"], logger=None)
elapsed = time.perf_counter() - start
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": elapsed, "rss_kb": rss}))
"""


def moviepy_baseline(specs, music: Path, *, profile: RenderProfile, out: Path) -> tuple[float, int]:
    """The same reel through MoviePy in a child process: (seconds, its peak RSS in KB)."""
    style = CaptionStyle()
    job = {
        "width": profile.width,
        "height": profile.height,
        "fps": profile.fps,
        "preset": profile.preset,
        "crf": profile.crf,
        "audio_bitrate": profile.audio_bitrate,
        "threads": MOVIEPY_THREADS,
        "font": str(font_path(bold=True)),
        "font_px": style.font_px(profile.height),
        "outline_px": max(1, round(style.font_px(profile.height) * 0.08)),
        "text_width": profile.width - 2 * round(style.side_margin * profile.width),
        "bottom_px": round(style.bottom_margin * profile.height),
        "music": str(music),
        "out": str(out),
        "scenes": [
            {
                "image": str(s.visual_path),
                "voice": str(s.narration_audio_path),
                "duration_ms": s.duration_ms,
                # The same caption pages as ours, one TextClip each (no word highlight).
                "pages": [
                    {"text": p.text, "start_s": p.start_ms / 1000, "end_s": p.end_ms / 1000}
                    for p in caption_pages(
                        s.words,
                        max_units=style.max_line_units(profile.width, profile.height),
                        end_ms=s.duration_ms,
                        hold_ms=style.hold_ms,
                    )
                ],
            }
            for s in specs
        ],
    }
    done = subprocess.run(
        [sys.executable, "-c", MOVIEPY_SCRIPT, json.dumps(job)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"MoviePy baseline failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["rss_kb"]


# ---------------------------------------------------------------- main


def cpu_s() -> float:
    """CPU seconds used so far by this process and the children it waited for."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ko", action="store_true", help="Korean captions and voice")
    parser.add_argument("--quick", action="store_true", help="skip the MoviePy baseline")
    parser.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    parser.add_argument(
        "--encoder", default="libx264", help="libx264 (default), h264_nvenc, or 'auto' to probe"
    )
    args = parser.parse_args(argv)
    language = "ko" if args.ko else "en"
    if shutil.which("ffmpeg") is None:
        sys.exit("ffmpeg is not on PATH; install it (apt-get install ffmpeg).")
    encoder = probe_encoder(None if args.encoder == "auto" else args.encoder)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        holder = None
        work = args.keep.resolve()
    else:
        holder = tempfile.TemporaryDirectory(prefix="render-bench-")
        work = Path(holder.name)
    try:
        figures = run(language, work, encoder=encoder, quick=args.quick)
    finally:
        if holder is not None:
            holder.cleanup()
    print(" ".join(f"{k}={v}" for k, v in figures.items()), flush=True)


def _fmt(value: float | None, digits: int = 2) -> str:
    return "skipped" if value is None else f"{value:.{digits}f}"


def run(language: str, work: Path, *, encoder: str, quick: bool) -> dict[str, str]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {cpus} CPU cores, encoder {encoder}", flush=True)
    started = time.perf_counter()
    specs, texts, music = make_inputs(language, work / "inputs")
    print(f"inputs_s={time.perf_counter() - started:.2f} (not part of any figure)", flush=True)
    final, preview = profile_for("final", ASPECT), profile_for("preview", ASPECT)
    reel_s = sum(commands.frames_for(s.duration_ms, final.fps) for s in specs) / final.fps

    cpu = cpu_s()
    final_s = render_ours(
        specs, texts, music, profile=final, encoder=encoder, cache=work / "clips-final",
        out=work / "final.mp4",
    )  # fmt: skip
    _say("final_s", final_s, cpu, f"{reel_s:.1f} s reel, {_size_mb(work / 'final.mp4')}")

    cpu = cpu_s()
    floor_s = encode_floor(seconds=reel_s, profile=final, out=work / "floor.mp4")
    _say("floor_s", floor_s, cpu, f"testsrc2, {_size_mb(work / 'floor.mp4')}")

    cpu = cpu_s()
    preview_s = render_ours(
        specs, texts, music, profile=preview, encoder=encoder, cache=work / "clips-preview",
        out=work / "preview.mp4",
    )  # fmt: skip
    _say("preview_s", preview_s, cpu, f"{preview_s / final_s:.0%} of final")

    # The edit: scene 3 gets new narration, so a new voice, words and length; its key changes.
    edited = 2
    voice_start = time.perf_counter()
    new_spec = _spoken_spec(
        OfflineVoiceProvider(), index=edited, text=EDITED[language], language=language,
        visual=specs[edited].visual_path, work=work / "inputs", tag="-edited",
    )  # fmt: skip
    voice_s = time.perf_counter() - voice_start
    specs_after = [new_spec if s.index == edited else s for s in specs]
    texts_after = [EDITED[language] if i == edited else t for i, t in enumerate(texts)]
    cpu = cpu_s()
    edit_s = render_ours(
        specs_after, texts_after, music, profile=final, encoder=encoder,
        cache=work / "clips-final", out=work / "final-edited.mp4",
    )  # fmt: skip
    _say(
        "edit_s",
        edit_s,
        cpu,
        f"{edit_s / final_s:.0%} of final; its new voice took {voice_s:.2f} s",
    )
    cpu = cpu_s()
    edit_preview_s = render_ours(
        specs_after, texts_after, music, profile=preview, encoder=encoder,
        cache=work / "clips-preview", out=work / "preview-edited.mp4",
    )  # fmt: skip
    _say("edit_preview_s", edit_preview_s, cpu, f"{edit_preview_s / preview_s:.0%} of preview")

    keyword_s, keyword_cpu = keyword_to_preview(language, work)
    print(f"keyword_to_preview_s={keyword_s:.2f} (cpu {keyword_cpu:.1f} s)", flush=True)
    rss_mb = peak_rss_mb()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mb={rss_mb:.0f} (this process {own:.0f}, children up to now)", flush=True)

    moviepy_s = None
    if not quick:
        moviepy_s, moviepy_rss = moviepy_baseline(
            specs, music, profile=final, out=work / "moviepy.mp4"
        )
        info = probe(work / "moviepy.mp4")
        print(
            f"moviepy_s={moviepy_s:.2f} ({info.duration_s:.1f} s, {_size_mb(work / 'moviepy.mp4')},"
            f" moviepy_rss_mb={moviepy_rss / 1024:.0f})",
            flush=True,
        )
    return {
        "final_s": _fmt(final_s),
        "moviepy_s": _fmt(moviepy_s),
        "floor_s": _fmt(floor_s),
        "speedup_vs_moviepy": _fmt(None if moviepy_s is None else moviepy_s / final_s, 1),
        "floor_ratio": _fmt(final_s / floor_s),
        "preview_s": _fmt(preview_s),
        "edit_s": _fmt(edit_s),
        "keyword_to_preview_s": _fmt(keyword_s),
        "peak_rss_mb": _fmt(rss_mb, 0),
    }


def _say(name: str, seconds: float, cpu_before: float, note: str) -> None:
    print(f"{name}={seconds:.2f} ({note}; cpu {cpu_s() - cpu_before:.1f} s)", flush=True)


def _size_mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


if __name__ == "__main__":
    main()
