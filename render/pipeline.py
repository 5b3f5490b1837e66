"""The renderer's interface for services and workers; pure (no ORM, no settings).

    spec = SceneClipSpec(index=0, visual_path=..., visual_kind="image", duration_ms=4200,
                         words=(...), narration_audio_path=...)
    render_scene_clips([spec, ...], out_paths=[...], profile=profile_for("final", "9:16"),
                       encoder=probe_encoder(None), workers=2, cancel=event)
    assemble_reel(clips=[...], narration_paths=[...], scene_durations_ms=[...],
                  music_path=None, out_path=reel, profile=profile)
    # the audio alone, while clips render; assembly then copies it (nothing re-encoded):
    mix_audio(narration_paths=[...], scene_durations_ms=[...], music_path=None,
              out_path=audio_m4a, profile=profile)
    assemble_reel(..., audio_path=audio_m4a)
    # or all at once, reusing clips that already exist (name them by scene_render_key):
    render_reel([spec, ...], clip_paths=[...], music_path=None, out_path=reel,
                profile=profile, encoder=encoder, workers=2, cancel=event)
    write_thumbnail(clip_path=clips[0], out_path=thumb)
    write_subtitles(specs=[...], srt_path=..., vtt_path=...)

Scene clips are video only and share codec, size, fps and timebase; assembly copies them and
builds the audio (narration padded to each scene, ducked music, -14 LUFS). Every output is
written under a temporary name and renamed when complete. Errors are RenderError.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from render import commands, runner
from render.captions import CaptionStyle, build_ass, story_cues, to_srt, to_vtt
from render.fonts import font_path
from render.probe import check_output
from render.profiles import RenderProfile
from render.runner import RenderError
from render.types import WordTiming


@dataclass(frozen=True)
class SceneClipSpec:
    """Everything one scene clip is made of; the same spec always renders the same clip."""

    index: int
    visual_path: Path
    visual_kind: str  # "image" | "video"
    duration_ms: int  # the whole scene, its pause after the voice included
    words: tuple[WordTiming, ...] = ()
    narration_audio_path: Path | None = None
    language: str = "ko"
    style: str = "default"
    caption_style: CaptionStyle = field(default_factory=CaptionStyle)


def render_scene_clip(
    spec: SceneClipSpec,
    *,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    threads: int = 0,
    cancel: threading.Event | None = None,
) -> Path:
    """Render one video-only scene clip to `out_path` (atomic). Raises RenderError/FontMissing."""
    if spec.visual_kind not in ("image", "video"):
        raise RenderError(f"scene {spec.index}", f"unknown visual kind {spec.visual_kind!r}")
    if not Path(spec.visual_path).is_file():
        raise RenderError(
            f"scene {spec.index}", f"visual {spec.visual_path} is missing; generate it again."
        )
    font = font_path(bold=True)
    with _sharing_cores(threads) as threads, tempfile.TemporaryDirectory(prefix="captions-") as tmp:
        # libass loads every font in fontsdir; the system folder holds ~80 MB of CJK
        # collections, so a folder with just our one face saves that per clip.
        fonts_dir = Path(tmp) / "fonts"
        fonts_dir.mkdir()
        (fonts_dir / font.name).symlink_to(font)
        ass_path = None
        if spec.words:
            ass_path = Path(tmp) / f"scene{spec.index}.ass"
            ass_path.write_text(
                build_ass(
                    words=spec.words,
                    width=profile.width,
                    height=profile.height,
                    duration_ms=spec.duration_ms,
                    style=spec.caption_style,
                ),
                encoding="utf-8",
            )
        common = {
            "ass_path": ass_path,
            "profile": profile,
            "encoder": encoder,
            "duration_ms": spec.duration_ms,
            "fonts_dir": fonts_dir,
            "font_file": font,
            "threads": threads,
        }

        def build(tmp_out: Path) -> list[str]:
            if spec.visual_kind == "image":
                return commands.image_scene_cmd(
                    image_path=spec.visual_path, out_path=tmp_out, index=spec.index, **common
                )
            return commands.video_scene_cmd(video_path=spec.visual_path, out_path=tmp_out, **common)

        return runner.run_to_file(build, Path(out_path), step=f"scene {spec.index}", cancel=cancel)


_running_lock = threading.Lock()
_running = 0


@contextlib.contextmanager
def _sharing_cores(threads: int) -> Iterator[int]:
    """`threads` for this render; 0 (auto) becomes a fair share of the cores while other
    renders run in this process (a worker rendering scenes in threads), since one x264
    thread per process beats several processes each starting a thread per core."""
    global _running
    with _running_lock:
        _running += 1
        running = _running
    try:
        if threads == 0 and running > 1:
            threads = max(1, (os.cpu_count() or 1) // running)
        yield threads
    finally:
        with _running_lock:
            _running -= 1


def render_scene_clips(
    specs: Sequence[SceneClipSpec],
    *,
    out_paths: Sequence[Path],
    profile: RenderProfile,
    encoder: str,
    workers: int = 2,
    cancel: threading.Event | None = None,
) -> list[Path]:
    """Render clips in parallel, `workers` FFmpeg processes at a time; the first error cancels
    the rest and is raised."""
    stop = threading.Event()
    workers = max(1, min(workers, len(specs)))
    # One encoder thread per worker keeps the cores busy without frame-thread overhead; a
    # lone worker (one scene or one process) may use every core.
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else 0

    def one(spec: SceneClipSpec, out: Path) -> Path:
        if stop.is_set() or (cancel is not None and cancel.is_set()):
            raise runner.RenderCanceled(f"scene {spec.index}")
        return render_scene_clip(
            spec,
            out_path=out,
            profile=profile,
            encoder=encoder,
            threads=threads,
            cancel=_either(stop, cancel),
        )

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="render") as pool:
        futures = [pool.submit(one, s, Path(o)) for s, o in zip(specs, out_paths, strict=True)]
        try:
            return [f.result() for f in futures]
        except BaseException:
            stop.set()
            raise


def measure_loudness(
    *,
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    fps: int = 30,
    cancel: threading.Event | None = None,
) -> dict[str, float]:
    """Integrated loudness and true peak of the reel's mixed audio (needs no clips)."""
    argv = commands.loudness_measure_cmd(
        narration_paths=narration_paths,
        scene_durations_ms=scene_durations_ms,
        music_path=music_path,
        fps=fps,
    )
    return _ebur128_summary(runner.run_ffmpeg(argv, step="loudness", cancel=cancel))


def mix_audio(
    *,
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    loudness: dict[str, float] | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """The reel's audio alone (narration, ducked music, -14 LUFS) as AAC in `out_path` (.m4a).

    It needs no clips, so it can be made while they render; assemble_reel(audio_path=...)
    then copies it. `loudness` from measure_loudness skips the measuring pass.
    """
    voices, durations = list(narration_paths), list(scene_durations_ms)
    if loudness is None:
        loudness = measure_loudness(
            narration_paths=voices,
            scene_durations_ms=durations,
            music_path=music_path,
            fps=profile.fps,
            cancel=cancel,
        )
    normalise = commands.normalise_filter(**loudness)
    return runner.run_to_file(
        lambda tmp: commands.audio_mix_cmd(
            narration_paths=voices,
            scene_durations_ms=durations,
            music_path=music_path,
            normalise=normalise,
            out_path=tmp,
            profile=profile,
        ),
        Path(out_path),
        step="audio",
        cancel=cancel,
    )


def assemble_reel(
    *,
    clips: Sequence[Path],
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    loudness: dict[str, float] | None = None,
    cancel: threading.Event | None = None,
    audio_path: Path | None = None,
) -> Path:
    """Join clips without re-encoding video and add the mixed, -14 LUFS audio (atomic).

    A missing narration (None) is silence for that scene; `loudness` from measure_loudness
    skips the measuring pass; `audio_path` from mix_audio is copied as it is (nothing is
    measured or encoded). The result is checked with ffprobe (RenderError if wrong).
    """
    if not (len(clips) == len(narration_paths) == len(scene_durations_ms)) or not clips:
        raise RenderError("assemble", "clips, narrations and durations must match one to one.")
    voices, durations = list(narration_paths), list(scene_durations_ms)
    if loudness is None and audio_path is None:
        loudness = measure_loudness(
            narration_paths=voices,
            scene_durations_ms=durations,
            music_path=music_path,
            fps=profile.fps,
            cancel=cancel,
        )
    with tempfile.TemporaryDirectory(prefix="assemble-") as tmp:
        concat_list = Path(tmp) / "clips.txt"
        # Each clip's exact length in whole frames: left to the demuxer, the clips' container
        # durations add a few ticks each and the joined stream averages 29.999 fps.
        concat_list.write_text(
            "".join(
                f"file '{_concat_quote(Path(c).resolve())}'\n"
                f"duration {commands.frames_for(d, profile.fps) / profile.fps:.6f}\n"
                for c, d in zip(clips, durations, strict=True)
            ),
            encoding="utf-8",
        )

        def build(tmp_out: Path) -> list[str]:
            return commands.assembly_cmd(
                concat_list=concat_list,
                narration_paths=voices,
                scene_durations_ms=durations,
                music_path=music_path,
                normalise="" if loudness is None else commands.normalise_filter(**loudness),
                out_path=tmp_out,
                profile=profile,
                audio_path=audio_path,
            )

        runner.run_to_file(build, Path(out_path), step="assemble", cancel=cancel)
    total_s = sum(commands.frames_for(d, profile.fps) for d in durations) / profile.fps
    check_output(
        Path(out_path),
        expected_duration_s=total_s,
        width=profile.width,
        height=profile.height,
        fps=profile.fps,
    )
    return Path(out_path)


def render_reel(
    specs: Sequence[SceneClipSpec],
    *,
    clip_paths: Sequence[Path],
    music_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    workers: int = 2,
    cancel: threading.Event | None = None,
) -> Path:
    """Render the clips that do not exist yet, then assemble the reel (atomic).

    Name `clip_paths` by scene_render_key and an existing file is a valid cached clip, so an
    edit re-renders only the scenes whose key changed. The audio is measured and encoded
    meanwhile, so assembly only copies streams.
    """
    todo = [(s, Path(p)) for s, p in zip(specs, clip_paths, strict=True) if not Path(p).exists()]
    # Longest first: the last clip to start is a short one, so no core idles at the end.
    todo.sort(key=lambda item: -item[0].duration_ms)
    voices = [s.narration_audio_path for s in specs]
    durations = [s.duration_ms for s in specs]
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=".audio-", dir=Path(out_path).parent) as tmp,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="audio") as side,
    ):
        # The audio needs no clips, so it overlaps the video renders: it costs ~1 s of one
        # core (mostly the AAC encoder) that would otherwise run alone after them.
        stop = threading.Event()
        audio = side.submit(
            mix_audio,
            narration_paths=voices,
            scene_durations_ms=durations,
            music_path=music_path,
            out_path=Path(tmp) / "audio.m4a",
            profile=profile,
            cancel=_either(stop, cancel),
        )
        try:
            if todo:
                render_scene_clips(
                    [s for s, _ in todo],
                    out_paths=[p for _, p in todo],
                    profile=profile,
                    encoder=encoder,
                    workers=workers,
                    cancel=cancel,
                )
        except BaseException:
            stop.set()  # a failed or canceled render stops the audio too
            raise
        mixed = audio.result()
        return assemble_reel(
            clips=clip_paths,
            narration_paths=voices,
            scene_durations_ms=durations,
            music_path=music_path,
            out_path=out_path,
            profile=profile,
            audio_path=mixed,
            cancel=cancel,
        )


def write_thumbnail(*, clip_path: Path, out_path: Path, at_s: float = 1.0) -> Path:
    """A JPEG of the first scene, `at_s` seconds in (atomic)."""
    return runner.run_to_file(
        lambda tmp: commands.thumbnail_cmd(clip_path=clip_path, out_path=tmp, at_s=at_s),
        Path(out_path),
        step="thumbnail",
    )


def write_subtitles(
    *, specs: Sequence[SceneClipSpec], srt_path: Path, vtt_path: Path, profile: RenderProfile
) -> list[Path]:
    """SRT and WebVTT files for the whole story, with the same pages as the burned captions."""
    offsets, at = [], 0
    for spec in specs:
        offsets.append(at)
        at += round(commands.frames_for(spec.duration_ms, profile.fps) * 1000 / profile.fps)
    style = specs[0].caption_style if specs else CaptionStyle()
    cues = story_cues(
        scene_words=[s.words for s in specs],
        scene_offsets_ms=offsets,
        scene_durations_ms=[s.duration_ms for s in specs],
        max_units=style.max_line_units(profile.width, profile.height),
        hold_ms=style.hold_ms,
    )
    for path, text in ((srt_path, to_srt(cues)), (vtt_path, to_vtt(cues))):
        tmp = Path(path).with_name(f".{Path(path).name}.part")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return [Path(srt_path), Path(vtt_path)]


def _ebur128_summary(stderr_tail: str) -> dict[str, float]:
    integrated = re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", stderr_tail)
    peak = re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", stderr_tail)
    if not integrated or not peak:
        raise RenderError("loudness", f"ebur128 printed no summary:\n{stderr_tail}")
    if integrated[-1] == "-inf" or float(integrated[-1]) < -70:
        # All silence: no gain can reach the target, so leave the level alone.
        return {"integrated_lufs": -14.0, "true_peak_dbtp": -100.0}
    return {"integrated_lufs": float(integrated[-1]), "true_peak_dbtp": float(peak[-1])}


def _concat_quote(path: Path) -> str:
    return str(path).replace("'", "'\\''")


def _either(a: threading.Event, b: threading.Event | None) -> threading.Event:
    if b is None:
        return a
    # runner.run_ffmpeg polls one Event; a bridging thread would be heavier than this view.
    return _AnyEvent(a, b)


class _AnyEvent(threading.Event):
    def __init__(self, *events: threading.Event):
        super().__init__()
        self._events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self._events)
