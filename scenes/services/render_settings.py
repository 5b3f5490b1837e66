"""How this worker renders: its encoder (and the degradation when libx264 stands in for a
failed NVENC), x264 threads per clip and the time limit of each FFmpeg run, from settings."""

from __future__ import annotations

import os

from django.conf import settings

from render.encoder import EncoderChoice, choose_encoder
from render.layout import ai_label_text
from render.profiles import DEFAULT_RESOLUTION, RenderProfile, profile_for, with_options
from render.runner import Timeouts
from stories import services as story_services
from stories.models import Story


def current_encoder() -> str:
    """The encoder this worker renders with: RENDER_ENCODER, else a one-frame probe (cached)."""
    return current_encoder_choice().encoder


def current_encoder_choice() -> EncoderChoice:
    """As current_encoder, with the reason when libx264 stands in for a failed NVENC."""
    return choose_encoder(settings.RENDER_ENCODER or None)


def encoder_for(story: Story) -> str:
    """This worker's encoder for the story. Raises FallbackRefused when it is a stand-in and
    the story asked to fail rather than degrade."""
    choice = current_encoder_choice()
    if choice.fallback:
        story_services.ensure_fallback_allowed(story=story, step="render", reason=choice.fallback)
    return choice.encoder


def record_encoder(story: Story) -> None:
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


def story_profile(story: Story, profile: str, options: dict | None) -> RenderProfile:
    """The story's render profile with the user's options; `ai_label` (True, False, or left
    out for AI_LABEL_DEFAULT) becomes the label's text in the story's language; `resolution`
    (a final's, from the owner's plan: billing.services.render_options) sets its size."""
    options = dict(options or {})
    label = options.pop("ai_label", None)
    if label is None:
        label = settings.AI_LABEL_DEFAULT
    text = ai_label_text(story.language) if label else ""
    resolution = options.pop("resolution", None) or DEFAULT_RESOLUTION
    base = profile_for(profile, story.aspect, resolution)
    return with_options(base, ai_label=text, **options)
