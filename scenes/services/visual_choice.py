"""A scene's visual picked by hand: a stock search result (media.stock's signed choice), an
artwork variant, or a file from the user's library. Only that scene is made again.

A hand pick may repeat a visual the user's earlier reels showed (the automatic choice avoids
them), but never one another scene of the same reel shows.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from billing.services import record_usage
from media import stock
from media.models import Asset
from media.services import local_copy, save_asset
from providers.visual.artwork import PROVIDER as ARTWORK
from providers.visual.artwork import ArtworkProvider
from providers.visual.base import VisualResult
from providers.visual.stock import StockHit
from reelmaker.errors import InvalidRequest
from render.profiles import profile_for
from scenes.models import Scene
from scenes.services.editing import _edited, lock_story_for_edit
from scenes.services.media import _credit_in_caption, save_visual, workdir
from stories import services as story_services
from stories.models import Story
from stories.states import Profile

PICKABLE_KINDS = (Asset.Kind.IMAGE, Asset.Kind.VIDEO)
DEFAULT_CLIP_MS = 5000


def set_scene_visual(*, scene_id: int, by=None, choice: str = "", asset_id: int | None = None):
    """Show `choice` (a search result) or the library file `asset_id` in this scene. The file is
    fetched (SSRF guard, content checked) before the story's lock is taken; a refusal after it
    leaves the scene as it was. Raises InvalidRequest (a stale choice, a file not yours, a
    visual another scene shows), PlanLocked / StoryBusy / IllegalTransition, ProviderError."""
    scene = Scene.objects.select_related("story").get(pk=scene_id)
    story = scene.story
    story_services.ensure_editable(story=story, scenes=True)
    if asset_id is not None:
        asset = _library_copy(story=story, asset_id=asset_id)
        credit = False
    else:
        hit, prompt = stock.read_choice(choice)
        with workdir() as tmp:
            result, credit = _fetch(hit, prompt=prompt, story=story, scene=scene, tmp=Path(tmp))
            asset = save_visual(story, result, prompt=prompt)
        record_usage(usage=result.usage, story=story)
    scene = _attach(scene_id=scene.pk, asset=asset, by=by)
    if credit and asset.attribution:
        _credit_in_caption(story_id=story.pk, credit=asset.attribution)
    return scene


def _library_copy(*, story: Story, asset_id: int) -> Asset:
    """The owner's picture or clip as an asset of this story (a copy when it belongs to another
    reel, so that emptying that reel's trash does not take it from this one)."""
    asset = Asset.objects.filter(
        pk=asset_id, owner_id=story.owner_id, kind__in=PICKABLE_KINDS
    ).first()
    if asset is None:
        raise InvalidRequest(
            details={"fields": {"asset": [_("No picture or clip of yours has this id.")]}}
        )
    if asset.story_id == story.pk:
        return asset
    with workdir() as tmp:
        return save_asset(
            owner=story.owner,
            story=story,
            kind=asset.kind,
            path=local_copy(asset, Path(tmp)),
            mime_type=asset.mime_type,
            source_provider=asset.source_provider,
            duration_ms=asset.duration_ms,
            width=asset.width,
            height=asset.height,
            licence=asset.licence,
            attribution=asset.attribution,
            source_url=asset.source_url,
            prompt=asset.prompt,
        )


def _fetch(hit: StockHit, *, prompt: str, story: Story, scene: Scene, tmp: Path):
    """The picked hit on disk, and whether its licence wants the credit in the post caption."""
    out_path = tmp / f"picked-{scene.position}.png"
    if hit.provider == ARTWORK:
        final = profile_for(Profile.FINAL, story.aspect)
        result: VisualResult = ArtworkProvider().make(
            prompt=prompt,
            key_phrase="",
            style="modern",
            language=story.language,
            index=int(hit.id or 0),
            width=final.width,
            height=final.height,
            out_path=out_path,
        )
        return result, False
    provider = next((p for p in stock.search_providers(hit.kind) if p.name == hit.provider), None)
    if provider is None:
        raise InvalidRequest(
            details={"fields": {"choice": [_("This provider is not configured any more.")]}}
        )
    result = provider.fetch(
        hit, out_path=out_path, duration_ms=scene.duration_ms or DEFAULT_CLIP_MS
    )
    return result, getattr(provider, "credit_in_caption", False)


@transaction.atomic
def _attach(*, scene_id: int, asset: Asset, by) -> Scene:
    story_id = Scene.objects.values_list("story_id", flat=True).get(pk=scene_id)
    story = lock_story_for_edit(story_id=story_id)
    scene = Scene.objects.select_for_update().get(pk=scene_id)
    other = (
        Scene.objects.filter(story_id=story.pk, visual__sha256=asset.sha256)
        .exclude(pk=scene.pk)
        .values_list("position", flat=True)
        .first()
    )
    if other is not None:
        raise InvalidRequest(
            _("Scene %(n)d already shows this visual: a reel never shows one twice.")
            % {"n": other + 1},
            details={"scene_position": other},
        )
    if scene.visual_id == asset.pk:
        return scene
    scene.visual = asset
    scene.save(update_fields=["visual", "updated_at"])
    _edited(story=story, by=by, reason=f"scene {scene.position + 1} visual picked")
    return scene
