"""repair_plan: a writer's plan that breaks a rule is mended, keeping its words; only text that
cannot be used is refused, naming the rule."""

from __future__ import annotations

import pytest

from providers.writer.base import (
    DURATION_TOLERANCE,
    MAX_HASHTAGS,
    POST_CAPTION_MAX_CHARS,
    Brief,
    InvalidPlan,
    Plan,
    PlannedScene,
    validate_plan,
)
from providers.writer.rates import estimate_speech_ms
from providers.writer.repair import repair_plan
from providers.writer.template import TemplateWriter

TAGS = ["#coffee", "#morning", "#cafe", "#reels", "#daily"]
SENTENCES = [
    "Mornings start slow in the city.",
    "The first cup changes everything.",
    "Beans roasted just down the street.",
    "Milk steamed until it shines.",
    "A small table by the window waits.",
    "Friends drift in one by one.",
    "The barista knows every name.",
    "Pastries still warm from the oven.",
    "Sunlight crawls across the counter.",
    "Come by before the crowd does.",
]


def plan_of(narrations: list[str], durations_ms: list[int], **fields) -> Plan:
    scenes = [
        PlannedScene(
            narration=text,
            visual_prompt=f"cafe shot {n}" if text else "",
            duration_ms=ms,
            key_phrase=f"Shot {n}",
        )
        for n, (text, ms) in enumerate(zip(narrations, durations_ms, strict=True), start=1)
    ]
    values = {
        "title": "Morning coffee",
        "hook": "Stop scrolling",
        "scenes": scenes,
        "call_to_action": "Come by",
        "post_caption": "Fresh every morning",
        "hashtags": list(TAGS),
        **fields,
    }
    return Plan(**values)


def words(plan: Plan) -> list[str]:
    return " ".join(scene.narration for scene in plan.scenes).split()


def test_durations_summing_to_25_s_for_a_15_s_brief_are_rescaled_from_the_narration():
    brief = Brief(keyword="coffee", language="en", duration_s=15)
    plan = plan_of(SENTENCES[:4], [7000, 6000, 6000, 6000])
    with pytest.raises(InvalidPlan, match="duration"):
        validate_plan(plan, brief)

    repaired = repair_plan(plan, brief)

    assert validate_plan(repaired, brief) is repaired
    assert repaired.duration_ms == 15_000
    assert [s.narration for s in repaired.scenes] == SENTENCES[:4]
    assert repaired.repairs == (
        "scene durations summed to 25 s for a 15 s reel; rescaled from the narration",
    )
    spoken = [estimate_speech_ms(s.narration, language="en") for s in repaired.scenes]
    longest = spoken.index(max(spoken))
    assert repaired.scenes[longest].duration_ms == max(s.duration_ms for s in repaired.scenes)


def test_twelve_scenes_for_an_8_s_brief_are_merged_into_three_keeping_every_word():
    brief = Brief(keyword="coffee", language="en", duration_s=8)
    narrations = [
        "Coffee.",
        "Warm.",
        "Fresh.",
        "Slow.",
        "Bright.",
        "Calm.",
        "Kind.",
        "Good.",
        "Soft.",
        "Bold.",
        "Sweet.",
        "Come.",
    ]
    plan = plan_of(narrations, [667] * 12)

    repaired = repair_plan(plan, brief)

    assert validate_plan(repaired, brief) is repaired
    assert len(repaired.scenes) == 3  # an 8 s reel has room for three scenes' pauses
    assert words(repaired) == words(plan)
    assert "12 scenes are too many for a 8 s reel; merged into 3" in repaired.repairs
    assert repaired.duration_ms == 8000


def test_one_scene_for_a_60_s_brief_is_split_at_sentence_boundaries():
    brief = Brief(keyword="coffee", language="en", duration_s=60)
    plan = plan_of([" ".join(SENTENCES)], [60_000])

    repaired = repair_plan(plan, brief)

    assert validate_plan(repaired, brief) is repaired
    assert len(repaired.scenes) == 8
    assert words(repaired) == words(plan)
    for scene in repaired.scenes:
        assert scene.narration.endswith(".")  # whole sentences only
        assert scene.visual_prompt == "cafe shot 1"
        assert scene.key_phrase
    assert repaired.repairs == (
        "1 scene is too few for a 60 s reel; split into 8 at sentence boundaries",
    )


def test_a_2000_character_narration_is_cut_at_a_sentence_boundary_to_fit():
    brief = Brief(keyword="coffee", language="en", duration_s=15)
    long_text = " ".join(SENTENCES * 7)[:2000].rsplit(".", 1)[0] + "."
    assert len(long_text) > 1900
    plan = plan_of([long_text, *SENTENCES[:3]], [3750] * 4)

    repaired = repair_plan(plan, brief)

    assert validate_plan(repaired, brief) is repaired
    first = repaired.scenes[0].narration
    assert long_text.startswith(first)
    assert first.endswith(".")
    assert [s.narration for s in repaired.scenes[1:]] == SENTENCES[:3]
    spoken = sum(estimate_speech_ms(s.narration, language="en") for s in repaired.scenes)
    assert spoken <= 15_000 * (1 + DURATION_TOLERANCE)
    (note,) = repaired.repairs
    assert "too long for a 15 s reel; cut at sentence boundaries" in note


def test_an_empty_scene_is_dropped_and_the_rest_still_make_a_reel():
    brief = Brief(keyword="coffee", language="en", duration_s=15)
    plan = plan_of([SENTENCES[0], "  ", " ".join(SENTENCES[1:3]), SENTENCES[3]], [3750] * 4)

    repaired = repair_plan(plan, brief)

    assert validate_plan(repaired, brief) is repaired
    assert len(repaired.scenes) == 4
    assert words(repaired) == words(plan)
    assert repaired.repairs[0] == "scene 2 had no narration and was dropped"
    assert "3 scenes are too few" in repaired.repairs[1]


def test_hashtags_and_caption_are_brought_inside_their_limits():
    brief = Brief(keyword="morning coffee", language="en", duration_s=8)
    many = [f"#tag{n}" for n in range(20)]
    plan = plan_of(SENTENCES[:4], [2000] * 4, hashtags=many, post_caption="Fresh. " * 400)

    repaired = repair_plan(plan, brief)

    assert validate_plan(repaired, brief) is repaired
    assert repaired.hashtags == many[:MAX_HASHTAGS]
    assert len(repaired.post_caption) <= POST_CAPTION_MAX_CHARS
    assert repaired.post_caption.endswith("Fresh.")
    few = repair_plan(plan_of(SENTENCES[:4], [2000] * 4, hashtags=["coffee", "#a b"]), brief)
    assert few.hashtags == ["#coffee", "#ab", "#morningcoffee", "#morning", "#reels"]
    assert validate_plan(few, brief) is few


@pytest.mark.parametrize(
    ("narrations", "language", "rule", "message"),
    [
        (["", " ", "...", ""], "en", "narration", "no scene has any narration"),
        (["아침 커피 한 잔으로 하루를 시작해요."] * 4, "en", "language", "not in English"),
        (["Coffee in the morning is the best."] * 4, "ko", "language", "not in Korean"),
        (["Coffee."], "en", "scene_count", "too short to make 4 scenes"),
    ],
)
def test_unusable_text_is_refused_naming_the_rule(narrations, language, rule, message):
    brief = Brief(keyword="coffee", language=language, duration_s=30)
    plan = plan_of(narrations, [7500] * len(narrations))

    with pytest.raises(InvalidPlan, match=message) as caught:
        repair_plan(plan, brief, provider="openai")

    assert caught.value.rule == rule
    assert caught.value.provider == "openai"


def test_a_plan_keeping_every_rule_is_returned_unchanged():
    brief = Brief(keyword="coffee", language="en", duration_s=15)
    plan = plan_of(SENTENCES[:4], [3750] * 4)

    assert repair_plan(plan, brief) is plan


@pytest.mark.parametrize(
    ("keyword", "language"),
    [("성수동 카페", "ko"), ("home workout", "ko"), ("성수동 카페", "en"), ("summer sale", "en")],
)
@pytest.mark.parametrize("duration_s", [15, 60, 180])
def test_template_plans_need_no_repair(keyword, language, duration_s):
    brief = Brief(keyword=keyword, language=language, duration_s=duration_s)

    plan = TemplateWriter().write(brief=brief)

    assert plan.repairs == ()


def test_a_5_s_template_plan_has_two_scenes_and_needs_no_repair():
    # Before pacing, this brief made four scenes, one of them empty, and ran 2 s long.
    brief = Brief(keyword="성수동 카페", language="ko", duration_s=5)

    plan = TemplateWriter().write(brief=brief)

    assert plan.repairs == ()
    assert plan.duration_ms == 5000
    assert len(plan.scenes) == 2


def test_a_script_keeps_its_words_and_only_gets_lengths():
    brief = Brief(keyword="", language="en", duration_s=30, script="x")
    plan = plan_of([*SENTENCES[:2]], [0, 2500])

    repaired = repair_plan(plan, brief)

    assert validate_plan(repaired, brief) is repaired
    assert [s.narration for s in repaired.scenes] == SENTENCES[:2]
    assert repaired.scenes[0].duration_ms >= 1500
    assert repaired.repairs == ("scenes without a length were timed from their narration",)
