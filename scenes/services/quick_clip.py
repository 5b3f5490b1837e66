"""A quick clip: a prompt becomes an image (the configured image providers, else the offline
artwork) and then a short clip (the configured video providers, else that image set in motion
by FFmpeg). Both are kept in the owner's library (media.selectors.library_for) with the prompt,
so either can be picked for any scene of a reel."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from billing.services import record_usage
from media.models import Asset
from media.services import save_asset
from providers import registry as providers
from providers.base import ProviderError
from providers.visual.base import VisualResult
from render.clip_commands import frames_for, image_scene_cmd
from render.fonts import font_path
from render.motion import StillRun
from render.profiles import profile_for
from render.runner import run_to_file
from render.still_frames import still_feed
from scenes.services.media import save_visual, workdir
from scenes.services.render_settings import encoder_for
from stories.models import Story
from stories.states import Profile

log = logging.getLogger(__name__)

MOTION_PROVIDER = "artwork-motion"


def _first_that_delivers(attempts) -> VisualResult | None:
    for name, make in attempts:
        try:
            return make()
        except ProviderError as exc:
            log.warning("quick clip: %s failed: %s", name, exc)
    return None


def make_quick_clip(*, story_id: int, job=None) -> dict:
    """The quick clip story's image and clip as Assets; the clip is the job's output. Never
    fails for want of a provider: the artwork and FFmpeg motion need none. Safe to repeat (the
    same bytes give the same assets)."""
    story = Story.objects.get(pk=story_id)
    frame = profile_for(Profile.FINAL, story.aspect)
    prompt, duration_ms = story.keyword, story.duration_s * 1000
    with workdir() as tmp:
        image_path = Path(tmp) / "image.png"
        image_args: dict[str, Any] = {
            "prompt": prompt,
            "key_phrase": "",
            "style": story.style or "modern",
            "language": story.language,
            "index": 0,
            "width": frame.width,
            "height": frame.height,
            "out_path": image_path,
        }
        image = _first_that_delivers(
            (p.name, lambda p=p: p.make(**image_args)) for p in providers.visual_providers()
        ) or providers.get_visual_provider().make(**image_args)
        image_asset = save_visual(story, image, prompt=prompt)
        record_usage(usage=image.usage, story=story, job=job)
        clip = _first_that_delivers(
            (
                p.name,
                lambda p=p: p.make_clip(
                    prompt=prompt,
                    width=frame.width,
                    height=frame.height,
                    duration_ms=duration_ms,
                    index=0,
                    out_path=Path(tmp) / "clip.mp4",
                ),
            )
            for p in providers.video_providers()
        )
        if clip is None:
            clip_asset = _motion(story, image.path, tmp=Path(tmp), duration_ms=duration_ms)
        else:
            clip_asset = save_visual(story, clip, prompt=prompt)
            record_usage(usage=clip.usage, story=story, job=job)
    del image_asset  # kept in the library; the job's output is the clip
    return {"provider": clip_asset.source_provider, "output": clip_asset}


def _motion(story: Story, image_path: Path, *, tmp: Path, duration_ms: int) -> Asset:
    """The image in the renderer's drift, as an H.264 clip of `duration_ms` in the story's
    aspect (no text, no sound)."""
    frame = profile_for(Profile.FINAL, story.aspect)
    encoder = encoder_for(story)
    font = font_path()
    frames = frames_for(duration_ms, frame.fps)
    picture = still_feed(StillRun(image_path, story.pk, frames, first=0, count=frames), frame)

    def build(out: Path) -> list[str]:
        return image_scene_cmd(
            picture_url=picture.url,
            ass_path=None,
            out_path=out,
            profile=frame,
            encoder=encoder,
            duration_ms=duration_ms,
            fonts_dir=font.parent,
            font_file=font,
        )

    out = run_to_file(
        build,
        tmp / "motion.mp4",
        step="quick clip",
        media_s=duration_ms / 1000,
        feeds=[picture],
    )
    return save_asset(
        owner=story.owner,
        story=story,
        kind=Asset.Kind.VIDEO,
        path=out,
        mime_type="video/mp4",
        source_provider=MOTION_PROVIDER,
        duration_ms=duration_ms,
        width=frame.width,
        height=frame.height,
        prompt=story.keyword,
    )
