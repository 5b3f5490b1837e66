"""Render benchmark: the shipped render path against a MoviePy baseline and the encode floor.

    .venv/bin/python bench/render_bench.py [--ko] [--quick] [--keep DIR] [--encoder E]

One run, one machine, one 30 s 9:16 reel of six scenes. Django is set up on the default
SQLite settings (DEBUG=1) with a throwaway database and MEDIA_ROOT under var/bench/; a story
is planned and previewed offline through the product's own inline job runner (not timed).
Then, printing each figure as it comes:

- shipped_final_s  the final stage exactly as the workers run it: render_scene for every
              scene (RENDER_WORKERS at a time, like the render queue's worker slots), then
              assemble_story; no clip cache. final_s is the same figure (the old key);
- floor_s     one plain FFmpeg encode of as many seconds of moving content (testsrc2) with
              the final's size, preset, CRF, GOP and audio settings: the encode alone;
- preview_s   the preview stage the same way, its clip cache emptied first;
- edit_s      after scene 3's narration is rewritten (update_scene, then its voice made
              again, not timed), the final stage again: cached clips are reused, so one clip
              and the assembly are redone; edit_preview_s is the same at the preview profile;
- keyword_to_preview_s / keyword_to_final_s  `manage.py makereel "<keyword>" --profile
              preview|final --duration 30` in a fresh process and a fresh database: what a
              user waits for;
- moviepy_s   the same reel made the way most open-source reel tools make it (MoviePy 2.x:
              ImageClip with a zoom, TextClip captions, CompositeVideoClip, write_videofile)
              with the same x264 preset and CRF, in its own process;
- peak_rss_mb the largest resident set of this process and every child it waited for,
              MoviePy's process excluded (its own peak is printed as moviepy_rss_mb).

The last line holds every figure:
final_s=… moviepy_s=… floor_s=… speedup_vs_moviepy=… floor_ratio=… preview_s=… edit_s=…
keyword_to_preview_s=… peak_rss_mb=… shipped_final_s=… keyword_to_final_s=…
(floor_ratio = shipped_final_s / floor_s; speedup_vs_moviepy = moviepy_s / shipped_final_s)

--ko makes the same reel in Korean (captions and eSpeak NG voice); --quick skips MoviePy (the
slowest part by far); --keep DIR keeps the database, media and outputs there; --breakdown
prints every FFmpeg/ffprobe run of the shipped final (scene clips, end card, loudness, audio
mix, join, thumbnail, QC) with its wall and its own CPU seconds and peak memory, from the
cost render.runner logs for each run, and the Python process's own CPU beside them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from render.assembly_commands import SAMPLE_RATE  # noqa: E402
from render.captions import CaptionStyle, caption_fit, caption_pages  # noqa: E402
from render.fonts import font_path  # noqa: E402
from render.probe import probe  # noqa: E402
from render.profiles import RenderProfile, profile_for  # noqa: E402
from render.types import WordTiming  # noqa: E402

KEYWORDS = {"en": "morning coffee ritual", "ko": "아침 커피 루틴"}
EDITED = {
    "en": "A fresh cup, a quiet window and five slow minutes make the whole day kinder.",
    "ko": "따뜻한 커피 한 잔과 조용한 창가, 느긋한 오 분이 하루를 바꿉니다.",
}
STYLE = "modern"
ASPECT = "9:16"
DURATION_S = 30
EDITED_POSITION = 2
MOVIEPY_THREADS = 2
# Settings that would point the bench at another database, media folder or broker.
FOREIGN_ENV = ("DATABASE_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE", "REELMAKER_WORK_DIR")


# ---------------------------------------------------------------- Django and the story


def setup_django(var: Path, *, encoder: str) -> None:
    """Django on the default SQLite settings, its database and media in `var`, migrated."""
    var.mkdir(parents=True, exist_ok=True)
    for name in FOREIGN_ENV:
        os.environ.pop(name, None)
    os.environ.update(
        DEBUG="1", REELMAKER_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="reelmaker.settings"
    )
    if encoder != "auto":
        os.environ["RENDER_ENCODER"] = encoder
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def plan_and_preview(language: str) -> int:
    """A story planned and previewed offline by the product's inline runner; its id."""
    from django.contrib.auth import get_user_model

    from jobs import inline, pipeline
    from stories import services as story_services
    from stories.models import Story
    from stories.states import Status

    owner, _ = get_user_model().objects.get_or_create(username="bench")
    story = story_services.create_story(
        owner=owner,
        keyword=KEYWORDS[language],
        language=language,
        duration_s=DURATION_S,
        aspect=ASPECT,
        style=STYLE,
    )
    for start in (pipeline.plan_story, pipeline.generate_preview):
        start(story_id=story.pk, inline=True)
        inline.run_inline(story_id=story.pk)
    story = Story.objects.get(pk=story.pk)
    if story.status != Status.PREVIEW_READY:
        sys.exit(f"planning and preview failed: {story.status} {story.error_message}")
    return story.pk


def render_stage(story_id: int, profile: str) -> float:
    """The render stage as the workers run it: render_scene per scene, RENDER_WORKERS at a
    time in pk order like the render queue, then assemble_story. Seconds."""
    from django.conf import settings
    from django.db import connection

    from scenes.models import Scene
    from scenes.services import rendering

    scene_ids = list(
        Scene.objects.filter(story_id=story_id).order_by("pk").values_list("pk", flat=True)
    )

    def one(scene_id: int) -> None:
        try:
            rendering.render_scene(scene_id=scene_id, profile=profile)
        finally:
            connection.close()  # each pool thread has its own connection, as in run_inline

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=settings.RENDER_WORKERS) as pool:
        list(pool.map(one, scene_ids))
    rendering.assemble_story(story_id=story_id, profile=profile)
    return time.perf_counter() - start


def forget_rendered(story_id: int) -> None:
    """Empty the clip cache (and any stored audio), so the next stage renders everything."""
    from django.conf import settings

    for folder in ("clips", "audio"):
        shutil.rmtree(Path(settings.MEDIA_ROOT) / folder, ignore_errors=True)


def edit_scene(story_id: int, language: str) -> float:
    """Rewrite one scene's narration and speak it again, as an edit does; seconds (not timed)."""
    from scenes.models import Scene
    from scenes.services import editing, make_scene_voice

    scene = Scene.objects.get(story_id=story_id, position=EDITED_POSITION)
    start = time.perf_counter()
    editing.update_scene(scene_id=scene.pk, narration=EDITED[language])
    make_scene_voice(scene_id=scene.pk)
    return time.perf_counter() - start


def story_media(story_id: int) -> tuple[list[dict], Path, Path]:
    """(scenes as plain values, music path, final reel path) for the baselines."""
    from django.conf import settings

    from media.models import Asset
    from render.end_card import draw_end_card
    from scenes.services.timeline import end_card_for, story_timeline
    from stories.models import Story

    story = Story.objects.get(pk=story_id)
    rows: list[Any] = list(story.scenes.select_related("visual", "voice").order_by("position"))
    # The lengths the reel has (the timeline's holds and end card), not the planned ones, so
    # the baseline renders as many seconds as the shipped final.
    timeline = story_timeline(story, rows, fps=profile_for("final", ASPECT).fps)
    scenes = [
        {
            "image": Path(s.visual.file.path),
            "voice": Path(s.voice.file.path),
            "duration_ms": ms,
            "words": tuple(WordTiming.from_json(w) for w in s.word_timings),
        }
        for s, ms in zip(rows, timeline.scene_ms, strict=True)
    ]
    if timeline.end_card_ms:
        final = profile_for("final", ASPECT)
        card = Path(settings.MEDIA_ROOT) / "bench-end-card.png"
        draw_end_card(end_card_for(story), width=final.width, height=final.height, out_path=card)
        scenes.append(
            {"image": card, "voice": None, "duration_ms": timeline.end_card_ms, "words": ()}
        )
    music = story.assets.filter(kind=Asset.Kind.MUSIC).order_by("pk").first()
    if music is None or story.final is None:
        sys.exit("the story has no music or no final reel")
    return scenes, Path(music.file.path), Path(story.final.file.path)


def reel_qc_s(story_id: int) -> float:
    """How long the assembly job's media QC of the final took (its report says)."""
    from stories.models import Story

    final = Story.objects.select_related("final").get(pk=story_id).final
    return float((final.qc or {}).get("elapsed_s", 0.0)) if final else 0.0


# ---------------------------------------------------------------- the encode floor


def encode_floor(*, seconds: float, profile: RenderProfile, out: Path) -> float:
    """`seconds` of moving test pattern and a tone, encoded with the final's video and audio
    arguments in one plain FFmpeg run."""
    argv = [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=s={profile.size}:r={profile.fps}:d={seconds:.3f}",
        "-f", "lavfi", "-i", f"sine=f=440:r={SAMPLE_RATE}:d={seconds:.3f}",
        "-c:v", "libx264", "-preset", profile.preset, "-crf", str(profile.crf),
        "-pix_fmt", "yuv420p", "-profile:v", "high", "-g", str(profile.fps * 2),
        "-c:a", "aac", "-b:a", profile.audio_bitrate, "-ar", str(SAMPLE_RATE), "-ac", "2",
        "-movflags", "+faststart", str(out),
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(argv, check=True)
    return time.perf_counter() - start


# ---------------------------------------------------------------- keyword to reel


def keyword_to_reel(language: str, work: Path, *, profile: str) -> tuple[float, float]:
    """`manage.py makereel` in a fresh process and database: (seconds start to exit, CPU s)."""
    var = work / f"var-{profile}"
    var.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
    env.update(DEBUG="1", REELMAKER_VAR_DIR=str(var))
    manage = [sys.executable, str(ROOT / "manage.py")]
    done = subprocess.run(
        [*manage, "migrate", "-v", "0"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"manage.py migrate failed ({done.returncode}):\n{done.stderr[-3000:]}")
    argv = [
        *manage, "makereel", KEYWORDS[language], "--lang", language, "--profile", profile,
        "--duration", str(DURATION_S), "--out", str(work / f"keyword-{profile}.mp4"),
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
    if scene["voice"]:
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


def moviepy_baseline(
    scenes: list[dict], music: Path, *, profile: RenderProfile, out: Path
) -> tuple[float, int]:
    """The same reel through MoviePy in a child process: (seconds, its peak RSS in KB)."""
    style = CaptionStyle()
    fit = caption_fit(profile.width, profile.height, style)
    job = {
        "width": profile.width,
        "height": profile.height,
        "fps": profile.fps,
        "preset": profile.preset,
        "crf": profile.crf,
        "audio_bitrate": profile.audio_bitrate,
        "threads": MOVIEPY_THREADS,
        "font": str(font_path(bold=True)),
        "font_px": fit.size,
        "outline_px": style.outline_px(fit.size),
        "text_width": fit.area.width,
        "bottom_px": profile.height - fit.area.bottom,
        "music": str(music),
        "out": str(out),
        "scenes": [
            {
                "image": str(s["image"]),
                "voice": str(s["voice"]) if s["voice"] else None,
                "duration_ms": s["duration_ms"],
                # The same caption pages as ours, one TextClip each (no word highlight).
                "pages": [
                    {"text": p.text, "start_s": p.start_ms / 1000, "end_s": p.end_ms / 1000}
                    for p in caption_pages(
                        s["words"],
                        max_units=fit.max_width,
                        end_ms=s["duration_ms"],
                        hold_ms=style.hold_ms,
                        width_of=fit.width_of,
                    )
                ],
            }
            for s in scenes
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


# ---------------------------------------------------------------- where the time goes


class RunCosts(logging.Handler):
    """Collects the cost render.runner logs for every FFmpeg/ffprobe run while attached."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.runs: list[Any] = []

    def emit(self, record: logging.LogRecord) -> None:
        cost = getattr(record, "ffmpeg_run", None)
        if cost is not None:
            self.runs.append((record.created - cost.wall_s, cost))

    def __enter__(self) -> RunCosts:
        logger = logging.getLogger("render.runner")
        self._level, self._propagate = logger.level, logger.propagate
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # collected here, not printed by the console handler too
        logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("render.runner")
        logger.removeHandler(self)
        logger.setLevel(self._level)
        logger.propagate = self._propagate


def print_breakdown(
    runs: list[Any], *, started: float, wall_s: float, cpu_s: float, own_cpu_s: float
) -> None:
    """One line per run (when it started in the stage, its wall and own CPU seconds, its peak
    memory), then the totals by kind of step and what is left (this process)."""
    print("breakdown of the shipped final (start s, wall s, own CPU s, peak MB):", flush=True)
    kinds: dict[str, list[float]] = {}
    for at, run in sorted(runs, key=lambda pair: pair[0]):
        print(
            f"  {run.step:<14} at {at - started:6.2f}  wall {run.wall_s:6.2f}  "
            f"cpu {run.cpu_s:6.2f}  rss {run.peak_rss_mb:5.0f}",
            flush=True,
        )
        kind = run.step
        if run.step.endswith(" canvas"):
            kind = "stills' canvases"
        elif run.step.startswith("scene "):
            kind = "scene clips"
        totals = kinds.setdefault(kind, [0, 0.0, 0.0, 0.0])
        totals[0] += 1
        totals[1] += run.wall_s
        totals[2] += run.cpu_s
        totals[3] = max(totals[3], run.peak_rss_mb)
    for kind, (count, wall, cpu, rss) in kinds.items():
        print(
            f"  total {kind:<16} x{count:.0f}: wall {wall:6.2f}  cpu {cpu:6.2f}  peak {rss:.0f} MB",
            flush=True,
        )
    children = sum(run.cpu_s for _, run in runs)
    print(
        f"  the stage: wall {wall_s:.2f}, cpu {cpu_s:.2f} = FFmpeg {children:.2f} + this "
        f"process (Django, the stills' frames, storage) {own_cpu_s:.2f}",
        flush=True,
    )


# ---------------------------------------------------------------- main


def cpu_s() -> float:
    """CPU seconds used so far by this process and the children it waited for."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def own_cpu_s() -> float:
    """CPU seconds used so far by this process alone (every thread)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--ko", action="store_true", help="Korean captions and voice")
    parser.add_argument("--quick", action="store_true", help="skip the MoviePy baseline")
    parser.add_argument("--keep", type=Path, help="keep database, media and outputs here")
    parser.add_argument(
        "--breakdown", action="store_true", help="print every FFmpeg run of the shipped final"
    )
    parser.add_argument(
        "--encoder",
        default="libx264",
        help="libx264 (default, like for like with the floor), h264_nvenc, or 'auto': "
        "RENDER_ENCODER left as configured (the worker's probe)",
    )
    args = parser.parse_args(argv)
    language = "ko" if args.ko else "en"
    if shutil.which("ffmpeg") is None:
        sys.exit("ffmpeg is not on PATH; install it (apt-get install ffmpeg).")

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        work = args.keep.resolve()
    else:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="run-", dir=ROOT / "var" / "bench"))
    try:
        figures = run(
            language, work, encoder=args.encoder, quick=args.quick, breakdown=args.breakdown
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(" ".join(f"{k}={v}" for k, v in figures.items()), flush=True)


def _fmt(value: float | None, digits: int = 2) -> str:
    return "skipped" if value is None else f"{value:.{digits}f}"


def run(
    language: str, work: Path, *, encoder: str, quick: bool, breakdown: bool = False
) -> dict[str, str]:
    setup_django(work / "var", encoder=encoder)
    from django.conf import settings

    from scenes.services.render_settings import current_encoder

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"machine: {cpus} CPU cores, encoder {current_encoder()}, "
        f"RENDER_WORKERS={settings.RENDER_WORKERS}",
        flush=True,
    )
    started = time.perf_counter()
    story_id = plan_and_preview(language)
    print(
        f"plan_and_preview_s={time.perf_counter() - started:.2f} (the setup: not part of any "
        f"figure; this process's peak so far {own_peak_mb():.0f} MB: Django, the Piper voice, "
        "artwork and music made in it)",
        flush=True,
    )
    final = profile_for("final", ASPECT)

    forget_rendered(story_id)
    cpu = cpu_s()
    preview_s = render_stage(story_id, "preview")
    _say("preview_s", preview_s, cpu, "shipped preview stage, empty clip cache")

    cpu, own, started = cpu_s(), own_cpu_s(), time.time()
    with RunCosts() as costs:
        shipped_final_s = render_stage(story_id, "final")
    if breakdown:
        print_breakdown(
            costs.runs,
            started=started,
            wall_s=shipped_final_s,
            cpu_s=cpu_s() - cpu,
            own_cpu_s=own_cpu_s() - own,
        )
    scenes, music, reel = story_media(story_id)
    # The reel's own length: the timeline fits the scenes (and any end card) to the target,
    # so it is not the sum of the scenes' planned lengths.
    reel_s = probe(reel).duration_s
    shutil.copyfile(reel, work / "final.mp4")
    _say(
        "shipped_final_s",
        shipped_final_s,
        cpu,
        f"{len(scenes)} scenes, {reel_s:.1f} s reel, {_size_mb(work / 'final.mp4')}, "
        f"media QC inside it {reel_qc_s(story_id):.2f} s",
    )

    cpu = cpu_s()
    floor_s = encode_floor(seconds=reel_s, profile=final, out=work / "floor.mp4")
    _say("floor_s", floor_s, cpu, f"testsrc2, {_size_mb(work / 'floor.mp4')}")
    print(f"floor_ratio={shipped_final_s / floor_s:.2f}", flush=True)

    voice_s = edit_scene(story_id, language)
    cpu = cpu_s()
    edit_s = render_stage(story_id, "final")
    _say(
        "edit_s",
        edit_s,
        cpu,
        f"{edit_s / shipped_final_s:.0%} of final; the new voice took {voice_s:.2f} s",
    )
    cpu = cpu_s()
    edit_preview_s = render_stage(story_id, "preview")
    _say("edit_preview_s", edit_preview_s, cpu, f"{edit_preview_s / preview_s:.0%} of preview")

    keyword_preview_s, keyword_cpu = keyword_to_reel(language, work, profile="preview")
    print(f"keyword_to_preview_s={keyword_preview_s:.2f} (cpu {keyword_cpu:.1f} s)", flush=True)
    keyword_final_s, keyword_cpu = keyword_to_reel(language, work, profile="final")
    print(f"keyword_to_final_s={keyword_final_s:.2f} (cpu {keyword_cpu:.1f} s)", flush=True)
    rss_mb = peak_rss_mb()
    print(
        f"peak_rss_mb={rss_mb:.0f} (this process {own_peak_mb():.0f}; a child's ru_maxrss "
        "starts from this process's size at fork, so see --breakdown for FFmpeg's own)",
        flush=True,
    )

    moviepy_s = None
    if not quick:
        moviepy_s, moviepy_rss = moviepy_baseline(
            scenes, music, profile=final, out=work / "moviepy.mp4"
        )
        info = probe(work / "moviepy.mp4")
        print(
            f"moviepy_s={moviepy_s:.2f} ({info.duration_s:.1f} s, {_size_mb(work / 'moviepy.mp4')},"
            f" moviepy_rss_mb={moviepy_rss / 1024:.0f})",
            flush=True,
        )
    return {
        "final_s": _fmt(shipped_final_s),
        "moviepy_s": _fmt(moviepy_s),
        "floor_s": _fmt(floor_s),
        "speedup_vs_moviepy": _fmt(None if moviepy_s is None else moviepy_s / shipped_final_s, 1),
        "floor_ratio": _fmt(shipped_final_s / floor_s),
        "preview_s": _fmt(preview_s),
        "edit_s": _fmt(edit_s),
        "keyword_to_preview_s": _fmt(keyword_preview_s),
        "peak_rss_mb": _fmt(rss_mb, 0),
        "shipped_final_s": _fmt(shipped_final_s),
        "keyword_to_final_s": _fmt(keyword_final_s),
    }


def _say(name: str, seconds: float, cpu_before: float, note: str) -> None:
    print(f"{name}={seconds:.2f} ({note}; cpu {cpu_s() - cpu_before:.1f} s)", flush=True)


def _size_mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


if __name__ == "__main__":
    main()
