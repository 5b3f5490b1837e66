"""Scene clips: one FFmpeg run per scene, video only, atomic; several at once in threads.

    spec = SceneClipSpec(index=0, visual_path=..., visual_kind="image", duration_ms=4200,
                         words=(...), narration_audio_path=...)
    render_scene_clip(spec, out_path=clip, profile=profile_for("final", "9:16"),
                      encoder=probe_encoder(None), threads=1, cancel=event)
    render_scene_clips([spec, ...], out_paths=[...], profile=profile, encoder=encoder,
                       workers=2, cancel=event)
    specs = with_lead_ins(specs)   # each scene dissolves from the one before (render.motion)

Every clip of a story shares codec, size, fps and timebase, so assembly copies them.
Errors are RenderError (FontMissing when the caption font is not installed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from render import clip_commands, layout, runner
from render.captions import CaptionStyle, build_ass, caption_blocks, headline_block
from render.fonts import font_path
from render.motion import LeadIn, StillRun, lead_in_run
from render.profiles import RenderProfile
from render.qc_scan import write_scan
from render.runner import DEFAULT_TIMEOUTS, ProgressCallback, RenderError, Timeouts
from render.still_frames import still_feed
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
    headline: str = ""  # the key phrase, drawn over the picture for the whole scene
    lead_in: LeadIn | None = None  # the previous scene, dissolved from; None: a hard start


def scene_text_blocks(spec: SceneClipSpec, profile: RenderProfile) -> list[layout.TextBlock]:
    """Every text box the scene's clip draws (headline, then caption pages), as laid out."""
    head = headline_block(spec.headline, profile.width, profile.height, spec.caption_style)
    captions = caption_blocks(
        words=spec.words,
        width=profile.width,
        height=profile.height,
        duration_ms=spec.duration_ms,
        style=spec.caption_style,
    )
    return [*([head] if head else []), *captions]


def text_layout_checks(
    specs: Sequence[SceneClipSpec], profile: RenderProfile
) -> list[tuple[str, str, float, float, str]]:
    """QC rows (name, status, measured, limit, message): every headline and caption box of
    every scene lies inside the title-safe area of the profile's frame."""
    blocks = [
        layout.TextBlock(f"scene {s.index + 1} {b.name}", b.lines, b.size, b.box, b.pad)
        for s in specs
        for b in scene_text_blocks(s, profile)
    ]
    if profile.ai_label:
        blocks.append(layout.ai_label_block(profile.ai_label, profile.width, profile.height))
    return layout.text_box_checks(blocks, profile.width, profile.height)


def with_lead_ins(specs: Iterable[SceneClipSpec]) -> list[SceneClipSpec]:
    """The story's specs, each but the first opening with a dissolve from the one before."""
    specs = list(specs)
    linked = specs[:1]
    for previous, spec in itertools.pairwise(specs):
        lead_in = LeadIn(
            index=previous.index,
            visual_path=previous.visual_path,
            visual_kind=previous.visual_kind,
            duration_ms=previous.duration_ms,
        )
        linked.append(dataclasses.replace(spec, lead_in=lead_in))
    return linked


def render_scene_clip(
    spec: SceneClipSpec,
    *,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    threads: int = 0,
    cancel: threading.Event | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    on_progress: ProgressCallback | None = None,
    scan_path: Path | None = None,
) -> Path:
    """Render one video-only scene clip to `out_path` (atomic), stopped past its time limit;
    `on_progress(fraction)` follows the encode; with `scan_path`, the clip's black and frozen
    spans are written there (render.qc_scan.ClipScan JSON) from the same run. Raises
    RenderError/FontMissing."""
    if spec.visual_kind not in ("image", "video"):
        raise RenderError(f"scene {spec.index}", f"unknown visual kind {spec.visual_kind!r}")
    if not Path(spec.visual_path).is_file():
        raise RenderError(
            f"scene {spec.index}", f"visual {spec.visual_path} is missing; generate it again."
        )
    family = spec.caption_style.font_family
    font = font_path(bold=True, family=family)
    faces = {font, font_path(bold=spec.caption_style.bold, family=family)}
    with (
        _sharing_cores(threads) as shared_threads,
        tempfile.TemporaryDirectory(prefix="captions-") as tmp,
    ):
        # libass loads every font in fontsdir; the system folder holds ~80 MB of CJK
        # collections, so a folder with just our one face saves that per clip.
        fonts_dir = Path(tmp) / "fonts"
        fonts_dir.mkdir()
        scan_log = Path(tmp) / "scan.log" if scan_path is not None else None
        for face in faces:
            (fonts_dir / face.name).symlink_to(face)
        # The headline belongs to the artwork's design; `include_captions` drops only the words.
        words = spec.words if profile.captions else ()
        text = ""
        if words or spec.headline.strip():
            text = build_ass(
                words=words,
                width=profile.width,
                height=profile.height,
                duration_ms=spec.duration_ms,
                style=spec.caption_style,
                headline=spec.headline,
            )
        frames = clip_commands.frames_for(spec.duration_ms, profile.fps)
        # A still's dissolve from a still is made with its frames (render.still_frames); a
        # video on either side dissolves in FFmpeg, the still's frames on a pipe of their own.
        lead_run = lead_in_run(spec.lead_in, profile=profile, frames=frames)
        lead_in = spec.lead_in
        # The text goes over the finished picture: drawn with a still's frames when they
        # are the whole picture (render.text_layer), else by FFmpeg after the dissolve.
        python_text = spec.visual_kind == "image" and (lead_in is None or lead_run is not None)
        ass_path = None
        if text and not python_text:
            ass_path = Path(tmp) / f"scene{spec.index}.ass"
            ass_path.write_text(text, encoding="utf-8")
        picture = lead = None
        if spec.visual_kind == "image":
            own = StillRun(spec.visual_path, spec.index, frames, first=0, count=frames)
            picture = still_feed(own, profile, under=lead_run, text=text if python_text else "")
            if lead_run is not None:
                lead_in = None
        elif lead_run is not None:
            lead = still_feed(lead_run, profile)
        feeds = [feed for feed in (picture, lead) if feed is not None]
        common: dict[str, Any] = {
            "ass_path": ass_path,
            "profile": profile,
            "encoder": encoder,
            "duration_ms": spec.duration_ms,
            "fonts_dir": fonts_dir,
            "font_file": font,
            "threads": shared_threads,
            "lead_in": lead_in,
            "lead_url": lead.url if lead is not None else "",
            "scan_log": scan_log,
        }

        def build(tmp_out: Path) -> list[str]:
            if picture is not None:
                return clip_commands.image_scene_cmd(
                    picture_url=picture.url, out_path=tmp_out, **common
                )
            return clip_commands.video_scene_cmd(
                video_path=spec.visual_path, out_path=tmp_out, **common
            )

        runner.run_to_file(
            build,
            Path(out_path),
            step=f"scene {spec.index}",
            cancel=cancel,
            media_s=spec.duration_ms / 1000,
            timeouts=timeouts,
            on_progress=on_progress,
            feeds=feeds,
        )
        if scan_path is not None and scan_log is not None:
            write_scan(scan_log, Path(scan_path), frames=frames, fps=profile.fps)
        return Path(out_path)


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
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
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
            cancel=runner.either(stop, cancel),
            timeouts=timeouts,
        )

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="render") as pool:
        futures = [pool.submit(one, s, Path(o)) for s, o in zip(specs, out_paths, strict=True)]
        try:
            return [f.result() for f in futures]
        except BaseException:
            stop.set()
            raise
