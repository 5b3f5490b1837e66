"""Scene clips and reels: the Django side of scenes/render (inputs from storage, outputs saved).

A scene clip is stored under `clips/<render key>.mp4`; the key hashes everything that shapes
the clip, so an edit re-renders only the scenes whose key changed. The story's mixed audio
is stored the same way under `audio/<audio key>.m4a`: the job of the story's first scene
mixes it beside that scene's clip, so assembly, which runs once every clip is done, only
copies streams.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from media.models import Asset
from media.services import local_copy, save_asset, stored_file_path
from render import runner
from render.assembly import assemble_reel, mix_audio, write_subtitles, write_thumbnail
from render.cache import LeadInKey, scene_render_key, story_audio_key
from render.encoder import EncoderChoice, choose_encoder
from render.motion import LeadIn
from render.profiles import RenderProfile, profile_for
from render.runner import ProgressCallback, RenderError, Timeouts
from render.scene_clips import SceneClipSpec, render_scene_clip
from render.types import WordTiming
from scenes.models import Scene
from scenes.services.media import workdir
from stories import services as story_services
from stories.models import Story


def current_encoder() -> str:
    """The encoder this worker renders with: RENDER_ENCODER, else a one-frame probe (cached)."""
    return current_encoder_choice().encoder


def current_encoder_choice() -> EncoderChoice:
    """As current_encoder, with the reason when libx264 stands in for a failed NVENC."""
    return choose_encoder(settings.RENDER_ENCODER or None)


def _encoder_for(story: Story) -> str:
    """This worker's encoder for the story. Raises FallbackRefused when it is a stand-in and
    the story asked to fail rather than degrade."""
    choice = current_encoder_choice()
    if choice.fallback:
        story_services.ensure_fallback_allowed(story=story, step="render", reason=choice.fallback)
    return choice.encoder


def _record_encoder(story: Story) -> None:
    """The encoder fallback (or none) as the story's render degradation."""
    choice = current_encoder_choice()
    story_services.record_degradation(
        story_id=story.pk, step="render", reasons=[choice.fallback] if choice.fallback else []
    )


def clip_threads() -> int:
    """x264 threads for one scene clip: the cores shared by the RENDER_WORKERS clips that
    render at once. The render queue runs them in separate processes, which cannot see each
    other, and x264's own choice (1.5 threads per core each) oversubscribes the cores."""
    workers = settings.RENDER_WORKERS
    if workers <= 1:
        return 0  # x264 decides
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // workers)


def render_timeouts() -> Timeouts:
    """The time limit of each FFmpeg run: RENDER_TIMEOUT_PER_MEDIA_S seconds per second of
    media, at least RENDER_TIMEOUT_MIN_S."""
    return Timeouts(
        min_s=settings.RENDER_TIMEOUT_MIN_S, per_media_s=settings.RENDER_TIMEOUT_PER_MEDIA_S
    )


def clip_name(key: str) -> str:
    return f"clips/{key}.mp4"


def audio_name(key: str) -> str:
    return f"audio/{key}.m4a"


def _asset_identity(asset: Asset | None) -> str | None:
    if asset is None:
        return None
    return asset.sha256 or asset.file.name


def _story_audio(story: Story, scenes: list[Scene], profile: RenderProfile):
    """(audio key, music asset or None) for the story's mixed track at `profile`."""
    music = story.assets.filter(kind=Asset.Kind.MUSIC).order_by("pk").first()
    key = story_audio_key(
        voices=[_asset_identity(s.voice) for s in scenes],
        scene_durations_ms=[s.duration_ms for s in scenes],
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
    voices = [local_copy(s.voice, tmp) if s.voice else None for s in scenes]
    durations = [s.duration_ms for s in scenes]
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


def _lead_in(previous: Scene | None, tmp: Path) -> tuple[LeadIn | None, LeadInKey | None]:
    """The previous scene's picture that a clip dissolves from, and its part of the key."""
    if previous is None or previous.visual is None:
        return None, None
    kind = "video" if previous.visual.kind == Asset.Kind.VIDEO else "image"
    lead_in = LeadIn(
        index=previous.position,
        visual_path=local_copy(previous.visual, tmp),
        visual_kind=kind,
        duration_ms=previous.duration_ms,
    )
    key = LeadInKey(
        index=previous.position,
        visual_sha256=previous.visual.sha256,
        visual_kind=kind,
        duration_ms=previous.duration_ms,
    )
    return lead_in, key


def _previous_scene(scene: Scene) -> Scene | None:
    return (
        Scene.objects.select_related("visual")
        .filter(story_id=scene.story_id, position__lt=scene.position)
        .order_by("-position")
        .first()
    )


def _spec_and_key(
    scene: Scene, profile: RenderProfile, encoder: str, tmp: Path, previous: Scene | None
):
    if scene.visual is None or scene.voice is None:
        raise RenderError(
            f"scene {scene.position + 1}", "its visual or voice is missing; regenerate the scene."
        )
    # Each clip opens with the dissolve from the scene before (render.motion), so that
    # scene's picture is part of this clip and of its key.
    lead_in, lead_in_key = _lead_in(previous, tmp)
    spec = SceneClipSpec(
        index=scene.position,
        visual_path=local_copy(scene.visual, tmp),
        visual_kind="video" if scene.visual.kind == Asset.Kind.VIDEO else "image",
        duration_ms=scene.duration_ms,
        words=tuple(WordTiming.from_json(w) for w in scene.word_timings),
        narration_audio_path=local_copy(scene.voice, tmp),
        language=scene.story.language,
        style=scene.story.style or "modern",
        lead_in=lead_in,
    )
    key = scene_render_key(
        index=spec.index,
        narration_text=scene.narration,
        words=spec.words,
        visual_sha256=scene.visual.sha256,
        visual_kind=spec.visual_kind,
        duration_ms=spec.duration_ms,
        style=spec.style,
        caption_style=spec.caption_style,
        profile=profile,
        encoder=encoder,
        lead_in=lead_in_key,
    )
    return spec, key


def render_scene(
    *,
    scene_id: int,
    profile: str,
    job=None,
    cancel: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
) -> dict:
    """Render one scene clip unless a clip with the same key is stored. Safe to repeat.
    libx264 standing in for a failed NVENC is the story's degradation (FallbackRefused when
    the story asked to fail rather than degrade).
    `on_progress(fraction)` follows the clip's encode; each FFmpeg run has its time limit.

    The story's first scene also mixes the story's audio (mix_story_audio) while its clip
    encodes, so that work overlaps the other scenes' clips instead of following them.
    """
    scene = Scene.objects.select_related("story", "visual", "voice").get(pk=scene_id)
    render_profile = profile_for(profile, scene.story.aspect)
    encoder = _encoder_for(scene.story)
    with workdir() as tmp_name, ThreadPoolExecutor(1, thread_name_prefix="audio") as side:
        tmp = Path(tmp_name)
        spec, key = _spec_and_key(
            scene, render_profile, encoder, tmp, previous=_previous_scene(scene)
        )
        stop = threading.Event()
        audio = None
        if scene.position == 0:
            story_scenes = list(scene.story.scenes.select_related("voice").order_by("position"))
            mix = _mix_story_audio(
                scene.story, story_scenes, render_profile, tmp, runner.either(stop, cancel)
            )
            audio = side.submit(mix)
        try:
            if not default_storage.exists(clip_name(key)):
                out = tmp / f"{key}.mp4"
                render_scene_clip(
                    spec,
                    out_path=out,
                    profile=render_profile,
                    encoder=encoder,
                    threads=clip_threads(),
                    cancel=cancel,
                    timeouts=render_timeouts(),
                    on_progress=on_progress,
                )
                _store(clip_name(key), out)
        except BaseException:
            stop.set()  # a failed or canceled clip stops the audio too
            raise
        if audio is not None:
            audio_key, mixed = audio.result()
            if mixed is not None:
                _store(audio_name(audio_key), mixed)
    Scene.objects.filter(pk=scene_id).update(render_key=key)
    _record_encoder(scene.story)
    return {"provider": encoder}


def assemble_story(
    *,
    story_id: int,
    profile: str,
    job=None,
    cancel: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
) -> dict:
    """Join the story's scene clips, mix the audio, save the reel, thumbnail and captions.
    `on_progress(fraction)` follows the joining run; each FFmpeg run has its time limit."""
    story = Story.objects.select_related("owner").get(pk=story_id)
    render_profile = profile_for(profile, story.aspect)
    encoder = _encoder_for(story)
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
        specs, clips = [], []
        for previous, scene in zip([None, *scenes], scenes, strict=False):
            spec, key = _spec_and_key(scene, render_profile, encoder, tmp, previous=previous)
            if not default_storage.exists(clip_name(key)):
                raise RenderError(
                    "assemble",
                    f"scene {scene.position + 1} has no rendered clip; render the scene again.",
                )
            specs.append(spec)
            clips.append(stored_file_path(clip_name(key), tmp))
        timeouts = render_timeouts()
        thumbnail = side.submit(
            write_thumbnail,
            clip_path=clips[0],
            out_path=tmp / "thumbnail.jpg",
            timeouts=timeouts,
        )
        reel = assemble_reel(
            clips=clips,
            narration_paths=[s.narration_audio_path for s in specs],
            scene_durations_ms=[s.duration_ms for s in specs],
            music_path=None,
            out_path=tmp / f"reel-{profile}.mp4",
            profile=render_profile,
            audio_path=mixed,
            cancel=cancel,
            timeouts=timeouts,
            on_progress=on_progress,
        )
        thumb = thumbnail.result()
        srt, vtt = write_subtitles(
            specs=specs,
            srt_path=tmp / "captions.srt",
            vtt_path=tmp / "captions.vtt",
            profile=render_profile,
        )
        total_ms = sum(s.duration_ms for s in specs)
        outputs = {  # story field: (file, asset kind, MIME type, extra fields)
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
    _record_encoder(story)
    return {"provider": encoder, "output": saved[profile]}
