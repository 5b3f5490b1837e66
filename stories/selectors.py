"""Reads of stories: owner scoping, their jobs and transitions, statistics, cost estimates."""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from reelmaker.stats import percentile
from stories.models import Story, StoryStateTransition
from stories.states import Status

MEDIA_FIELDS = ("preview", "final", "thumbnail", "captions_srt", "captions_vtt")

# Rough speaking rates used to estimate narration length before a plan exists.
CHARS_PER_SECOND = {"ko": 7, "en": 15}
# What a planned story typically holds (providers.writer.base: 4 to 8 scenes of ~5 s).
SECONDS_PER_SCENE = 5
MIN_SCENES, MAX_SCENES = 4, 8


def stories_for(*, user) -> QuerySet[Story]:
    """The user's stories (another user's are not there), with their media files."""
    return Story.objects.filter(owner=user).select_related(*MEDIA_FIELDS)


def story_for(*, user, story_id) -> Story:
    """The one owner-scoped lookup: the user's story, or Http404 when it is missing or
    someone else's (never a 403, which would tell that it exists)."""
    return get_object_or_404(Story.objects.filter(owner=user), pk=story_id)


def story_transitions(*, story: Story) -> QuerySet[StoryStateTransition]:
    return (
        StoryStateTransition.objects.filter(story=story)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def story_statistics(*, user) -> dict:
    """Counts by status, success rate (completed / (completed + failed)) and the average and
    p95 time from creation to the final video, in seconds."""
    mine = Story.objects.filter(owner=user).order_by()
    counts = dict.fromkeys(Status.values, 0)
    for row in mine.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    totals = mine.aggregate(
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )
    finished = totals["completed"] + totals["failed"]
    durations = [
        delta.total_seconds()
        for delta in mine.filter(completed_at__isnull=False)
        .annotate(took=F("completed_at") - F("created_at"))
        .values_list("took", flat=True)
    ]
    return {
        "total": sum(counts.values()),
        "by_status": counts,
        "completed": totals["completed"],
        "failed": totals["failed"],
        "success_rate": round(totals["completed"] / finished, 4) if finished else None,
        "time_to_final_s": {
            "average": round(sum(durations) / len(durations), 3) if durations else None,
            "p95": percentile(durations, 0.95),
        },
    }


def _writer_model() -> tuple[str, str]:
    if settings.REELMAKER_WRITER == "openai":
        return "openai", getattr(settings, "OPENAI_WRITER_MODEL", "")
    return settings.REELMAKER_WRITER, ""


def _voice_model() -> tuple[str, str]:
    if settings.REELMAKER_VOICE == "elevenlabs":
        return "elevenlabs", getattr(settings, "ELEVENLABS_MODEL_ID", "")
    return "espeak", ""


def cost_estimate(*, story: Story) -> dict:
    """What the configured providers will be asked for to finish this story (LLM tokens,
    images, voice characters, render seconds) and the price from billing's price table.
    Work already done (a written plan, scene visuals and voices) is not counted again."""
    from billing.pricing import price_for  # billing owns the prices
    from billing.selectors import story_cost

    scenes = list(story.scenes.all())
    seconds = sum(s.duration_ms for s in scenes) / 1000 if scenes else float(story.duration_s)
    n_scenes = len(scenes) or max(
        MIN_SCENES, min(MAX_SCENES, round(story.duration_s / SECONDS_PER_SCENE))
    )
    cps = CHARS_PER_SECOND.get(story.language, 12)
    lines = []

    def add(capability: str, provider: str, model: str, unit: str, units: float) -> None:
        units = round(float(units), 3)
        lines.append(
            {
                "capability": capability,
                "provider": provider,
                "model": model,
                "unit": unit,
                "units": units,
                "cost_usd": price_for(provider, model, unit, units) if units else Decimal("0"),
            }
        )

    if story.status in (Status.DRAFT, Status.PLANNING) or not scenes:
        brief_chars = len(story.keyword) + len(story.script) + len(str(story.business or ""))
        # prompt (instructions + brief) plus the answer (narration, prompts, caption)
        tokens = 600 + brief_chars / 3 + story.duration_s * cps * 0.8 + n_scenes * 60
        provider, model = _writer_model()
        add("writer", provider, model, "tokens", math.ceil(tokens))
    visual_provider = (settings.REELMAKER_VISUALS or ["artwork"])[0]
    images = sum(1 for s in scenes if s.visual_id is None) if scenes else n_scenes
    add("visual", visual_provider, "", "images", images)
    voice_chars = (
        sum(len(s.narration) for s in scenes if s.voice_id is None)
        if scenes
        else story.duration_s * cps
    )
    provider, model = _voice_model()
    add("voice", provider, model, "characters", voice_chars)
    # one preview and one final render of every scene
    render_s = seconds * (2 if story.status != Status.PREVIEW_READY else 1)
    if story.status in (Status.COMPLETED, Status.ARCHIVED):
        render_s = 0
    add("render", "ffmpeg", settings.RENDER_ENCODER or "", "seconds", render_s)
    total = sum((line["cost_usd"] for line in lines), Decimal("0"))
    return {"currency": "USD", "lines": lines, "total_usd": total, "spent_usd": story_cost(story)}
