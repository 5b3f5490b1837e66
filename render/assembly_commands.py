"""Pure FFmpeg command builders for the reel's audio and its assembly: argv lists, no files.

The audio is narration padded to each scene, music ducked under the voice, one measured gain
to -14 LUFS; assembly joins the scene clips with stream copy and muxes that audio.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from render.clip_commands import BASE, frames_for
from render.encoder import VIDEO_TIMESCALE
from render.profiles import AAC_CODERS, RenderProfile

MUSIC_GAIN = 0.35  # the bed sits ~9 dB under the voice before ducking
# Under the voice the bed dips by DUCK_DB more, whatever the voice's own level: a sidechain
# gate keyed by the voice opens (to the bed's level) while anyone speaks, and that much of
# its output is taken away from the bed. A sidechain compressor instead dips by however far
# the voice is over its threshold, so a quiet narration hardly ducks and a loud one buries
# the music.
DUCK_DB = 12.0
# The key is the voice raised 40 dB and clipped at 0.5: every sample over -46 dBFS counts
# the same, so the duck opens and lets go at the same moments for a quiet or a loud voice
# (a detector on the raw voice would hold a loud one's duck long after it stops).
DUCK_KEY_BOOST_DB = 40
DUCK_THRESHOLD = 0.1  # on the clipped key's RMS: speech, not digital silence or hiss
# Down in 20 ms when a line starts. The slow release holds the duck through the gaps between
# words, and below the threshold the gate works as a 2:1 expander, so after a line the bed
# comes back over about half a second instead of in one step.
DUCK_ATTACK_MS, DUCK_RELEASE_MS, DUCK_RATIO = 20, 800, 2
MUSIC_FADE_OUT_S = 1.5
SAMPLE_RATE = 48000
TARGET_LUFS = -14.0
# Aim under -1 dBTP so the AAC encoder's small overshoot still lands below it.
TARGET_PEAK_DBTP = -1.5
# The limiter works on samples; inter-sample peaks can sit ~0.5 dB above them.
LIMIT_DBFS = -2.0


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
            f"[{music}:a]{fmt},atrim=end={total_s:.3f},volume={MUSIC_GAIN},asplit=2[bed][bedkey]",
            *duck_graph(bed="[bedkey]", key="[vkey]", out="[under]"),
            "[vmix][bed][under]amix=inputs=3:duration=first:normalize=0[mix]",
            f"[mix]{fade},{loudness}[aout]",
        ]
    else:
        parts.append(f"[voice]{fade},{loudness}[aout]")
    return ";".join(parts)


def duck_graph(*, bed: str, key: str, out: str) -> list[str]:
    """Filter chains from the bed and the voice (`key`) to `out`, which mixed with the bed
    takes it DUCK_DB down while the voice speaks and leaves it alone in the gaps."""
    depth = 1 - 10 ** (-DUCK_DB / 20)
    return [
        f"{key}volume={DUCK_KEY_BOOST_DB}dB,asoftclip=type=hard:threshold=0.5[duckkey]",
        # range 0: the gate is shut in gaps and fully open under the voice; the gain it
        # applies is sample-aligned with the bed, so the subtraction is exact.
        f"{bed}[duckkey]sidechaingate=threshold={DUCK_THRESHOLD}:ratio={DUCK_RATIO}:range=0:knee=1"
        f":attack={DUCK_ATTACK_MS}:release={DUCK_RELEASE_MS},volume={-depth:.4f}{out}",
    ]


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
