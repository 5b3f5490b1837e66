"""A scene's prompts: alternatives for its narration and its visual. Selecting one makes it the
scene's text (an edit); testing one runs the provider and changes nothing."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from billing.services import record_usage
from providers import registry as providers
from providers.voice.speak import speak_written
from providers.writer.template import scene_visual_prompt
from render.profiles import profile_for
from scenes.models import Prompt, Scene
from scenes.planning import brief_for
from scenes.services.editing import lock_story_for_edit, update_scene
from scenes.services.media import workdir
from scenes.services.pronunciations import lexicon_for
from stories.states import Profile

# Keyed by str: Prompt.kind is a plain str, and Prompt.Kind members are str (equal, same hash).
SCENE_FIELD: dict[str, str] = {
    Prompt.Kind.NARRATION: "narration",
    Prompt.Kind.VISUAL: "visual_prompt",
}


@transaction.atomic
def create_prompt(*, scene_id: int, kind: str, text: str, by=None) -> Prompt:
    """A new, unselected alternative for the scene."""
    story_id = Scene.objects.values_list("story_id", flat=True).get(pk=scene_id)
    lock_story_for_edit(story_id=story_id)
    return Prompt.objects.create(scene_id=scene_id, kind=kind, text=text, provider="user")


@transaction.atomic
def update_prompt(*, prompt_id: int, text: str, by=None) -> Prompt:
    """Change a prompt's text; a selected prompt's scene changes with it."""
    prompt = Prompt.objects.select_related("scene").get(pk=prompt_id)
    lock_story_for_edit(story_id=prompt.scene.story_id)
    prompt = Prompt.objects.select_for_update().get(pk=prompt_id)
    if prompt.text != text:
        prompt.text = text
        prompt.save(update_fields=["text", "updated_at"])
        if prompt.is_selected:
            update_scene(scene_id=prompt.scene_id, by=by, **{SCENE_FIELD[prompt.kind]: text})
    return prompt


@transaction.atomic
def delete_prompt(*, prompt_id: int, by=None) -> None:
    """Remove an alternative. The scene keeps its text even when the prompt was selected."""
    prompt = Prompt.objects.select_related("scene").get(pk=prompt_id)
    lock_story_for_edit(story_id=prompt.scene.story_id)
    Prompt.objects.filter(pk=prompt_id).delete()


@transaction.atomic
def select_prompt(*, prompt_id: int, by=None) -> Prompt:
    """Make this the one selected prompt of its scene and kind, and the scene's text."""
    prompt = Prompt.objects.select_related("scene").get(pk=prompt_id)
    lock_story_for_edit(story_id=prompt.scene.story_id)
    Scene.objects.select_for_update().get(pk=prompt.scene_id)  # serialise selects per scene
    Prompt.objects.filter(scene_id=prompt.scene_id, kind=prompt.kind, is_selected=True).exclude(
        pk=prompt.pk
    ).update(is_selected=False)
    if not prompt.is_selected:
        prompt.is_selected = True
        prompt.save(update_fields=["is_selected", "updated_at"])
    update_scene(scene_id=prompt.scene_id, by=by, **{SCENE_FIELD[prompt.kind]: prompt.text})
    return prompt


@transaction.atomic
def generate_visual_prompts(*, story_id: int, by=None) -> list[Scene]:
    """Write a visual prompt for each scene of the story that has none (scenes a user made by
    hand): the offline writer's shot for the scene's place in the story, in the story's style,
    about its narration, stored as the scene's selected visual prompt. Scenes with a prompt
    keep it; safe to repeat. Raises PlanLocked, StoryBusy or IllegalTransition as any scene
    edit. Returns the scenes given a prompt."""
    story = lock_story_for_edit(story_id=story_id)
    scenes = list(story.scenes.order_by("position"))
    brief = brief_for(story)
    written = []
    for index, scene in enumerate(scenes):
        if scene.visual_prompt.strip():
            continue
        text = scene_visual_prompt(
            brief=brief, narration=scene.narration, position=index, count=len(scenes)
        )
        Prompt.objects.filter(scene=scene, kind=Prompt.Kind.VISUAL, is_selected=True).update(
            is_selected=False
        )
        Prompt.objects.create(
            scene=scene, kind=Prompt.Kind.VISUAL, text=text, provider="writer", is_selected=True
        )
        written.append(update_scene(scene_id=scene.pk, by=by, visual_prompt=text))
    return written


@dataclass(frozen=True)
class PromptTestResult:
    kind: str
    provider: str
    mime_type: str
    data_url: str
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None
    words: list[dict] = field(default_factory=list)
    cost_usd: Decimal = Decimal("0")


def run_prompt_test(*, prompt_id: int, by=None) -> PromptTestResult:
    """Run the configured provider on the prompt (a preview-size image, or the narration
    spoken) and return what it made. The scene is not changed; the usage is recorded.
    Raises ProviderError subclasses (shown as EXTERNAL_API_ERROR or INVALID_REQUEST)."""
    prompt = Prompt.objects.select_related("scene__story__owner").get(pk=prompt_id)
    scene, story = prompt.scene, prompt.scene.story
    with workdir() as tmp:
        if prompt.kind == Prompt.Kind.VISUAL:
            preview = profile_for(Profile.PREVIEW, story.aspect)
            made = providers.get_visual_provider().make(
                prompt=prompt.text or scene.narration,
                key_phrase=scene.key_phrase,
                style=story.style or "modern",
                language=story.language,
                index=scene.position,
                width=preview.width,
                height=preview.height,
                out_path=Path(tmp) / "test.png",
            )
            result = PromptTestResult(
                kind=prompt.kind,
                provider=made.provider,
                mime_type=made.mime,
                data_url=_data_url(made.path, made.mime),
                width=made.width,
                height=made.height,
            )
            usage = made.usage
        else:
            speech = speak_written(
                providers.get_voice_provider(),
                text=prompt.text,
                language=story.language,
                voice=story.voice,
                out_path=Path(tmp) / "test.wav",
                lexicon=lexicon_for(user_id=story.owner_id, language=story.language),
            )
            result = PromptTestResult(
                kind=prompt.kind,
                provider=speech.usage.provider if speech.usage else "voice",
                mime_type="audio/wav",
                data_url=_data_url(speech.audio_path, "audio/wav"),
                duration_ms=speech.duration_ms,
                words=[word.to_json() for word in speech.words],
            )
            usage = speech.usage
    record = record_usage(usage=usage, story=story)
    return replace(result, cost_usd=record.cost_usd) if record is not None else result


def _data_url(path: Path, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"
