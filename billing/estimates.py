"""What finishing a story will cost: the units the providers the registry picks will be asked
for (LLM tokens, images, voice characters, render seconds), priced from ProviderPrice."""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings

from billing.pricing import usage_cost
from billing.selectors import story_cost
from providers.base import Usage
from providers.registry import chosen_provider
from providers.writer.base import MAX_SCENES, MIN_SCENES
from providers.writer.rates import characters_for
from stories.models import Story
from stories.states import Status

# What a planned story typically holds: MIN_SCENES to MAX_SCENES scenes of ~5 s.
SECONDS_PER_SCENE = 5


def _line(capability: str, usage: Usage) -> dict:
    units = round(float(usage.units), 3)
    return {
        "capability": capability,
        "provider": usage.provider,
        "model": usage.model,
        "unit": usage.unit,
        "units": units,
        "cost_usd": usage_cost(usage) if units else Decimal("0"),
    }


def _planned(capability: str, *, unit: str, units: float, **billed: float) -> Usage:
    """The usage `capability`'s chosen provider (admin row, else settings, else offline) will
    report for `units` of `unit`; `billed` splits units its price list bills apart."""
    chosen = chosen_provider(capability)
    return Usage(
        provider=chosen.provider,
        model=chosen.model,
        units=round(float(units), 3),
        unit=unit,
        billed=tuple((name, round(float(n), 3)) for name, n in billed.items()),
    )


def cost_estimate(*, story: Story) -> dict:
    """What the providers that will run are asked for to finish this story and its price.
    Work already done (a written plan, scene visuals and voices) is not counted again.
    Reads only: calls no provider."""
    scenes = list(story.scenes.all())
    seconds = sum(s.duration_ms for s in scenes) / 1000 if scenes else float(story.duration_s)
    n_scenes = len(scenes) or max(
        MIN_SCENES, min(MAX_SCENES, round(story.duration_s / SECONDS_PER_SCENE))
    )
    narration_chars = characters_for(story.duration_s, language=story.language)
    lines = []
    if story.status in (Status.DRAFT, Status.PLANNING) or not scenes:
        brief_chars = len(story.keyword) + len(story.script) + len(str(story.business or ""))
        # the prompt (instructions + brief), then the answer (narration, prompts, caption)
        tokens_in = math.ceil(600 + brief_chars / 3)
        tokens_out = math.ceil(narration_chars * 0.8 + n_scenes * 60)
        writer = _planned(
            "writer",
            unit="tokens",
            units=tokens_in + tokens_out,
            input_tokens=tokens_in,
            output_tokens=tokens_out,
        )
        lines.append(_line("writer", writer))
    images = sum(1 for s in scenes if s.visual_id is None) if scenes else n_scenes
    lines.append(_line("visual", _planned("visual", unit="images", units=images)))
    voice_chars = (
        sum(len(s.narration) for s in scenes if s.voice_id is None) if scenes else narration_chars
    )
    lines.append(_line("voice", _planned("voice", unit="characters", units=voice_chars)))
    # one preview and one final render of every scene
    render_s = seconds * (2 if story.status != Status.PREVIEW_READY else 1)
    if story.status in (Status.COMPLETED, Status.ARCHIVED):
        render_s = 0
    render = Usage(
        provider="ffmpeg", model=settings.RENDER_ENCODER or "", units=render_s, unit="seconds"
    )
    lines.append(_line("render", render))
    total = sum((line["cost_usd"] for line in lines), Decimal("0"))
    return {"currency": "USD", "lines": lines, "total_usd": total, "spent_usd": story_cost(story)}


def scene_parts_estimate(*, scene, parts: tuple[str, ...], text: str | None = None) -> Decimal:
    """What making the scene's `parts` ("visual", "voice") again costs, in USD: one image, and
    the narration (or `text`) spoken. Reads only: calls no provider."""
    total = Decimal("0")
    if "visual" in parts:
        total += usage_cost(_planned("visual", unit="images", units=1))
    if "voice" in parts:
        chars = len(scene.narration if text is None else text)
        total += usage_cost(_planned("voice", unit="characters", units=chars))
    return total
