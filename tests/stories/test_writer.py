"""The offline template writer and the plan rules every writer shares."""

from __future__ import annotations

import dataclasses
import re

import pytest

from providers.writer.base import Brief, InvalidPlan, Plan, has_end_card, validate_plan
from providers.writer.korean import attach
from providers.writer.rates import estimate_speech_ms, speech_budget_ms
from providers.writer.template import TemplateWriter, scene_count

CAFE = {"name": "카페 온도", "place": "성수동", "product": "크림 라떼", "audience": "직장인"}
SHOP = {"name": "Blue Door Books", "place": "Brooklyn", "product": "signed first editions"}


def _spoken_ms(plan: Plan, language: str) -> int:
    return sum(estimate_speech_ms(s.narration, language=language) for s in plan.scenes)


@pytest.mark.parametrize(
    ("language", "keyword", "business"),
    [
        ("ko", "성수동 카페", CAFE),
        ("ko", "제주 여행", {}),
        ("en", "summer sale", SHOP),
        ("en", "home workout", {}),
    ],
)
@pytest.mark.parametrize("duration_s", [15, 30, 60, 90])
def test_plan_fits_the_duration_at_the_speaking_rate(language, keyword, business, duration_s):
    brief = Brief(keyword=keyword, language=language, duration_s=duration_s, business=business)

    plan = TemplateWriter().write(brief=brief)

    assert 4 <= len(plan.scenes) <= 8
    assert len(plan.scenes) == scene_count(duration_s)
    assert plan.duration_ms == duration_s * 1000
    # Paced: the speech fills the room the pauses and the end card leave, and no more.
    room = speech_budget_ms(
        duration_s=duration_s, scenes=len(plan.scenes), end_card=has_end_card(brief)
    )
    assert room * 0.75 <= _spoken_ms(plan, language) <= room * 1.05
    for scene in plan.scenes:
        assert estimate_speech_ms(scene.narration, language=language) <= scene.duration_ms
        assert scene.narration.strip()
        assert scene.visual_prompt.strip()
        assert scene.key_phrase


def test_scene_count_grows_with_duration():
    assert [scene_count(d) for d in (5, 8, 10, 15, 30, 60, 120)] == [2, 3, 3, 4, 6, 8, 8]


@pytest.mark.parametrize(("language", "business"), [("ko", CAFE), ("en", SHOP)])
def test_business_details_are_used(language, business):
    brief = Brief(
        keyword="coffee" if language == "en" else "커피",
        language=language,
        duration_s=30,
        business=business,
    )

    plan = TemplateWriter().write(brief=brief)

    narration = " ".join(scene.narration for scene in plan.scenes)
    assert business["name"] in narration
    assert business["name"] in plan.post_caption
    assert "#" + business["name"].replace(" ", "") in plan.hashtags
    assert business["name"] in plan.scenes[-1].narration  # the call to action names the shop


@pytest.mark.parametrize("language", ["ko", "en"])
def test_hook_opens_the_first_scene_and_cta_closes_the_last(language):
    plan = TemplateWriter().write(brief=Brief(keyword="봄 세일", language=language, duration_s=30))

    assert plan.scenes[0].narration.startswith(plan.hook)
    assert estimate_speech_ms(plan.hook, language=language) <= 2600
    assert plan.scenes[-1].narration.startswith(plan.call_to_action)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_hashtags_are_well_formed(language):
    plan = TemplateWriter().write(
        brief=Brief(keyword="강아지 산책", language=language, style="food")
    )

    assert 5 <= len(plan.hashtags) <= 15
    assert all(re.fullmatch(r"#\w+", tag) for tag in plan.hashtags)
    assert len({tag.casefold() for tag in plan.hashtags}) == len(plan.hashtags)


def test_korean_plan_has_korean_hashtags():
    plan = TemplateWriter().write(brief=Brief(keyword="성수동 맛집", language="ko", style="food"))

    assert "#성수동맛집" in plan.hashtags
    assert "#맛집" in plan.hashtags


def test_same_brief_gives_same_plan_and_another_keyword_differs():
    brief = Brief(keyword="home workout", language="en", duration_s=30)

    first, second = TemplateWriter().write(brief=brief), TemplateWriter().write(brief=brief)
    other = TemplateWriter().write(brief=dataclasses.replace(brief, keyword="budget travel"))

    assert first == second
    assert [s.narration for s in other.scenes] != [s.narration for s in first.scenes]


def test_user_script_is_used_as_written():
    script = "첫 장면입니다. 반가워요!\n\n두 번째 장면,\n줄바꿈도 그대로.\n\n  마지막 장면이에요.  "
    brief = Brief(keyword="소개", language="ko", duration_s=15, script=script)

    plan = TemplateWriter().write(brief=brief)

    assert [s.narration for s in plan.scenes] == [
        "첫 장면입니다. 반가워요!",
        "두 번째 장면, 줄바꿈도 그대로.",
        "마지막 장면이에요.",
    ]
    assert plan.hook == "첫 장면입니다."
    for scene in plan.scenes:
        assert scene.duration_ms >= estimate_speech_ms(scene.narration, language="ko")


def test_korean_particles_follow_the_last_sound():
    assert [
        attach("카페", "은는"),
        attach("성수동", "은는"),
        attach("서울", "으로"),
        attach("라떼", "이에요"),
        attach("2024", "을를"),
    ] == [
        "카페는",
        "성수동은",
        "서울로",
        "라떼예요",
        "2024를",
    ]


def _good_plan() -> tuple[Plan, Brief]:
    brief = Brief(keyword="home workout", language="en", duration_s=30)
    return TemplateWriter().write(brief=brief), brief


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda p: {"scenes": p.scenes[:3]}, "scene_count"),
        (
            lambda p: {"scenes": [dataclasses.replace(p.scenes[0], narration="  "), *p.scenes[1:]]},
            "narration",
        ),
        (
            lambda p: {
                "scenes": [dataclasses.replace(s, duration_ms=s.duration_ms * 2) for s in p.scenes]
            },
            "duration",
        ),
        (lambda p: {"hashtags": p.hashtags[:4]}, "hashtags"),
        (lambda p: {"hashtags": ["nohash", *p.hashtags[1:]]}, "hashtags"),
        (
            lambda p: {"hashtags": [p.hashtags[0], p.hashtags[0].upper(), *p.hashtags[2:]]},
            "hashtags",
        ),
    ],
)
def test_validate_plan_refuses_broken_plans_naming_the_rule(change, rule):
    plan, brief = _good_plan()

    with pytest.raises(InvalidPlan) as caught:
        validate_plan(dataclasses.replace(plan, **change(plan)), brief)

    assert caught.value.rule == rule
    assert rule in str(caught.value)


def test_validate_plan_accepts_a_good_plan():
    plan, brief = _good_plan()

    assert validate_plan(plan, brief) is plan
