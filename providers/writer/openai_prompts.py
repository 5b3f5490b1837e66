"""What the OpenAI writer sends and reads back: the prompts (prompts/plan.<version>.<language>.txt),
the JSON schema of a plan for structured outputs, and the answer parsed into a Plan."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from string import Template

from providers.writer.base import (
    MAX_HASHTAGS,
    MAX_SCENES,
    MAX_SCRIPT_SCENES,
    MIN_HASHTAGS,
    Brief,
    InvalidPlan,
    Plan,
    PlannedScene,
    has_end_card,
    min_scenes,
    scene_count,
)
from providers.writer.rates import EN_WORDS_PER_S, KO_SYLLABLES_PER_S, speech_budget_ms

PROVIDER = "openai"
PROMPT_VERSION = "v1"
PROMPTS_DIR = Path(__file__).with_name("prompts")
SCHEMA_NAME = "reel_plan"


@cache
def _sections(language: str, version: str = PROMPT_VERSION) -> dict[str, Template]:
    path = PROMPTS_DIR / f"plan.{version}.{language}.txt"
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^\[(\w+)\]\n", text, flags=re.MULTILINE)
    return {
        name: Template(body.strip()) for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def plan_schema(brief: Brief) -> dict:
    """The JSON schema the model must answer with (strict: every field required, no extras)."""
    low = 1 if brief.script else min_scenes(brief.duration_s)
    high = MAX_SCRIPT_SCENES if brief.script else MAX_SCENES
    scene = {
        "type": "object",
        "properties": {
            "narration": {"type": "string"},
            "visual_prompt": {"type": "string"},
            "duration_s": {"type": "number"},
            "key_phrase": {"type": "string"},
        },
        "required": ["narration", "visual_prompt", "duration_s", "key_phrase"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "hook": {"type": "string"},
            "scenes": {"type": "array", "items": scene, "minItems": low, "maxItems": high},
            "call_to_action": {"type": "string"},
            "post_caption": {"type": "string"},
            "hashtags": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": MIN_HASHTAGS,
                "maxItems": MAX_HASHTAGS,
            },
        },
        "required": ["title", "hook", "scenes", "call_to_action", "post_caption", "hashtags"],
        "additionalProperties": False,
    }


def build_messages(brief: Brief) -> list[dict]:
    """System and user messages for `brief`, in its language, with its business details."""
    language = brief.language if brief.language in ("ko", "en") else "en"
    sections = _sections(language)
    low = 1 if brief.script else min_scenes(brief.duration_s)
    high = MAX_SCRIPT_SCENES if brief.script else MAX_SCENES
    hint = scene_count(brief.duration_s)
    # What all the narration may say, in the units the rate counts (syllables or words).
    room_s = (
        speech_budget_ms(duration_s=brief.duration_s, scenes=hint, end_card=has_end_card(brief))
        / 1000
    )
    rate = (
        f"초당 {KO_SYLLABLES_PER_S:g}음절"
        if language == "ko"
        else f"{EN_WORDS_PER_S:g} words per second"
    )
    values = {
        "keyword": " ".join(brief.keyword.split()),
        "duration_s": brief.duration_s,
        "aspect": brief.aspect,
        "style": brief.style,
        "tone": brief.tone,
        "speech_rate": rate,
        "min_scenes": low,
        "max_scenes": high,
        "scene_hint": hint,
        "speech_s": f"{room_s:.0f}",
        "speech_units": round(
            room_s * (KO_SYLLABLES_PER_S if language == "ko" else EN_WORDS_PER_S)
        ),
        "min_hashtags": MIN_HASHTAGS,
        "max_hashtags": MAX_HASHTAGS,
        "name": brief.detail("name"),
        "place": brief.detail("place"),
        "product": brief.detail("product") or brief.detail("menu"),
        "audience": brief.detail("audience"),
        "offer": brief.detail("offer"),
        "contact": brief.detail("contact"),
        "script": (brief.script or "").strip(),
    }
    user = sections["user"].safe_substitute(values)
    if brief.script:
        user += "\n\n" + sections["script"].safe_substitute(values)
    return [
        {"role": "system", "content": sections["system"].safe_substitute(values)},
        {"role": "user", "content": user},
    ]


def fix_message(brief: Brief, error: str) -> dict:
    language = brief.language if brief.language in ("ko", "en") else "en"
    return {"role": "user", "content": _sections(language)["fix"].safe_substitute(error=error)}


def parse_plan(content: str, *, provider: str = PROVIDER) -> Plan:
    """Our Plan from the model's JSON text. Raises InvalidPlan ('json') when it is not one."""
    try:
        data = json.loads(content)
    except (TypeError, ValueError) as exc:
        raise InvalidPlan("json", f"the answer is not JSON ({exc})", provider=provider) from None
    try:
        scenes = [
            PlannedScene(
                narration=str(item["narration"]).strip(),
                visual_prompt=str(item["visual_prompt"]).strip(),
                duration_ms=round(float(item["duration_s"]) * 1000),
                key_phrase=str(item.get("key_phrase") or "").strip()[:120],
            )
            for item in data["scenes"]
        ]
        hashtags = [str(tag).strip() for tag in data["hashtags"]]
        return Plan(
            title=str(data["title"]).strip(),
            hook=str(data["hook"]).strip(),
            scenes=scenes,
            call_to_action=str(data["call_to_action"]).strip(),
            post_caption=str(data["post_caption"]).strip(),
            hashtags=[tag if tag.startswith("#") else f"#{tag}" for tag in hashtags],
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidPlan(
            "json",
            f"the JSON does not have the plan's shape ({type(exc).__name__}: {exc})",
            provider=provider,
        ) from None
