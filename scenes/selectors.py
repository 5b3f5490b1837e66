"""Reads of scenes and prompts, scoped to their story's owner."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from scenes.models import Prompt, PronunciationEntry, Scene


def owned_scene(*, user, scene_id) -> Scene:
    return get_object_or_404(
        Scene.objects.filter(story__owner=user, story__deleted_at__isnull=True), pk=scene_id
    )


def scenes_for(*, user) -> QuerySet[Scene]:
    """The scenes of the user's stories, in story order, with their media."""
    return (
        Scene.objects.filter(story__owner=user, story__deleted_at__isnull=True)
        .select_related("visual", "voice")
        .order_by("story_id", "position", "id")
    )


def prompts_for(*, user) -> QuerySet[Prompt]:
    return Prompt.objects.filter(
        scene__story__owner=user, scene__story__deleted_at__isnull=True
    ).order_by("kind", "created_at", "id")


def scenes_with_media() -> QuerySet[Scene]:
    """Scenes in story order with their visual and voice (for prefetching onto stories)."""
    return Scene.objects.select_related("visual", "voice").order_by("position", "id")


def pronunciations_for(*, user) -> QuerySet[PronunciationEntry]:
    """The user's lexicon, by language and word."""
    return PronunciationEntry.objects.filter(user=user).order_by("language", "word", "id")
