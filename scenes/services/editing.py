"""Scene edits: change what a scene says or shows; only what changed is made again."""

from __future__ import annotations

from django.db import transaction

from scenes.models import Scene
from stories import services as story_services
from stories.models import Story
from stories.states import Status


@transaction.atomic
def update_scene(*, scene_id: int, by=None, **changes) -> Scene:
    """Apply `changes` (narration, visual_prompt, key_phrase). A new narration drops the voice
    and a new visual prompt the visual, so the next render makes just those again; a story
    with a preview goes back to PLANNED. Raises PlanLocked while the plan is locked."""
    scene = Scene.objects.select_for_update().get(pk=scene_id)
    story = Story.objects.select_for_update().get(pk=scene.story_id)
    story_services.ensure_plan_editable(story=story)
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
    scene.save(update_fields=[*fields, "updated_at"])
    if story.status == Status.PREVIEW_READY:
        story_services.transition_story(
            story_id=story.pk, to=Status.PLANNED, by=by, reason=f"scene {scene.position + 1} edited"
        )
    return scene
