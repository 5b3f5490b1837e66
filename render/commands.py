"""Pure FFmpeg command builders: each returns an argv list and touches no file.

Scene clips are video-only; assembly copies their video and builds all audio in one graph.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from render.encoder import VIDEO_TIMESCALE, video_encoder_args
from render.profiles import AAC_CODERS, FINAL_SIZES, WATERMARK_TEXT, RenderProfile

FADE_S = 0.25
MUSIC_GAIN = 0.35  # the bed sits ~9 dB under the voice before ducking
MUSIC_FADE_OUT_S = 1.5
SAMPLE_RATE = 48000
TARGET_LUFS = -14.0
# Aim under -1 dBTP so the AAC encoder's small overshoot still lands below it.
TARGET_PEAK_DBTP = -1.5
# The limiter works on samples; inter-sample peaks can sit ~0.5 dB above them.
LIMIT_DBFS = -2.0
FINAL_FOR = {
    size: final
    for final in FINAL_SIZES.values()
    for size in (final, (final[0] // 2, final[1] // 2))
}
BASE = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y"]


@dataclass(frozen=True)
class Pan:
    """A Ken Burns move: the view slides by (dx, dy) final-frame pixels every frame."""

    dx: int
    dy: int


# Varied by scene index so consecutive scenes never repeat the same move.
MOTIONS = (Pan(1, 0), Pan(0, -1), Pan(-1, 0), Pan(0, 1), Pan(1, 1), Pan(-1, -1))
# A pan longer than this share of a short side would crop too much of the picture; such
# scenes pan along the long side instead.
MAX_PAN_SHARE = 0.2


def frames_for(duration_ms: int, fps: int) -> int:
    """Whole frames in a scene; audio is cut to the same length so A/V stay equal."""
    return max(2, round(duration_ms * fps / 1000))


def image_scene_cmd(
    *,
    image_path: Path,
    ass_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    index: int,
    duration_ms: int,
    fonts_dir: Path,
    font_file: Path,
    threads: int = 0,
) -> list[str]:
    """A video-only clip from a still: scale once, whole-pixel Ken Burns pan, captions, fades."""
    frames = frames_for(duration_ms, profile.fps)
    pan = _pan_graph(MOTIONS[index % len(MOTIONS)], profile, frames)
    finish = ",".join(_finish(ass_path, profile, frames, fonts_dir, font_file))
    return [
        *BASE,
        "-i",
        str(image_path),
        "-filter_complex",
        f"[0:v]{pan}[pan];[pan]{finish}[v]",
        "-map",
        "[v]",
        "-frames:v",
        str(frames),
        "-an",
        *video_encoder_args(encoder=encoder, profile=profile, threads=threads),
        "-f",
        "mp4",
        str(out_path),
    ]


def video_scene_cmd(
    *,
    video_path: Path,
    ass_path: Path | None,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    duration_ms: int,
    fonts_dir: Path,
    font_file: Path,
    threads: int = 0,
) -> list[str]:
    """A video-only clip from a video: loop/trim to length, cover-crop, captions, fades."""
    frames = frames_for(duration_ms, profile.fps)
    w, h = profile.width, profile.height
    chain = [
        f"fps={profile.fps}",
        # Trim before scaling so frames past the end are never scaled.
        f"trim=end_frame={frames}",
        f"scale={w}:{h}:force_original_aspect_ratio=increase",
        f"crop={w}:{h}",
        "setsar=1",
        "format=yuv420p",
        f"setpts=N/({profile.fps}*TB)",
        *_finish(ass_path, profile, frames, fonts_dir, font_file),
    ]
    return [
        *BASE,
        "-stream_loop",
        "-1",
        "-i",
        str(video_path),
        "-filter_complex",
        f"[0:v]{','.join(chain)}[v]",
        "-map",
        "[v]",
        "-frames:v",
        str(frames),
        "-an",
        *video_encoder_args(encoder=encoder, profile=profile, threads=threads),
        "-f",
        "mp4",
        str(out_path),
    ]


def narration_graph(
    *,
    first_input: int,
    voiced: Sequence[bool],
    scene_durations_ms: Sequence[int],
    has_music: bool,
    fps: int,
    loudness: str,
) -> str:
    """The audio filter graph: voice per scene padded to its clip, ducked music, fade, `loudness`.

    Ends in the label [aout]. Inputs are numbered from `first_input`: one per voiced scene,
    then music; a scene that is not voiced gets generated silence.
    """
    total_s = sum(frames_for(d, fps) for d in scene_durations_ms) / fps
    fmt = f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"
    parts = []
    next_input = first_input
    for i, duration_ms in enumerate(scene_durations_ms):
        samples = round(frames_for(duration_ms, fps) / fps * SAMPLE_RATE)
        source = ""
        if voiced[i]:
            source, next_input = f"[{next_input}:a]", next_input + 1
        # Each voice track is padded with silence (or cut) to exactly its clip's length.
        parts.append(
            f"{source}{fmt},apad,atrim=end_sample={samples},asetpts=N/SR/TB[n{i}]"
            if source
            else f"anullsrc=r={SAMPLE_RATE}:cl=stereo,atrim=end_sample={samples}[n{i}]"
        )
    joined = "".join(f"[n{i}]" for i in range(len(scene_durations_ms)))
    parts.append(f"{joined}concat=n={len(scene_durations_ms)}:v=0:a=1[voice]")
    fade = f"afade=t=out:st={max(0.0, total_s - MUSIC_FADE_OUT_S):.3f}:d={MUSIC_FADE_OUT_S}"
    if has_music:
        music = next_input
        parts += [
            "[voice]asplit=2[vmix][vkey]",
            f"[{music}:a]{fmt},atrim=end={total_s:.3f},volume={MUSIC_GAIN}[bed]",
            # The voice keys the compressor: the bed dips while someone speaks.
            "[bed][vkey]sidechaincompress=threshold=0.02:ratio=6:attack=20:release=400[ducked]",
            "[vmix][ducked]amix=inputs=2:duration=first:normalize=0[mix]",
            f"[mix]{fade},{loudness}[aout]",
        ]
    else:
        parts.append(f"[voice]{fade},{loudness}[aout]")
    return ";".join(parts)


def _audio_inputs(narration_paths: Sequence[Path | None], music_path: Path | None) -> list[str]:
    argv = []
    for path in narration_paths:
        if path is not None:
            argv += ["-i", str(path)]
    if music_path is not None:
        argv += ["-stream_loop", "-1", "-i", str(music_path)]
    return argv


def loudness_measure_cmd(
    *,
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    fps: int,
) -> list[str]:
    """Measure the mixed audio (no video decode) with ebur128; its summary goes to stderr."""
    graph = narration_graph(
        first_input=0,
        voiced=[p is not None for p in narration_paths],
        scene_durations_ms=scene_durations_ms,
        has_music=music_path is not None,
        fps=fps,
        loudness="ebur128=peak=true:framelog=verbose",
    )
    return [
        "ffmpeg",
        "-nostdin",
        "-hide_banner",
        "-v",
        "info",
        "-y",
        *_audio_inputs(narration_paths, music_path),
        "-filter_complex",
        graph,
        "-map",
        "[aout]",
        "-f",
        "null",
        "-",
    ]


def normalise_filter(*, integrated_lufs: float, true_peak_dbtp: float) -> str:
    """Gain to the target loudness; a sample limiter only when that gain would clip peaks.

    A single measured gain is exact and keeps dynamics, where loudnorm's dynamic mode
    would pump; the limiter touches only the few peaks above the ceiling.
    """
    gain_db = TARGET_LUFS - integrated_lufs
    steps = [f"volume={gain_db:.2f}dB"]
    if true_peak_dbtp + gain_db > TARGET_PEAK_DBTP:
        limit = 10 ** (LIMIT_DBFS / 20)
        steps.append(f"alimiter=limit={limit:.4f}:level=false:attack=5:release=50:latency=1")
    return ",".join(steps)


def _mixed_audio_args(
    *,
    first_input: int,
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    normalise: str,
    profile: RenderProfile,
) -> tuple[list[str], list[str]]:
    """(inputs, graph and AAC output args) for the mixed, normalised audio of the reel."""
    total_samples = round(
        sum(frames_for(d, profile.fps) for d in scene_durations_ms) / profile.fps * SAMPLE_RATE
    )
    # Cut to exactly the video's length: A/V lengths then agree to the sample.
    finish = f"{normalise},apad,atrim=end_sample={total_samples}"
    graph = narration_graph(
        first_input=first_input,
        voiced=[p is not None for p in narration_paths],
        scene_durations_ms=scene_durations_ms,
        has_music=music_path is not None,
        fps=profile.fps,
        loudness=finish,
    )
    output = [
        "-filter_complex",
        graph,
        "-map",
        "[aout]",
        "-c:a",
        "aac",
        "-aac_coder",
        AAC_CODERS.get(profile.name, "twoloop"),
        "-b:a",
        profile.audio_bitrate,
        "-ar",
        str(SAMPLE_RATE),
        "-ac",
        "2",
    ]
    return _audio_inputs(narration_paths, music_path), output


def audio_mix_cmd(
    *,
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    normalise: str,
    out_path: Path,
    profile: RenderProfile,
) -> list[str]:
    """The reel's mixed, normalised audio alone as AAC in MP4 (.m4a), for assembly to copy.

    Needs no clips, so render_reel runs it while the scene clips are still encoding.
    """
    inputs, output = _mixed_audio_args(
        first_input=0,
        narration_paths=narration_paths,
        scene_durations_ms=scene_durations_ms,
        music_path=music_path,
        normalise=normalise,
        profile=profile,
    )
    return [*BASE, *inputs, *output, "-vn", "-f", "mp4", str(out_path)]


def assembly_cmd(
    *,
    concat_list: Path,
    narration_paths: Sequence[Path | None],
    scene_durations_ms: Sequence[int],
    music_path: Path | None,
    normalise: str,
    out_path: Path,
    profile: RenderProfile,
    audio_path: Path | None = None,
) -> list[str]:
    """Join the clips with stream copy and mux the mixed, loudness-normalised audio.

    With `audio_path` (from audio_mix_cmd) the audio is copied too: nothing is encoded.
    """
    if audio_path is not None:
        audio = ["-i", str(audio_path), "-map", "0:v", "-map", "1:a", "-c:a", "copy"]
    else:
        inputs, output = _mixed_audio_args(
            first_input=1,
            narration_paths=narration_paths,
            scene_durations_ms=scene_durations_ms,
            music_path=music_path,
            normalise=normalise,
            profile=profile,
        )
        audio = [*inputs, "-map", "0:v", *output]
    return [
        *BASE,
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        str(concat_list),
        *audio,
        "-c:v",
        "copy",
        "-video_track_timescale",
        str(VIDEO_TIMESCALE),
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        str(out_path),
    ]


def thumbnail_cmd(*, clip_path: Path, out_path: Path, at_s: float = 1.0) -> list[str]:
    """One JPEG frame from a clip, `at_s` seconds in."""
    return [
        *BASE,
        "-ss",
        f"{at_s:.3f}",
        "-i",
        str(clip_path),
        "-frames:v",
        "1",
        "-q:v",
        "3",
        "-update",
        "1",
        "-f",
        "image2",
        str(out_path),
    ]


def _finish(
    ass_path: Path | None, profile: RenderProfile, frames: int, fonts_dir: Path, font_file: Path
) -> list[str]:
    duration_s = frames / profile.fps
    steps = []
    if ass_path is not None:
        steps.append(f"ass=filename={_arg(ass_path)}:fontsdir={_arg(fonts_dir)}")
    if profile.watermark:
        size = round(profile.height * 0.03)
        steps.append(
            f"drawtext=fontfile={_arg(font_file)}:text={WATERMARK_TEXT}:fontsize={size}"
            ":fontcolor=white@0.55:borderw=2:bordercolor=black@0.4:x=w-tw-h*0.03:y=h*0.16"
        )
    # Short fades only: a dip to black longer than 0.5 s would read as a black-frame hole.
    steps.append(f"fade=t=in:st=0:d={FADE_S}")
    steps.append(f"fade=t=out:st={duration_s - FADE_S:.3f}:d={FADE_S}")
    return steps


def _pan_graph(pan: Pan, profile: RenderProfile, frames: int) -> str:
    """The still, scaled once and moved by whole pixels: a filtergraph from [0:v] to a label.

    The view is cut in 4:2:0 without converting a frame per output frame: the canvas is
    converted once as it is (for views at even offsets) and once shifted by one pixel along
    the moving axes (for odd offsets), so every cut falls on a chroma sample and colour moves
    in step with luma. Each output frame is a pointer crop of one of the two, taken in turn.
    """
    w, h = profile.width, profile.height
    final_w, final_h = FINAL_FOR[(w, h)]
    if pan.dx and frames - 1 > MAX_PAN_SHARE * final_w and final_h > final_w:
        pan = Pan(0, pan.dy or -pan.dx)
    if pan.dy and frames - 1 > MAX_PAN_SHARE * final_h and final_w > final_h:
        pan = Pan(pan.dx or pan.dy, 0)
    # Speeds are in final-frame pixels: a half-size preview moves half as fast, so it frames
    # the picture exactly like the final (stepping one pixel every other frame).
    scale = w / final_w
    travel = math.ceil((frames - 1) * scale)
    canvas_w, canvas_h = w + travel * abs(pan.dx), h + travel * abs(pan.dy)

    def offset(speed: int) -> str:
        moved = f"floor(n*{scale * abs(speed):g})"
        return "0" if speed == 0 else moved if speed > 0 else f"{travel}-{moved}"

    x, y = offset(pan.dx), offset(pan.dy)
    # The still is scaled once to a canvas just big enough for the whole move, then
    # repeated; only a crop runs per frame.
    head = (
        f"scale={canvas_w}:{canvas_h}:force_original_aspect_ratio=increase:flags=lanczos,"
        f"crop={canvas_w}:{canvas_h},setsar=1,format=yuv444p"
    )
    # A timebase of one frame gives every frame its own whole-number timestamp (the image's
    # 1/25 would round some together), which the interleave below orders frames by.
    repeat = (
        f"loop=loop={frames - 1}:size=1:start=0,settb=1/{profile.fps},setpts=N/({profile.fps}*TB)"
    )
    # Whole pixels at a constant speed: exact motion, no zoompan rounding jitter.
    view = f"crop=w={w}:h={h}:x='{x}':y='{y}':exact=1"
    if pan.dx and pan.dy and x != y:
        # The two offsets would not share their parity: cut in 4:4:4, convert every frame.
        return f"{head},{repeat},{view},format=yuv420p"
    parity = f"mod({x if pan.dx else y},2)"
    sx, sy = int(pan.dx != 0), int(pan.dy != 0)
    shifted = f"crop={canvas_w - sx}:{canvas_h - sy}:{sx}:{sy},format=yuv420p"
    odd_view = (
        f"crop=w={w}:h={h}:x='{x}-{sx}':y='{y}-{sy}':exact=1"
        if sx and sy
        else f"crop=w={w}:h={h}:x='{x}-1':y='{y}':exact=1"
        if sx
        else f"crop=w={w}:h={h}:x='{x}':y='{y}-1':exact=1"
    )
    return (
        f"{head},split=2[even][odd];"
        f"[even]format=yuv420p,{repeat},{view},select='eq({parity},0)'[pe];"
        f"[odd]{shifted},{repeat},{odd_view},select='eq({parity},1)'[po];"
        "[pe][po]interleave=nb_inputs=2"
    )


def _arg(path: Path) -> str:
    # Two levels of escaping: the option value, then the filtergraph around it.
    value = str(path).replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")
    for ch in "\\'[],;":
        value = value.replace(ch, "\\" + ch)
    return value
