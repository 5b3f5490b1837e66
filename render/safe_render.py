"""The safe re-render: what assembly does once more, encoding everything, when a reel failed QC.

Normal assembly copies the scene clips' video and the mixed audio as they are, so whatever is
wrong in them (an encoder's odd profile or frame rate, a size, a broken join, a loud mix) is
wrong in the reel. This run decodes the clips and the mixed audio and encodes them again with
settings that always give what QC asks for:

- video: libx264 on the CPU whatever the worker's encoder (NVENC included), the profile's
  preset and CRF, H.264 High, yuv420p, constant 30 fps, the profile's exact frame size
  (scaled to fit and padded), a keyframe every 2 s;
- audio: loudnorm to -14 LUFS with true peak under -2 dBTP, 48 kHz stereo AAC, padded or cut
  to the video's length;
- MP4 with faststart.

It costs a full encode of the reel (a few times the copy-only assembly), once, and only for
a reel that failed.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from render import runner
from render.assembly import write_concat_list
from render.clip_commands import BASE, frames_for
from render.encoder import VIDEO_TIMESCALE
from render.profiles import RenderProfile
from render.runner import DEFAULT_TIMEOUTS, ProgressCallback, Timeouts

SAFE_LUFS = -14.0
SAFE_PEAK_DBTP = -2.0  # loudnorm's own limit, with room for the AAC encoder's overshoot
KEYFRAME_EVERY_S = 2


def safe_assembly_cmd(
    *, concat_list: Path, audio_path: Path, out_path: Path, profile: RenderProfile, total_s: float
) -> list[str]:
    """Decode the joined clips and the mixed audio and encode both again (see module doc)."""
    width, height = profile.width, profile.height
    video = (
        f"[0:v]scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={profile.fps},format=yuv420p[v]"
    )
    audio = (
        f"[1:a]loudnorm=I={SAFE_LUFS:g}:TP={SAFE_PEAK_DBTP:g}:LRA=11,"
        "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad[a]"
    )
    gop = profile.fps * KEYFRAME_EVERY_S
    return [
        *BASE,
        "-f", "concat", "-safe", "0", "-i", str(concat_list),
        "-i", str(audio_path),
        "-filter_complex", f"{video};{audio}",
        "-map", "[v]", "-map", "[a]",
        "-c:v", "libx264", "-preset", profile.preset, "-crf", str(profile.crf),
        "-profile:v", "high", "-pix_fmt", "yuv420p", "-g", str(gop), "-keyint_min", str(gop),
        "-c:a", "aac", "-b:a", profile.audio_bitrate, "-ar", "48000", "-ac", "2",
        "-t", f"{total_s:.6f}",
        "-video_track_timescale", str(VIDEO_TIMESCALE),
        "-movflags", "+faststart", "-f", "mp4", str(out_path),
    ]  # fmt: skip


def safe_assemble(
    *,
    clips: Sequence[Path],
    scene_durations_ms: Sequence[int],
    audio_path: Path,
    out_path: Path,
    profile: RenderProfile,
    cancel: threading.Event | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    on_progress: ProgressCallback | None = None,
) -> Path:
    """The reel from its clips and mixed audio with every stream encoded again (atomic).
    Raises RenderError or RenderCanceled like any FFmpeg run."""
    total_s = sum(frames_for(d, profile.fps) for d in scene_durations_ms) / profile.fps
    with tempfile.TemporaryDirectory(prefix="safe-") as tmp:
        concat_list = write_concat_list(
            Path(tmp) / "clips.txt", clips=clips, durations_ms=scene_durations_ms, fps=profile.fps
        )
        return runner.run_to_file(
            lambda tmp_out: safe_assembly_cmd(
                concat_list=concat_list,
                audio_path=audio_path,
                out_path=tmp_out,
                profile=profile,
                total_s=total_s,
            ),
            Path(out_path),
            step="safe re-render",
            cancel=cancel,
            media_s=total_s,
            timeouts=timeouts,
            on_progress=on_progress,
        )
