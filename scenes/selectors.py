"""Reads of scenes and prompts, scoped to their story's owner."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from scenes.models import Prompt, Scene
from stories.models import Story


def owned_story(*, user, story_id) -> Story:
    """The user's story (no related rows); Http404 when missing or someone else's."""
    return get_object_or_404(Story.objects.filter(owner=user), pk=story_id)


def owned_scene(*, user, scene_id) -> Scene:
    return get_object_or_404(Scene.objects.filter(story__owner=user), pk=scene_id)


def scenes_for(*, user) -> QuerySet[Scene]:
    """The scenes of the user's stories, in story order, with their media."""
    return (
        Scene.objects.filter(story__owner=user)
        .select_related("visual", "voice")
        .order_by("story_id", "position", "id")
    )


def prompts_for(*, user) -> QuerySet[Prompt]:
    return Prompt.objects.filter(scene__story__owner=user).order_by("kind", "created_at", "id")
