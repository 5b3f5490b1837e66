"""A whole reel in one call: the clips not rendered yet, the audio beside them, assembly.

    render_reel([spec, ...], clip_paths=[...], music_path=None, out_path=reel,
                profile=profile, encoder=encoder, workers=2, cancel=event)

Name `clip_paths` by scene_render_key and an existing file is a valid cached clip. The
worker path (one job per scene, then assembly) is scenes.services.rendering.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from render import runner
from render.assembly import assemble_reel, mix_audio
from render.profiles import RenderProfile
from render.scene_clips import SceneClipSpec, render_scene_clips


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
            cancel=runner.either(stop, cancel),
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
