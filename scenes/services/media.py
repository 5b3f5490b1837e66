"""Each scene's visual and voice, and the story's music: made by a provider, stored as Assets."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing.services import record_usage
from scenes import providers
from scenes.models import Asset, Scene
from scenes.music.generated import mood_for_style
from scenes.render.profiles import profile_for
from scenes.services.assets import save_asset
from scenes.services.uploads import UPLOAD_PROVIDER
from stories.models import Story

# Breathing room after each scene's narration before the next one starts.
SCENE_PAUSE_MS = 350


def workdir() -> tempfile.TemporaryDirectory:
    root = Path(settings.WORK_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(dir=root, prefix="job-")


def user_visuals(story: Story) -> list[Asset]:
    """The images and clips the user uploaded for this story, in upload order."""
    return list(
        story.assets.filter(source_provider=UPLOAD_PROVIDER, kind__in=("image", "video")).order_by(
            "pk"
        )
    )


def make_scene_visual(*, scene_id: int, job=None) -> dict:
    """The scene's visual: the user's own media in order, else a provider's. Safe to repeat."""
    scene = Scene.objects.select_related("story").get(pk=scene_id)
    story = scene.story
    uploads = user_visuals(story)
    if uploads:
        asset = uploads[scene.position % len(uploads)]
        _attach(scene, visual=asset)
        return {"provider": UPLOAD_PROVIDER, "output": asset}
    final = profile_for("final", story.aspect)
    width, height = final.width, final.height
    with workdir() as tmp:
        result = providers.get_visual_provider().make(
            prompt=scene.visual_prompt or scene.narration,
            key_phrase=scene.key_phrase,
            style=story.style or "modern",
            language=story.language,
            index=scene.position,
            width=width,
            height=height,
            out_path=Path(tmp) / f"scene-{scene.position}.png",
        )
        asset = save_asset(
            owner=story.owner,
            story=story,
            kind=result.kind,
            path=result.path,
            mime_type=result.mime,
            source_provider=result.provider,
            width=result.width,
            height=result.height,
            licence=result.licence,
            attribution=result.attribution,
            source_url=result.source_url,
        )
    _attach(scene, visual=asset)
    record_usage(usage=result.usage, story=story, job=job)
    return {"provider": result.provider, "output": asset}


def make_scene_voice(*, scene_id: int, job=None) -> dict:
    """The scene's narration audio and word timings; the scene then lasts as long as it."""
    scene = Scene.objects.select_related("story").get(pk=scene_id)
    story = scene.story
    with workdir() as tmp:
        speech = providers.get_voice_provider().synthesize(
            text=scene.narration,
            language=story.language,
            voice=story.voice,
            out_path=Path(tmp) / f"voice-{scene.position}.wav",
        )
        asset = save_asset(
            owner=story.owner,
            story=story,
            kind=Asset.Kind.AUDIO,
            path=speech.audio_path,
            mime_type="audio/wav",
            source_provider=speech.usage.provider if speech.usage else "voice",
            duration_ms=speech.duration_ms,
        )
    with transaction.atomic():
        scene = Scene.objects.select_for_update().get(pk=scene_id)
        scene.voice = asset
        scene.word_timings = [w.to_json() for w in speech.words]
        scene.duration_ms = speech.duration_ms + SCENE_PAUSE_MS
        scene.save(update_fields=["voice", "word_timings", "duration_ms", "updated_at"])
    record_usage(usage=speech.usage, story=story, job=job)
    return {"provider": asset.source_provider, "output": asset}


def make_story_music(*, story_id: int, job=None) -> dict:
    """A music bed for the story: the user's upload when given, else a generated track."""
    story = Story.objects.get(pk=story_id)
    existing = story.assets.filter(kind=Asset.Kind.MUSIC).order_by("pk").first()
    if existing is not None:
        return {"provider": existing.source_provider, "output": existing}
    provider = providers.get_music_provider()
    # Longer than the plan so the assembler never loops a short bed audibly.
    length_ms = int(story.duration_s * 1000 * 1.5) + 5000
    with workdir() as tmp:
        result = provider.make(
            mood=mood_for_style(story.style or ""),
            duration_ms=length_ms,
            seed=story.pk,
            out_path=Path(tmp) / "music.wav",
        )
        asset = save_asset(
            owner=story.owner,
            story=story,
            kind=Asset.Kind.MUSIC,
            path=result.path,
            mime_type="audio/wav",
            source_provider=result.provider,
            duration_ms=result.duration_ms,
        )
    record_usage(usage=result.usage, story=story, job=job)
    return {"provider": result.provider, "output": asset}


def _attach(scene: Scene, *, visual: Asset) -> None:
    Scene.objects.filter(pk=scene.pk).update(visual=visual, updated_at=timezone.now())
