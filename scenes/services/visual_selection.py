"""Which visual a scene may show when the product picks it: never one another scene of the
reel shows, and none the user's last RECENT_REELS reels showed. A visual picked by hand
(scenes.services.visual_choice) or uploaded for this reel is the user's call and skips the
second rule.

A visual is known by its bytes (Asset.sha256): the same stock photo fetched for two reels is
two rows with one digest.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import Q

from media.services import sha256_of
from scenes.models import Scene
from stories.models import Story

RECENT_REELS = 10
# Each try past the first asks the provider for a result further down its list.
MAX_FRESH_TRIES = 3


def visuals_to_avoid(*, story: Story, scene_id: int) -> set[str]:
    """Digests of the visuals the story's other scenes show and of those the owner's last
    RECENT_REELS other reels (trash included: it was published or seen) showed."""
    recent = list(
        Story.objects.filter(owner_id=story.owner_id)
        .exclude(pk=story.pk)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[:RECENT_REELS]
    )
    shown = (
        Scene.objects.filter(Q(story_id=story.pk) | Q(story_id__in=recent), visual__isnull=False)
        .exclude(pk=scene_id)
        .values_list("visual__sha256", flat=True)
    )
    return {digest for digest in shown if digest}


def is_fresh(path: Path, avoid: set[str]) -> bool:
    return sha256_of(path) not in avoid


def upload_for(*, scene: Scene, uploads: list) -> object | None:
    """The upload for this scene: the one at its position, so no two scenes share one; scenes
    past the last upload get a visual made for them instead."""
    return uploads[scene.position] if scene.position < len(uploads) else None


def try_index(*, position: int, attempt: int, scene_count: int) -> int:
    """The result index a scene asks for on its `attempt`-th try: distinct across the story's
    scenes on every try (position, then position + n, position + 2n...)."""
    return position + attempt * scene_count
