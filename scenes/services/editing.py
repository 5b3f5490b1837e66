"""Scene edits: change what a scene says or shows; only what changed is made again.

Every edit takes the story's row lock, refuses while the plan is locked or a worker is busy
with the story (409 PLAN_LOCKED) and, when the story has a preview, moves it back to PLANNED.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from billing.services import ensure_narration_fits
from reelmaker.errors import InvalidRequest
from scenes.models import Prompt, Scene
from stories import services as story_services
from stories.models import Story
from stories.states import Status

MAX_SCENES_PER_STORY = 30
EDITABLE_FIELDS = ("narration", "visual_prompt", "key_phrase")


def lock_story_for_edit(*, story_id: int) -> Story:
    """Take the story's row lock and check that its scenes may change. Call inside atomic."""
    story = Story.objects.select_for_update().get(pk=story_id)
    story_services.ensure_editable(story=story, scenes=True)
    return story


def _edited(*, story: Story, by, reason: str) -> None:
    """A story with a preview goes back to PLANNED: its preview no longer matches."""
    if story.status == Status.PREVIEW_READY:
        story_services.transition_story(story_id=story.pk, to=Status.PLANNED, by=by, reason=reason)


@transaction.atomic
def update_scene(*, scene_id: int, by=None, **changes) -> Scene:
    """Apply `changes` (narration, visual_prompt, key_phrase). A new narration drops the voice
    and a new visual prompt the visual, so the next render makes just those again; a story
    with a preview goes back to PLANNED. Raises PlanLocked while the plan is locked and
    InvalidRequest past the plan's narration cap (billing.services.max_narration_chars)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidRequest(
            details={"fields": {name: [_("This field cannot be edited.")] for name in unknown}}
        )
    story_id = Scene.objects.values_list("story_id", flat=True).get(pk=scene_id)
    story = lock_story_for_edit(story_id=story_id)
    scene = Scene.objects.select_for_update().get(pk=scene_id)
    fields = []
    for name, value in changes.items():
        if getattr(scene, name) != value:
            setattr(scene, name, value)
            fields.append(name)
    if "narration" in fields:
        scene.voice, scene.word_timings = None, []
        fields += ["voice", "word_timings"]
    if "visual_prompt" in fields:
        scene.visual = None
        fields.append("visual")
    if not fields:
        return scene
    if "narration" in fields:
        others = _narration_chars(story_id=story.pk, exclude_id=scene.pk)
        ensure_narration_fits(user=story.owner, narration_chars=others + len(scene.narration))
    scene.save(update_fields=[*fields, "updated_at"])
    _edited(story=story, by=by, reason=f"scene {scene.position + 1} edited")
    return scene


def _rewrite_positions(*, story_id: int, ordered_ids: list[int]) -> None:
    """Give the scenes positions 0..n-1 in this order, in one statement where the unique
    (story, position) constraint is deferred (PostgreSQL); in two where it is not."""
    scenes = list(Scene.objects.filter(story_id=story_id, pk__in=ordered_ids))
    by_id = {scene.pk: scene for scene in scenes}
    if not connection.features.supports_deferrable_unique_constraints:
        for scene in scenes:
            scene.position += 10_000
        Scene.objects.bulk_update(scenes, ["position"])
    changed = []
    for position, scene_id in enumerate(ordered_ids):
        scene = by_id[scene_id]
        if scene.position != position:
            scene.position = position
            changed.append(scene)
    if changed:
        Scene.objects.bulk_update(changed, ["position"])


def _ordered_ids(story_id: int) -> list[int]:
    return list(
        Scene.objects.filter(story_id=story_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )


def _narration_chars(*, story_id: int, exclude_id: int | None = None) -> int:
    scenes = Scene.objects.filter(story_id=story_id)
    if exclude_id is not None:
        scenes = scenes.exclude(pk=exclude_id)
    return scenes.aggregate(total=Sum(Length("narration")))["total"] or 0


def _new_scene(
    *, story: Story, narration: str, visual_prompt: str, key_phrase: str, duration_ms: int = 0
) -> Scene:
    scene = Scene.objects.create(
        story=story,
        position=1000 + Scene.objects.filter(story=story).count(),
        narration=narration,
        visual_prompt=visual_prompt,
        key_phrase=key_phrase,
        duration_ms=duration_ms,
    )
    Prompt.objects.bulk_create(
        [
            Prompt(scene=scene, kind=Prompt.Kind.NARRATION, text=narration, is_selected=True),
            Prompt(scene=scene, kind=Prompt.Kind.VISUAL, text=visual_prompt, is_selected=True),
        ]
    )
    return scene


@transaction.atomic
def create_scenes(*, story_id: int, scenes: list[dict], by=None) -> list[Scene]:
    """Add scenes (all or none). Each goes last, or at its `position` with later scenes moved
    down. Refused past MAX_SCENES_PER_STORY and past the plan's narration cap
    (billing.services.max_narration_chars)."""
    story = lock_story_for_edit(story_id=story_id)
    order = _ordered_ids(story.pk)
    if len(order) + len(scenes) > MAX_SCENES_PER_STORY:
        raise InvalidRequest(
            details={"max_scenes": MAX_SCENES_PER_STORY, "existing": len(order)},
        )
    added = sum(len(data["narration"]) for data in scenes)
    ensure_narration_fits(
        user=story.owner, narration_chars=_narration_chars(story_id=story.pk) + added
    )
    created = []
    for data in scenes:
        scene = _new_scene(
            story=story,
            narration=data["narration"],
            visual_prompt=data.get("visual_prompt", ""),
            key_phrase=data.get("key_phrase", ""),
            duration_ms=data.get("duration_ms", 0),
        )
        position = data.get("position")
        order.insert(len(order) if position is None else min(position, len(order)), scene.pk)
        created.append(scene)
    _rewrite_positions(story_id=story.pk, ordered_ids=order)
    _edited(story=story, by=by, reason=f"{len(created)} scene(s) added")
    return list(Scene.objects.filter(pk__in=[s.pk for s in created]).order_by("position"))


@transaction.atomic
def delete_scene(*, scene_id: int, by=None) -> None:
    """Remove a scene; the later ones move up."""
    story_id = Scene.objects.values_list("story_id", flat=True).get(pk=scene_id)
    story = lock_story_for_edit(story_id=story_id)
    position = Scene.objects.values_list("position", flat=True).get(pk=scene_id)
    Scene.objects.filter(pk=scene_id).delete()
    _rewrite_positions(story_id=story.pk, ordered_ids=_ordered_ids(story.pk))
    _edited(story=story, by=by, reason=f"scene {position + 1} removed")


@transaction.atomic
def reorder_scenes(*, story_id: int, scene_ids: list[int], by=None) -> list[Scene]:
    """Put the story's scenes in this order; `scene_ids` must name each of them once."""
    story = lock_story_for_edit(story_id=story_id)
    current = _ordered_ids(story.pk)
    if len(scene_ids) != len(set(scene_ids)) or set(scene_ids) != set(current):
        raise InvalidRequest(details={"scene_ids": current})
    if scene_ids != current:
        _rewrite_positions(story_id=story.pk, ordered_ids=scene_ids)
        _edited(story=story, by=by, reason="scenes reordered")
    return list(Scene.objects.filter(story=story).order_by("position"))


@transaction.atomic
def drop_scene_parts(*, scene_id: int, parts: tuple[str, ...], by=None) -> Scene:
    """Forget this scene's visual, voice or both (`parts`), so that they are made again; a story
    with a preview goes back to PLANNED. Raises PlanLocked, StoryBusy or IllegalTransition."""
    story_id = Scene.objects.values_list("story_id", flat=True).get(pk=scene_id)
    story = lock_story_for_edit(story_id=story_id)
    scene = Scene.objects.select_for_update().get(pk=scene_id)
    fields = []
    if "visual" in parts:
        scene.visual = None
        fields.append("visual")
    if "voice" in parts:
        scene.voice, scene.word_timings = None, []
        fields += ["voice", "word_timings"]
    scene.save(update_fields=[*fields, "updated_at"])
    _edited(
        story=story, by=by, reason=f"scene {scene.position + 1} regenerated ({'+'.join(parts)})"
    )
    return scene


@transaction.atomic
def copy_scenes(*, source: Story, target: Story) -> int:
    """Copy the scenes (with their prompts, visuals and voices) of one story into another."""
    count = 0
    for scene in source.scenes.order_by("position").prefetch_related("prompts"):
        copy = Scene.objects.create(
            story=target,
            position=scene.position,
            narration=scene.narration,
            visual_prompt=scene.visual_prompt,
            key_phrase=scene.key_phrase,
            duration_ms=scene.duration_ms,
            visual_id=scene.visual_id,
            voice_id=scene.voice_id,
            word_timings=scene.word_timings,
            voice_key=scene.voice_key,
        )
        Prompt.objects.bulk_create(
            [
                Prompt(
                    scene=copy,
                    kind=p.kind,
                    text=p.text,
                    provider=p.provider,
                    is_selected=p.is_selected,
                )
                for p in scene.prompts.all()
            ]
        )
        count += 1
    return count
