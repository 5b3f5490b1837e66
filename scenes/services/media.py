"""Each scene's visual and voice, and the story's music: made by a provider, stored as Assets."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from billing.services import ensure_reel_length, record_usage
from media.models import Asset
from media.services import UPLOAD_PROVIDER, save_asset
from providers import registry as providers
from providers.base import ProviderError
from providers.music.generated import mood_for_style
from providers.retries import call_with_retries
from providers.visual.base import VisualResult
from providers.voice.speak import speak_written
from render.profiles import profile_for
from scenes.models import Scene
from scenes.services.pronunciations import lexicon_for, scene_voice_key
from scenes.services.visual_selection import (
    MAX_FRESH_TRIES,
    is_fresh,
    try_index,
    upload_for,
    visuals_to_avoid,
)
from stories import services as story_services
from stories.models import Story
from stories.states import Profile

log = logging.getLogger(__name__)

# Breathing room after each scene's narration before the next one starts.
SCENE_PAUSE_MS = 350


def save_visual(story: Story, result: VisualResult, *, prompt: str) -> Asset:
    """Keep a provider's picture or clip as the story's asset, with its source, licence and
    credit (what the library and the licence ledger read)."""
    return save_asset(
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
        prompt=prompt,
    )


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


class _ImageArgs(TypedDict):
    """An image provider's `make` arguments, less `out_path`."""

    prompt: str
    key_phrase: str
    style: str
    language: str
    index: int
    width: int
    height: int


def make_scene_visual(*, scene_id: int, job=None) -> dict:
    """The scene's visual: the user's own media in order, else the first provider that
    delivers (a clip for a scene that asks for motion, else an image), else the offline
    artwork, so a reel never fails for want of a picture. Safe to repeat.

    The job's provider names the one that delivered and, after a fallback, those that failed;
    a fallback is the story's degradation. Raises FallbackRefused at the first failure when
    the story asked to fail rather than degrade.
    """
    scene = Scene.objects.select_related("story").get(pk=scene_id)
    story = scene.story
    asset = upload_for(scene=scene, uploads=user_visuals(story))
    if isinstance(asset, Asset):
        _attach(scene, visual=asset)
        story_services.record_degradation(
            story_id=story.pk, step="visual", scene_id=scene.pk, reasons=[]
        )
        return {"provider": UPLOAD_PROVIDER, "output": asset}
    final = profile_for(Profile.FINAL, story.aspect)
    prompt = scene.visual_prompt or scene.narration
    image_args: _ImageArgs = {
        "prompt": prompt,
        "key_phrase": scene.key_phrase,
        "style": story.style or "modern",
        "language": story.language,
        "index": scene.position,
        "width": final.width,
        "height": final.height,
    }
    scene_count = max(1, story.scenes.count())
    clip_args = {
        "prompt": prompt,
        "width": final.width,
        "height": final.height,
        "duration_ms": scene.duration_ms or story.duration_s * 1000 // scene_count,
        "index": scene.position,
    }
    candidates: list[tuple[Any, Any, Mapping[str, object]]] = []
    if providers.wants_motion(position=scene.position):
        candidates += [(p, p.make_clip, clip_args) for p in providers.video_providers()]
    candidates += [(p, p.make, image_args) for p in providers.visual_providers()]
    failed: list[str] = []
    failures: list[str] = []  # what was not delivered and why, for the degradation
    avoid = visuals_to_avoid(story=story, scene_id=scene.pk)
    with workdir() as tmp:
        out_path = Path(tmp) / f"scene-{scene.position}.png"
        result, credit = None, False
        # A provider that answers with a visual this reel or a recent one showed is asked for
        # its next result; one that fails is not asked again.
        for attempt in range(MAX_FRESH_TRIES):
            index = try_index(position=scene.position, attempt=attempt, scene_count=scene_count)
            for provider, make, args in candidates:
                if provider.name in failed:
                    continue
                try:
                    result = _try_provider(
                        make, {**args, "index": index, "out_path": out_path}, name=provider.name
                    )
                except ProviderError as exc:
                    log.warning(
                        "scene %s: visual provider %s failed: %s", scene_id, provider.name, exc
                    )
                    what = "video clip" if args is clip_args else "image"
                    failures.append(f"the {what} from {provider.name} failed ({exc.message[:200]})")
                    story_services.ensure_fallback_allowed(
                        story=story, step="visual", scene_id=scene.pk, reason=failures[-1]
                    )
                    failed.append(provider.name)
                    continue
                if is_fresh(result.path, avoid):
                    credit = getattr(provider, "credit_in_caption", False)
                    break
                result = None
            if result is not None or len(failed) == len(candidates):
                break
        if result is None:
            result = _fresh_artwork(
                image_args, avoid=avoid, scene_count=scene_count, out_path=out_path
            )
        asset = save_visual(story, result, prompt=prompt)
    _attach(scene, visual=asset)
    story_services.record_degradation(
        story_id=story.pk,
        step="visual",
        scene_id=scene.pk,
        reasons=[_visual_fallback(failures, result)] if failures else [],
    )
    if credit and asset.attribution:
        _credit_in_caption(story_id=story.pk, credit=asset.attribution)
    record_usage(usage=result.usage, story=story, job=job)
    provider_note = result.provider
    if failed:
        provider_note = f"{result.provider} (after {', '.join(failed)})"[:200]
    return {"provider": provider_note, "output": asset}


def _fresh_artwork(image_args: _ImageArgs, *, avoid: set[str], scene_count: int, out_path: Path):
    """The offline artwork, redrawn as another variant while it matches a visual to avoid."""
    artwork = providers.get_visual_provider()
    position = image_args["index"]
    for attempt in range(MAX_FRESH_TRIES):
        index = try_index(position=position, attempt=attempt, scene_count=scene_count)
        args: _ImageArgs = {**image_args, "index": index}
        result = artwork.make(**args, out_path=out_path)
        if is_fresh(result.path, avoid):
            break
    return result


def _visual_fallback(failures: list[str], result) -> str:
    """What the scene shows instead of what failed, in one line."""
    if result.provider == "artwork":
        instead = "the offline artwork is shown instead"
    elif result.kind == "image" and any("video clip" in f for f in failures):
        instead = f"a still image from {result.provider} is shown instead"
    else:
        instead = f"the {'video clip' if result.kind == 'video' else 'image'} from "
        instead += f"{result.provider} is shown instead"
    return f"{'; '.join(failures)}; {instead}"


def _try_provider(make, args: dict, *, name: str):
    """One provider, retried while its errors are transient and a short wait is enough."""
    return call_with_retries(lambda: make(**args), name=f"visual provider {name}")


def _credit_in_caption(*, story_id: int, credit: str) -> None:
    """Append a photo credit the licence asks for to the post caption, once."""
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=story_id)
        if credit in story.post_caption:
            return
        story.post_caption = f"{story.post_caption.rstrip()}\n{credit}".strip()
        story.save(update_fields=["post_caption", "updated_at"])


def make_scene_voice(*, scene_id: int, job=None) -> dict:
    """The scene's narration audio and word timings; the scene then lasts as long as it. A
    voice spoken by another than the one asked for is the story's degradation; raises
    FallbackRefused, keeping nothing, when the story asked to fail rather than degrade, and
    QuotaExceeded (the job fails) once the story's voiced scenes run past the plan's longest
    reel."""
    scene = Scene.objects.select_related("story").get(pk=scene_id)
    story = scene.story
    # The owner's pronunciations, then the normaliser: the voice says "삼천오백 원" while the
    # word timings (and so the captions) keep "3,500원".
    lexicon = lexicon_for(user_id=story.owner_id, language=story.language)
    with workdir() as tmp:
        narration = scene.narration
        speech = speak_written(
            providers.get_voice_provider(),
            text=narration,
            language=story.language,
            voice=story.voice,
            out_path=Path(tmp) / f"voice-{scene.position}.wav",
            lexicon=lexicon,
        )
        if speech.fallback:
            story_services.ensure_fallback_allowed(
                story=story, step="voice", scene_id=scene.pk, reason=speech.fallback
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
        scene.voice_key = scene_voice_key(story=story, narration=narration, lexicon=lexicon)
        scene.save(
            update_fields=["voice", "word_timings", "duration_ms", "voice_key", "updated_at"]
        )
    story_services.record_degradation(
        story_id=story.pk,
        step="voice",
        scene_id=scene_id,
        reasons=[speech.fallback] if speech.fallback else [],
    )
    record_usage(usage=speech.usage, story=story, job=job)
    # The plan's longest reel holds for the reel as spoken, not only as asked for.
    voiced_ms = Scene.objects.filter(story_id=story.pk, voice__isnull=False).aggregate(
        total=Sum("duration_ms")
    )["total"]
    ensure_reel_length(story=story, duration_ms=voiced_ms or 0)
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
