"""Scene clips and reels: the Django side of scenes/render (inputs from storage, outputs saved).

A scene clip is stored under `clips/<render key>.mp4`; the key hashes everything that shapes
the clip, so an edit re-renders only the scenes whose key changed.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from media.models import Asset
from media.services import local_copy, save_asset, stored_file_path
from render.assembly import assemble_reel, write_subtitles, write_thumbnail
from render.cache import scene_render_key
from render.encoder import probe_encoder
from render.profiles import RenderProfile, profile_for
from render.runner import RenderError
from render.scene_clips import SceneClipSpec, render_scene_clip
from render.types import WordTiming
from scenes.models import Scene
from scenes.services.media import workdir
from stories.models import Story


def current_encoder() -> str:
    """The encoder this worker renders with: RENDER_ENCODER, else a one-frame probe (cached)."""
    return probe_encoder(settings.RENDER_ENCODER or None)


def clip_name(key: str) -> str:
    return f"clips/{key}.mp4"


def _spec_and_key(scene: Scene, profile: RenderProfile, encoder: str, tmp: Path):
    if scene.visual is None or scene.voice is None:
        raise RenderError(
            f"scene {scene.position + 1}", "its visual or voice is missing; regenerate the scene."
        )
    spec = SceneClipSpec(
        index=scene.position,
        visual_path=local_copy(scene.visual, tmp),
        visual_kind="video" if scene.visual.kind == Asset.Kind.VIDEO else "image",
        duration_ms=scene.duration_ms,
        words=tuple(WordTiming.from_json(w) for w in scene.word_timings),
        narration_audio_path=local_copy(scene.voice, tmp),
        language=scene.story.language,
        style=scene.story.style or "modern",
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
    )
    return spec, key


def render_scene(
    *, scene_id: int, profile: str, job=None, cancel: threading.Event | None = None
) -> dict:
    """Render one scene clip unless a clip with the same key is stored. Safe to repeat."""
    scene = Scene.objects.select_related("story", "visual", "voice").get(pk=scene_id)
    render_profile = profile_for(profile, scene.story.aspect)
    encoder = current_encoder()
    with workdir() as tmp:
        spec, key = _spec_and_key(scene, render_profile, encoder, Path(tmp))
        if not default_storage.exists(clip_name(key)):
            out = Path(tmp) / f"{key}.mp4"
            render_scene_clip(
                spec, out_path=out, profile=render_profile, encoder=encoder, cancel=cancel
            )
            with out.open("rb") as fh:
                default_storage.save(clip_name(key), File(fh, name=out.name))
    Scene.objects.filter(pk=scene_id).update(render_key=key)
    return {"provider": encoder}


def assemble_story(
    *, story_id: int, profile: str, job=None, cancel: threading.Event | None = None
) -> dict:
    """Join the story's scene clips, mix the audio, save the reel, thumbnail and captions."""
    story = Story.objects.select_related("owner").get(pk=story_id)
    render_profile = profile_for(profile, story.aspect)
    encoder = current_encoder()
    scenes = list(story.scenes.select_related("story", "visual", "voice").order_by("position"))
    music = story.assets.filter(kind=Asset.Kind.MUSIC).order_by("pk").first()
    with workdir() as tmp_name:
        tmp = Path(tmp_name)
        specs, clips = [], []
        for scene in scenes:
            spec, key = _spec_and_key(scene, render_profile, encoder, tmp)
            if not default_storage.exists(clip_name(key)):
                raise RenderError(
                    "assemble",
                    f"scene {scene.position + 1} has no rendered clip; render the scene again.",
                )
            specs.append(spec)
            clips.append(stored_file_path(clip_name(key), tmp))
        reel = assemble_reel(
            clips=clips,
            narration_paths=[s.narration_audio_path for s in specs],
            scene_durations_ms=[s.duration_ms for s in specs],
            music_path=local_copy(music, tmp) if music else None,
            out_path=tmp / f"reel-{profile}.mp4",
            profile=render_profile,
            cancel=cancel,
        )
        thumb = write_thumbnail(clip_path=clips[0], out_path=tmp / "thumbnail.jpg")
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
    return {"provider": encoder, "output": saved[profile]}
