"""A scene's clip as the renderer sees it (render.scene_clips.SceneClipSpec) and its cache key:
the picture, words, voice, caption style and headline, its length on the story's timeline and
the scene before it, which the clip dissolves from."""

from __future__ import annotations

from pathlib import Path

from media.models import Asset
from media.services import local_copy
from providers.visual.artwork import PROVIDER as ARTWORK_PROVIDER
from render.cache import LeadInKey, scene_render_key
from render.caption_styles import caption_style
from render.motion import LeadIn
from render.profiles import RenderProfile
from render.runner import RenderError
from render.scene_clips import SceneClipSpec
from render.timeline import Timeline
from render.types import WordTiming
from scenes.models import Scene


def headline_for(scene: Scene) -> str:
    """The scene's key phrase as a headline over generated artwork (which carries no text of
    its own); photos, clips and the user's media keep their picture clear."""
    if scene.visual is not None and scene.visual.source_provider == ARTWORK_PROVIDER:
        return scene.key_phrase
    return ""


def lead_in_for(
    previous: Scene | None, tmp: Path, duration_ms: int
) -> tuple[LeadIn | None, LeadInKey | None]:
    """The previous scene's picture that a clip (a scene's, or the end card's) dissolves from
    (it lasted `duration_ms` on the story's timeline), and its part of the key."""
    if previous is None or previous.visual is None:
        return None, None
    kind = "video" if previous.visual.kind == Asset.Kind.VIDEO else "image"
    lead_in = LeadIn(
        index=previous.position,
        visual_path=local_copy(previous.visual, tmp),
        visual_kind=kind,
        duration_ms=duration_ms,
    )
    key = LeadInKey(
        index=previous.position,
        visual_sha256=previous.visual.sha256,
        visual_kind=kind,
        duration_ms=duration_ms,
    )
    return lead_in, key


def clip_spec_and_key(
    scene: Scene,
    profile: RenderProfile,
    encoder: str,
    tmp: Path,
    *,
    duration_ms: int,
    previous: Scene | None,
    previous_ms: int,
) -> tuple[SceneClipSpec, str]:
    """The clip of `scene` lasting `duration_ms`, opening on `previous` (which lasted
    `previous_ms`; None: the first scene), with local copies of its media in `tmp`. Raises
    RenderError when its visual or voice is missing."""
    if scene.visual is None or scene.voice is None:
        raise RenderError(
            f"scene {scene.position + 1}", "its visual or voice is missing; regenerate the scene."
        )
    # Each clip opens with the dissolve from the scene before (render.motion), so that
    # scene's picture is part of this clip and of its key.
    lead_in, lead_in_key = lead_in_for(previous, tmp, previous_ms)
    spec = SceneClipSpec(
        index=scene.position,
        visual_path=local_copy(scene.visual, tmp),
        visual_kind="video" if scene.visual.kind == Asset.Kind.VIDEO else "image",
        duration_ms=duration_ms,
        words=tuple(WordTiming.from_json(w) for w in scene.word_timings),
        narration_audio_path=local_copy(scene.voice, tmp),
        language=scene.story.language,
        style=scene.story.style or "modern",
        caption_style=caption_style(scene.story.caption_style),
        headline=headline_for(scene),
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
        headline=spec.headline,
        lead_in=lead_in_key,
    )
    return spec, key


def story_clip_spec_and_key(
    scenes: list[Scene],
    at: int,
    timeline: Timeline,
    profile: RenderProfile,
    encoder: str,
    tmp: Path,
) -> tuple[SceneClipSpec, str]:
    """clip_spec_and_key for `scenes[at]` of a story's `scenes` (in order) and its timeline:
    the render job and the assembly both name a clip this way, so their keys agree."""
    return clip_spec_and_key(
        scenes[at],
        profile,
        encoder,
        tmp,
        duration_ms=timeline.scene_ms[at],
        previous=scenes[at - 1] if at else None,
        previous_ms=timeline.scene_ms[at - 1] if at else 0,
    )
