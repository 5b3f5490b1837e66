"""Assembly: the reel's audio (narration, ducked music, -14 LUFS) and the joined reel.

    mix_audio(narration_paths=[...], scene_durations_ms=[...], music_path=None,
              out_path=audio_m4a, profile=profile)          # needs no clips
    assemble_reel(clips=[...], narration_paths=[...], scene_durations_ms=[...],
                  music_path=None, out_path=reel, profile=profile, audio_path=audio_m4a)
    write_thumbnail(clip_path=clips[0], out_path=thumb)
    write_scene_frames(video_path=reel, scene_durations_ms=[...], fps=30, out_dir=frames)
    write_subtitles(specs=[...], srt_path=..., vtt_path=..., profile=profile)

Assembly copies the clips' video; with `audio_path` from mix_audio it copies the audio too,
else it measures and encodes the audio itself. Every output is written under a temporary
name and renamed when complete. Errors are RenderError.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from render import assembly_commands, clip_commands, runner
from render.captions import CaptionStyle, caption_fit, story_cues, to_srt, to_vtt
from render.clip_commands import frames_for
from render.probe import check_output
from render.profiles import RenderProfile
from render.runner import DEFAULT_TIMEOUTS, ProgressCallback, RenderError, Timeouts
from render.scene_clips import SceneClipSpec


def measure_loudness(
    *,
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    fps: int = 30,
    cancel: threading.Event | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> dict[str, float]:
    """Integrated loudness and true peak of the reel's mixed audio (needs no clips)."""
    argv = assembly_commands.loudness_measure_cmd(
        narration_paths=narration_paths,
        scene_durations_ms=scene_durations_ms,
        music_path=music_path,
        fps=fps,
    )
    tail = runner.run_ffmpeg(
        argv,
        step="loudness",
        cancel=cancel,
        media_s=sum(scene_durations_ms) / 1000,
        timeouts=timeouts,
    )
    return _ebur128_summary(tail)


def mix_audio(
    *,
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    loudness: dict[str, float] | None = None,
    cancel: threading.Event | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
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
            timeouts=timeouts,
        )
    normalise = assembly_commands.normalise_filter(**loudness)
    return runner.run_to_file(
        lambda tmp: assembly_commands.audio_mix_cmd(
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
        media_s=sum(durations) / 1000,
        timeouts=timeouts,
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
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    on_progress: ProgressCallback | None = None,
) -> Path:
    """Join clips without re-encoding video and add the mixed, -14 LUFS audio (atomic).

    A missing narration (None) is silence for that scene; `loudness` from measure_loudness
    skips the measuring pass; `audio_path` from mix_audio is copied as it is (nothing is
    measured or encoded). Each FFmpeg run is stopped past its time limit; `on_progress`
    follows the joining run. The result is checked with ffprobe (RenderError if wrong).
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
            timeouts=timeouts,
        )
    normalise = "" if loudness is None else assembly_commands.normalise_filter(**loudness)
    total_s = sum(frames_for(d, profile.fps) for d in durations) / profile.fps
    with tempfile.TemporaryDirectory(prefix="assemble-") as tmp:
        concat_list = write_concat_list(
            Path(tmp) / "clips.txt", clips=clips, durations_ms=durations, fps=profile.fps
        )

        def build(tmp_out: Path) -> list[str]:
            return assembly_commands.assembly_cmd(
                concat_list=concat_list,
                narration_paths=voices,
                scene_durations_ms=durations,
                music_path=music_path,
                normalise=normalise,
                out_path=tmp_out,
                profile=profile,
                audio_path=audio_path,
            )

        runner.run_to_file(
            build,
            Path(out_path),
            step="assemble",
            cancel=cancel,
            media_s=total_s,
            timeouts=timeouts,
            on_progress=on_progress,
        )
    check_output(
        Path(out_path),
        expected_duration_s=total_s,
        width=profile.width,
        height=profile.height,
        fps=profile.fps,
    )
    return Path(out_path)


def write_thumbnail(
    *, clip_path: Path, out_path: Path, at_s: float = 1.0, timeouts: Timeouts = DEFAULT_TIMEOUTS
) -> Path:
    """A JPEG of the first scene, `at_s` seconds in (atomic)."""
    return runner.run_to_file(
        lambda tmp: clip_commands.thumbnail_cmd(clip_path=clip_path, out_path=tmp, at_s=at_s),
        Path(out_path),
        step="thumbnail",
        media_s=1 / 30,
        timeouts=timeouts,
    )


def write_scene_frames(
    *,
    video_path: Path,
    scene_durations_ms: Sequence[int],
    fps: int,
    out_dir: Path,
    into_s: float = 0.4,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> list[Path]:
    """A PNG per scene of a reel, `into_s` seconds after the scene starts (past its fade-in):
    how each scene opens, its headline and first caption included. Written atomically."""
    paths, at_s = [], 0.0
    for n, duration_ms in enumerate(scene_durations_ms, start=1):
        length_s = frames_for(duration_ms, fps) / fps
        when = at_s + min(into_s, max(0.0, length_s - 1 / fps))
        out = Path(out_dir) / f"scene-{n:02d}.png"
        paths.append(
            runner.run_to_file(
                functools.partial(_frame_cmd, video_path=video_path, at_s=when),
                out,
                step=f"frame of scene {n}",
                media_s=1 / fps,
                timeouts=timeouts,
            )
        )
        at_s += length_s
    return paths


def _frame_cmd(tmp: Path, *, video_path: Path, at_s: float) -> list[str]:
    return clip_commands.thumbnail_cmd(clip_path=video_path, out_path=tmp, at_s=at_s)


def write_subtitles(
    *, specs: Sequence[SceneClipSpec], srt_path: Path, vtt_path: Path, profile: RenderProfile
) -> list[Path]:
    """SRT and WebVTT files for the whole story, with the same pages as the burned captions."""
    offsets, at = [], 0
    for spec in specs:
        offsets.append(at)
        at += round(frames_for(spec.duration_ms, profile.fps) * 1000 / profile.fps)
    fit = caption_fit(
        profile.width, profile.height, specs[0].caption_style if specs else CaptionStyle()
    )
    cues = story_cues(
        scene_words=[s.words for s in specs],
        scene_offsets_ms=offsets,
        scene_durations_ms=[s.duration_ms for s in specs],
        max_units=fit.max_width,
        hold_ms=fit.style.hold_ms,
        width_of=fit.width_of,
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


def write_concat_list(
    path: Path, *, clips: Sequence[Path], durations_ms: Sequence[int], fps: int
) -> Path:
    """The concat demuxer's list of `clips`, each with its exact length in whole frames: left
    to the demuxer, the clips' container durations add a few ticks each and the joined stream
    averages 29.999 fps. Returns `path`."""
    path.write_text(
        "".join(
            f"file '{_concat_quote(Path(clip).resolve())}'\n"
            f"duration {frames_for(ms, fps) / fps:.6f}\n"
            for clip, ms in zip(clips, durations_ms, strict=True)
        ),
        encoding="utf-8",
    )
    return path


def _concat_quote(path: Path) -> str:
    return str(path).replace("'", "'\\''")
