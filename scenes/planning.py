"""Writing a story's plan: the writer turns the brief into scenes, caption and hashtags."""

from __future__ import annotations

from typing import Literal, cast

from django.db import transaction

from billing.services import record_usage
from providers.registry import get_writer
from providers.writer.base import Brief, Plan, validate_plan
from providers.writer.repair import repair_plan
from scenes.models import Prompt, Scene
from stories import services as story_services
from stories.models import Story


def brief_for(story: Story) -> Brief:
    return Brief(
        keyword=story.keyword,
        # Story.language is validated against stories.models.Language (ko, en).
        language=cast(Literal["ko", "en"], story.language),
        duration_s=story.duration_s,
        aspect=story.aspect,
        style=story.style or "modern",
        tone=story.tone or "friendly",
        business={k: str(v) for k, v in (story.business or {}).items()},
        script=story.script or None,
    )


def write_plan(*, story_id: int, job=None) -> dict:
    """Ask the writer for a plan, repaired where it broke a rule, and store it as the story's
    scenes; the repairs are the story's plan degradation. Safe to repeat: a rerun replaces
    the scenes it wrote before. Raises FallbackRefused, keeping nothing, when the plan needed
    repair and the story asked to fail rather than degrade."""
    story = Story.objects.get(pk=story_id)
    brief = brief_for(story)
    writer = get_writer()
    plan = validate_plan(repair_plan(writer.write(brief=brief), brief), brief)
    record_usage(usage=plan.usage, story=story, job=job)  # paid for, kept or not
    repairs = list(plan.repairs)
    if repairs:
        reason = "the writer's plan needed repair: " + "; ".join(repairs)
        story_services.ensure_fallback_allowed(story=story, step="plan", reason=reason)
    with transaction.atomic():
        save_plan(story=story, plan=plan)
        story_services.record_degradation(
            story_id=story.pk, step="plan", reasons=repairs, reset=True
        )
    return {"provider": plan.usage.provider if plan.usage else type(writer).__name__}


@transaction.atomic
def save_plan(*, story: Story, plan: Plan) -> None:
    story = Story.objects.select_for_update().get(pk=story.pk)
    story.scenes.all().delete()
    for position, planned in enumerate(plan.scenes):
        scene = Scene.objects.create(
            story=story,
            position=position,
            narration=planned.narration,
            visual_prompt=planned.visual_prompt,
            key_phrase=planned.key_phrase[:120],
            duration_ms=planned.duration_ms,
        )
        Prompt.objects.bulk_create(
            [
                Prompt(
                    scene=scene,
                    kind=Prompt.Kind.NARRATION,
                    text=planned.narration,
                    provider="writer",
                    is_selected=True,
                ),
                Prompt(
                    scene=scene,
                    kind=Prompt.Kind.VISUAL,
                    text=planned.visual_prompt,
                    provider="writer",
                    is_selected=True,
                ),
            ]
        )
    story.title = plan.title[:200]
    story.hook = plan.hook[:300]
    story.post_caption = plan.post_caption
    story.hashtags = list(plan.hashtags)
    story.save(update_fields=["title", "hook", "post_caption", "hashtags", "updated_at"])
