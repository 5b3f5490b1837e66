"""Scene clips and reels: the Django side of scenes/render (inputs from storage, outputs saved).

A scene clip is stored under `clips/<render key>.mp4`; the key hashes everything that shapes
the clip, so an edit re-renders only the scenes whose key changed. The story's mixed audio
is stored the same way under `audio/<audio key>.m4a`: the job of the story's first scene
mixes it beside that scene's clip, so assembly, which runs once every clip is done, only
copies streams.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from media.models import Asset
from media.services import local_copy, save_asset, stored_file_path
from provenance.services import keep_ledger, sign_story_reel
from render import runner
from render.assembly import assemble_reel, mix_audio, write_subtitles, write_thumbnail
from render.cache import story_audio_key
from render.profiles import DEFAULT_RESOLUTION, RenderProfile, profile_for
from render.qc_measure import Span
from render.qc_scan import ClipScan, join_scans
from render.runner import ProgressCallback, RenderError
from render.safe_render import safe_assemble
from render.scene_clips import render_scene_clip, text_layout_checks
from render.timeline import Timeline
from scenes.models import Scene
from scenes.services.clip_specs import story_clip_spec_and_key
from scenes.services.media import workdir
from scenes.services.reel_qc import expect_for, judge_reel, store_report, text_layout_check
from scenes.services.render_settings import (
    clip_threads,
    encoder_for,
    record_encoder,
    render_timeouts,
    story_profile,
)
from scenes.services.timeline import end_card_clip, scan_name, story_timeline
from stories.models import Story


def clip_name(key: str) -> str:
    return f"clips/{key}.mp4"


def audio_name(key: str) -> str:
    return f"audio/{key}.m4a"


def stored_video_spans(names: list[str]) -> tuple[list[Span], list[Span]] | None:
    """The reel's (black, freezes) from the scans stored with its clips (`names`, in reel
    order), or None when any clip has none (made before scans, or unreadable): the reel's QC
    then decodes the picture itself."""
    scans = []
    for name in names:
        try:
            with default_storage.open(scan_name(name), "rb") as handle:
                scans.append(ClipScan.from_json(handle.read()))
        except (OSError, ValueError):
            return None
    return join_scans(scans)


def _asset_identity(asset: Asset | None) -> str | None:
    if asset is None:
        return None
    return asset.sha256 or asset.file.name


def _segments_ms(timeline: Timeline) -> list[int]:
    """The reel's segments in order: each scene, then the end card when there is one."""
    return [*timeline.scene_ms, *([timeline.end_card_ms] if timeline.end_card_ms else [])]


def _story_audio(story: Story, scenes: list[Scene], profile: RenderProfile):
    """(audio key, music asset or None) for the story's mixed track at `profile`."""
    music = story.assets.filter(kind=Asset.Kind.MUSIC).order_by("pk").first()
    segments = _segments_ms(story_timeline(story, scenes, fps=profile.fps))
    key = story_audio_key(
        voices=[_asset_identity(s.voice) for s in scenes] + [None] * (len(segments) - len(scenes)),
        scene_durations_ms=segments,
        music=_asset_identity(music),
        profile=profile,
    )
    return key, music


def _mix_story_audio(
    story: Story,
    scenes: list[Scene],
    profile: RenderProfile,
    tmp: Path,
    cancel: threading.Event | None,
):
    """A callable that mixes the story's audio into `tmp` and returns (key, path or None when
    it is stored already). Reads the database now, so the callable may run in any thread."""
    key, music = _story_audio(story, scenes, profile)
    if default_storage.exists(audio_name(key)):
        return lambda: (key, None)
    durations = _segments_ms(story_timeline(story, scenes, fps=profile.fps))
    # The end card, when there is one, is silent: the music plays under it to the end.
    voices = [local_copy(s.voice, tmp) if s.voice else None for s in scenes]
    voices += [None] * (len(durations) - len(scenes))
    music_path = local_copy(music, tmp) if music else None
    timeouts = render_timeouts()

    def mix() -> tuple[str, Path | None]:
        path = mix_audio(
            narration_paths=voices,
            scene_durations_ms=durations,
            music_path=music_path,
            out_path=tmp / f"{key}.m4a",
            profile=profile,
            cancel=cancel,
            timeouts=timeouts,
        )
        return key, path

    return mix


def _store(name: str, path: Path) -> None:
    if not default_storage.exists(name):
        with path.open("rb") as fh:
            default_storage.save(name, File(fh, name=path.name))


def mix_story_audio(*, story_id: int, profile: str, cancel: threading.Event | None = None) -> str:
    """The story's mixed, -14 LUFS audio at `profile`, stored under its content key unless it
    is already; returns the stored name. Needs the voices and music, not the clips. Safe to
    repeat; raises RenderError."""
    story = Story.objects.get(pk=story_id)
    scenes = list(story.scenes.select_related("voice").order_by("position"))
    with workdir() as tmp:
        key, path = _mix_story_audio(
            story, scenes, profile_for(profile, story.aspect), Path(tmp), cancel
        )()
        if path is not None:
            _store(audio_name(key), path)
    return audio_name(key)


def render_scene(
    *,
    scene_id: int,
    profile: str,
    options: dict | None = None,
    job=None,
    cancel: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
) -> dict:
    """Render one scene clip at `profile` with `options` (render.profiles.with_options: quality,
    include_captions, watermark) unless a clip with the same key is stored. Safe to repeat.
    libx264 standing in for a failed NVENC is the story's degradation (FallbackRefused when
    the story asked to fail rather than degrade).
    `on_progress(fraction)` follows the clip's encode; each FFmpeg run has its time limit.

    The story's first scene also mixes the story's audio (mix_story_audio) and its last
    scene makes the end card while their clips encode, so that work overlaps the other
    scenes' clips instead of following them in the assembly.
    """
    scene = Scene.objects.select_related("story", "visual", "voice").get(pk=scene_id)
    render_profile = story_profile(scene.story, profile, options)
    encoder = encoder_for(scene.story)
    with workdir() as tmp_name, ThreadPoolExecutor(1, thread_name_prefix="audio") as side:
        tmp = Path(tmp_name)
        story_scenes = list(
            scene.story.scenes.select_related("visual", "voice").order_by("position")
        )
        # The clip lasts as the story's timeline says, which needs every scene's voice, and
        # opens with a dissolve from the scene before it as long as that one lasts.
        timeline = story_timeline(scene.story, story_scenes, fps=render_profile.fps)
        at = [s.pk for s in story_scenes].index(scene.pk)
        spec, key = story_clip_spec_and_key(
            story_scenes, at, timeline, render_profile, encoder, tmp
        )
        stop = threading.Event()
        audio = card = None
        if scene.position == 0:
            mix = _mix_story_audio(
                scene.story, story_scenes, render_profile, tmp, runner.either(stop, cancel)
            )
            audio = side.submit(mix)
        if at == len(story_scenes) - 1 and timeline.end_card_ms:
            # The last scene's job makes the end card (stored under its own key) beside its
            # clip, so assembly, which waits for every clip, finds it made. Its own folder:
            # its copy of the last scene's picture never overwrites the one the clip reads.
            (tmp / "card").mkdir()
            card = side.submit(
                end_card_clip,
                scene.story,
                timeline,
                scenes=story_scenes,
                profile=render_profile,
                encoder=encoder,
                tmp=tmp / "card",
                threads=1,
                cancel=runner.either(stop, cancel),
                timeouts=render_timeouts(),
            )
        try:
            if not default_storage.exists(clip_name(key)):
                out, scan = tmp / f"{key}.mp4", tmp / f"{key}.scan.json"
                render_scene_clip(
                    spec,
                    out_path=out,
                    profile=render_profile,
                    encoder=encoder,
                    threads=clip_threads(),
                    cancel=cancel,
                    timeouts=render_timeouts(),
                    on_progress=on_progress,
                    scan_path=scan,
                )
                # The scan first: a clip stored without one is judged by decoding the reel.
                _store(scan_name(clip_name(key)), scan)
                _store(clip_name(key), out)
        except BaseException:
            stop.set()  # a failed or canceled clip stops the audio too
            raise
        if audio is not None:
            audio_key, mixed = audio.result()
            if mixed is not None:
                _store(audio_name(audio_key), mixed)
        if card is not None:
            card.result()
    Scene.objects.filter(pk=scene_id).update(render_key=key)
    record_encoder(scene.story)
    return {"provider": encoder}


def assemble_story(
    *,
    story_id: int,
    profile: str,
    options: dict | None = None,
    job=None,
    cancel: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
) -> dict:
    """Join the story's scene clips (made with the same `options`), mix the audio, save the
    reel, thumbnail and captions. The reel is judged by media QC first: a FAIL is made again
    once with safe settings, and QCFailed (naming the failed checks) fails the job when that
    fails too; the report is kept on the reel's Asset. `on_progress(fraction)` follows the
    joining run; each FFmpeg run has its time limit."""
    story = Story.objects.select_related("owner").get(pk=story_id)
    render_profile = story_profile(story, profile, options)
    encoder = encoder_for(story)
    scenes = list(story.scenes.select_related("story", "visual", "voice").order_by("position"))
    with workdir() as tmp_name, ThreadPoolExecutor(1, thread_name_prefix="thumb") as side:
        tmp = Path(tmp_name)
        # Mixed by the first scene's job while the clips rendered; else (that job did not
        # run, or the voices changed since) mixed here.
        audio_key, mixed = _mix_story_audio(story, scenes, render_profile, tmp, cancel)()
        if mixed is None:
            mixed = stored_file_path(audio_name(audio_key), tmp)
        else:
            _store(audio_name(audio_key), mixed)
        timeline = story_timeline(story, scenes, fps=render_profile.fps)
        specs, clips, names = [], [], []
        for at, scene in enumerate(scenes):
            spec, key = story_clip_spec_and_key(scenes, at, timeline, render_profile, encoder, tmp)
            if not default_storage.exists(clip_name(key)):
                raise RenderError(
                    "assemble",
                    f"scene {scene.position + 1} has no rendered clip; render the scene again.",
                )
            specs.append(spec)
            clips.append(stored_file_path(clip_name(key), tmp))
            names.append(clip_name(key))
        timeouts = render_timeouts()
        made_card = end_card_clip(
            story,
            timeline,
            scenes=scenes,
            profile=render_profile,
            encoder=encoder,
            tmp=tmp,
            cancel=cancel,
            timeouts=timeouts,
        )
        card = None
        if made_card is not None:
            card, card_name = made_card
            names.append(card_name)
        thumbnail = side.submit(
            write_thumbnail,
            clip_path=clips[0],
            out_path=tmp / "thumbnail.jpg",
            timeouts=timeouts,
        )
        joined = [*clips, *([card] if card else [])]
        narrations = [s.narration_audio_path for s in specs] + ([None] if card else [])
        segments_ms = _segments_ms(timeline)
        reel_path = tmp / f"reel-{profile}.mp4"
        reel, report = judge_reel(
            story_id=story.pk,
            expect=expect_for(
                story=story,
                profile=profile,
                length_s=timeline.total_ms / 1000,
                resolution=(options or {}).get("resolution") or DEFAULT_RESOLUTION,
            ),
            extra_checks=[text_layout_check(text_layout_checks(specs, render_profile))],
            video_spans=stored_video_spans(names),
            assemble=lambda: assemble_reel(
                clips=joined,
                narration_paths=narrations,
                scene_durations_ms=segments_ms,
                music_path=None,
                out_path=reel_path,
                profile=render_profile,
                audio_path=mixed,
                cancel=cancel,
                timeouts=timeouts,
                on_progress=on_progress,
            ),
            reassemble=lambda: safe_assemble(
                clips=joined,
                scene_durations_ms=segments_ms,
                audio_path=mixed,
                out_path=reel_path,
                profile=render_profile,
                cancel=cancel,
                timeouts=timeouts,
            ),
        )
        # Signed after QC: the manifest only adds a box ahead of moov (faststart holds).
        reel, inputs = sign_story_reel(story=story, path=reel, profile=profile)
        thumb = thumbnail.result()
        srt, vtt = write_subtitles(
            specs=specs,
            srt_path=tmp / "captions.srt",
            vtt_path=tmp / "captions.vtt",
            profile=render_profile,
        )
        total_ms = timeline.total_ms
        # story field: (file, asset kind, MIME type, extra fields)
        outputs: dict[str, tuple[Path, str, str, dict[str, Any]]] = {
            profile: (
                reel,
                Asset.Kind.VIDEO,
                "video/mp4",
                {
                    "duration_ms": total_ms,
                    "width": render_profile.width,
                    "height": render_profile.height,
                },
            ),
            "thumbnail": (thumb, Asset.Kind.THUMBNAIL, "image/jpeg", {}),
            "captions_srt": (srt, Asset.Kind.SUBTITLE, "application/x-subrip", {}),
            "captions_vtt": (vtt, Asset.Kind.SUBTITLE, "text/vtt", {}),
        }
        saved = {
            field: save_asset(
                owner=story.owner,
                story=story,
                kind=kind,
                path=path,
                mime_type=mime,
                source_provider="render",
                **extra,
            )
            for field, (path, kind, mime, extra) in outputs.items()
        }
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story_id)
        for field, asset in saved.items():
            setattr(story, field, asset)
        story.save(update_fields=[*saved, "updated_at"])
    store_report(asset=saved[profile], report=report)
    keep_ledger(output=saved[profile], inputs=inputs)
    record_encoder(story)
    return {"provider": encoder, "output": saved[profile]}
