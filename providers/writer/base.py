"""The writer interface: a brief in, a plan of scenes out, and the rules every plan keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from providers.base import PermanentProviderError, Usage

MIN_SCENES = 4
MAX_SCENES = 8
MAX_SCRIPT_SCENES = 30
MIN_HASHTAGS = 5
MAX_HASHTAGS = 15
DURATION_TOLERANCE = 0.2  # planned scenes may sum to the target +-20%
TITLE_MAX_CHARS = 100  # YouTube's title limit, the shortest of the platforms
POST_CAPTION_MAX_CHARS = 2200  # Instagram's and TikTok's caption limit


@dataclass(frozen=True)
class Brief:
    """What the user asked for. `business` may hold name, place, product, audience, offer and
    contact."""

    keyword: str
    language: Literal["ko", "en"] = "ko"
    duration_s: int = 30
    aspect: str = "9:16"
    style: str = "modern"
    tone: str = "friendly"
    business: dict[str, str] = field(default_factory=dict)
    script: str | None = None

    def detail(self, key: str) -> str:
        """A business detail, stripped; empty when not given."""
        return str(self.business.get(key) or "").strip()


@dataclass(frozen=True)
class PlannedScene:
    """One scene: what is said, what is shown, for how long, and the phrase shown large."""

    narration: str
    visual_prompt: str
    duration_ms: int
    key_phrase: str = ""


@dataclass(frozen=True)
class Plan:
    """A whole video's script: scenes in order plus what is posted beside the video."""

    title: str
    hook: str
    scenes: list[PlannedScene]
    call_to_action: str
    post_caption: str
    hashtags: list[str]
    usage: Usage | None = None
    # What repair_plan changed to make the plan keep the rules, one short note each.
    repairs: tuple[str, ...] = ()

    @property
    def duration_ms(self) -> int:
        return sum(scene.duration_ms for scene in self.scenes)


def scene_count(duration_s: int) -> int:
    """The scenes a reel of `duration_s` wants: 2 up to 6 s, 3 up to 10 s, 4 for 15 s, 6 for
    30 s, 8 from 60 s on. Short reels get fewer scenes: each scene adds a pause."""
    for limit, count in ((6, 2), (10, 3), (15, 4), (22, 5), (30, 6), (45, 7)):
        if duration_s <= limit:
            return count
    return 8


def min_scenes(duration_s: int) -> int:
    """The fewest scenes a plan of `duration_s` may have: MIN_SCENES, fewer for 5-10 s reels."""
    return min(MIN_SCENES, scene_count(duration_s))


def has_end_card(brief: Brief) -> bool:
    """Whether the reel must close on a business end card: the brief names a business."""
    return bool(brief.detail("name"))


class WriterProvider(Protocol):
    def write(self, *, brief: Brief) -> Plan:
        """A plan for `brief` that passes validate_plan. Raises ProviderError subclasses."""
        ...


class InvalidPlan(PermanentProviderError):
    """A plan broke one of the rules; `rule` names it (a writer bug or a bad model answer)."""

    def __init__(self, rule: str, message: str, *, provider: str = "writer"):
        super().__init__(f"{rule}: {message}", provider=provider)
        self.rule = rule


def validate_plan(plan: Plan, brief: Brief, *, provider: str = "writer") -> Plan:
    """Return `plan` unchanged if it keeps every rule; else raise InvalidPlan naming the rule."""

    def fail(rule: str, message: str) -> None:
        raise InvalidPlan(rule, message, provider=provider)

    count = len(plan.scenes)
    if brief.script:
        if not 1 <= count <= MAX_SCRIPT_SCENES:
            fail("scene_count", f"a script gives 1-{MAX_SCRIPT_SCENES} scenes, got {count}")
    elif not min_scenes(brief.duration_s) <= count <= MAX_SCENES:
        low = min_scenes(brief.duration_s)
        fail("scene_count", f"expected {low}-{MAX_SCENES} scenes, got {count}")
    if not plan.title.strip():
        fail("title", "the title is empty")
    for number, scene in enumerate(plan.scenes, start=1):
        if not scene.narration.strip():
            fail("narration", f"scene {number} has no narration")
        if not scene.visual_prompt.strip():
            fail("visual_prompt", f"scene {number} has no visual prompt")
        if scene.duration_ms <= 0:
            fail("duration", f"scene {number} lasts {scene.duration_ms} ms")
    if not brief.script:
        target_ms = brief.duration_s * 1000
        if abs(plan.duration_ms - target_ms) > target_ms * DURATION_TOLERANCE:
            fail(
                "duration",
                f"scenes sum to {plan.duration_ms} ms, target is {target_ms} ms "
                f"(+-{int(DURATION_TOLERANCE * 100)}%)",
            )
    tags = plan.hashtags
    if not MIN_HASHTAGS <= len(tags) <= MAX_HASHTAGS:
        fail("hashtags", f"expected {MIN_HASHTAGS}-{MAX_HASHTAGS} hashtags, got {len(tags)}")
    for tag in tags:
        if not tag.startswith("#") or len(tag) < 2 or any(ch.isspace() for ch in tag):
            fail("hashtags", f"'{tag}' is not a hashtag (# then one word)")
    lowered = [tag.casefold() for tag in tags]
    if len(set(lowered)) != len(lowered):
        fail("hashtags", "hashtags repeat")
    return plan
