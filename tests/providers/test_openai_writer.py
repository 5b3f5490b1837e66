from decimal import Decimal

import pytest

from billing.pricing import usage_cost
from jobs import inline, pipeline
from jobs.models import Job
from providers.base import PermanentProviderError, TransientProviderError
from providers.registry import get_writer
from providers.writer.base import Brief, InvalidPlan
from providers.writer.openai_prompts import SCHEMA_NAME, plan_schema
from providers.writer.openai_writer import OpenAIWriter
from providers.writer.rates import estimate_speech_ms, speech_budget_ms
from stories.models import Story
from stories.states import Status
from tests.factories import StoryFactory
from tests.providers.fakes import RETRY_AFTER_S, valid_plan

BRIEF = Brief(keyword="morning coffee", language="en", duration_s=8)


def writer_for(fake, **kwargs) -> OpenAIWriter:
    defaults = {"model": "gpt-4o-mini", "api_key": "sk-test", "base_url": f"{fake.url}/v1"}
    return OpenAIWriter(**{**defaults, **kwargs})


def test_chat_plan_sends_model_schema_and_key_and_returns_the_servers_plan(openai_server):
    openai_server.reset()
    openai_server.plan = valid_plan(title="Latte art at dawn")

    plan = writer_for(openai_server).write(brief=BRIEF)

    assert plan.title == "Latte art at dawn"
    assert [s.duration_ms for s in plan.scenes] == [2000, 2000, 2000, 2000]
    assert plan.hashtags[0] == "#coffee"
    (sent,) = openai_server.posts()
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert sent.body["model"] == "gpt-4o-mini"
    response_format = sent.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == SCHEMA_NAME
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"] == plan_schema(BRIEF)
    assert sent.body["messages"][0]["role"] == "system"
    assert "morning coffee" in sent.body["messages"][1]["content"]
    assert plan.usage.unit == "tokens"
    assert plan.usage.units == 1500


def test_responses_api_sends_the_schema_as_text_format(openai_server):
    openai_server.reset()

    plan = writer_for(openai_server, api="responses").write(brief=BRIEF)

    assert plan.title == "Fake plan title"
    (sent,) = openai_server.posts()
    assert sent.path == "/v1/responses"
    text_format = sent.body["text"]["format"]
    assert text_format["type"] == "json_schema"
    assert text_format["schema"]["required"] == [
        "title", "hook", "scenes", "call_to_action", "post_caption", "hashtags"
    ]  # fmt: skip
    assert plan.usage.units == 1250


def test_korean_prompt_uses_the_business_details(openai_server):
    openai_server.reset()
    for number, scene in enumerate(openai_server.plan["scenes"], start=1):
        scene["narration"] = f"{number}번째 장면이에요."
    brief = Brief(
        keyword="아침 커피",
        language="ko",
        duration_s=8,
        business={
            "name": "달빛카페",
            "place": "서울 연남동",
            "menu": "바닐라 라떼",
            "audience": "직장인",
        },
    )

    writer_for(openai_server).write(brief=brief)

    system, user = (m["content"] for m in openai_server.posts()[0].body["messages"])
    assert "한국어 대본" in system
    for detail in ("아침 커피", "달빛카페", "서울 연남동", "바닐라 라떼", "직장인"):
        assert detail in user


def test_a_plan_breaking_a_rule_is_asked_again_once_with_the_rule(openai_server):
    openai_server.reset()
    openai_server.modes[:] = ["bad_plan", "ok"]

    plan = writer_for(openai_server).write(brief=BRIEF)

    assert len(plan.scenes) == 4
    first, second = openai_server.posts()
    retry_messages = second.body["messages"]
    assert retry_messages[:2] == first.body["messages"]
    assert retry_messages[2]["role"] == "assistant"
    assert "narration: no scene has any narration" in retry_messages[3]["content"]
    assert plan.usage.units == 3000  # both calls are paid for


def test_a_plan_with_bad_arithmetic_is_repaired_without_asking_again(openai_server):
    # Measured: a 15 s English brief whose scenes summed to 25 s failed the whole story.
    openai_server.reset()
    openai_server.plan = valid_plan(duration_s=25)
    brief = Brief(keyword="morning coffee", language="en", duration_s=15)

    plan = writer_for(openai_server).write(brief=brief)

    assert len(openai_server.posts()) == 1
    assert plan.duration_ms == 15_000
    assert [s.narration for s in plan.scenes] == [
        s["narration"] for s in openai_server.plan["scenes"]
    ]
    assert plan.repairs == (
        "scene durations summed to 25 s for a 15 s reel; rescaled from the narration",
    )
    assert plan.usage.units == 1500


def test_a_plan_breaking_rules_twice_is_a_permanent_error(openai_server):
    openai_server.reset()
    openai_server.modes[:] = ["bad_plan", "bad_plan", "ok"]

    with pytest.raises(InvalidPlan, match="broke a rule twice") as caught:
        writer_for(openai_server).write(brief=BRIEF)

    assert isinstance(caught.value, PermanentProviderError)
    assert len(openai_server.posts()) == 2


@pytest.mark.parametrize(
    ("mode", "error", "message"),
    [
        ("429", TransientProviderError, "rate limiting (HTTP 429); retry after 7 s"),
        ("500", TransientProviderError, "server error (HTTP 500)"),
        ("slow", TransientProviderError, "did not answer within 0.3 s"),
        ("garbage", PermanentProviderError, "malformed answer: the body is not JSON"),
        (
            "401",
            PermanentProviderError,
            "OpenAI refused the API key (HTTP 401): check OPENAI_API_KEY",
        ),
        ("insufficient_quota", PermanentProviderError, "no quota left"),
    ],
)
def test_faults_map_to_retry_or_fail_with_a_plain_message(openai_server, mode, error, message):
    openai_server.reset()
    openai_server.modes[:] = [mode]

    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        writer_for(openai_server, timeout_s=0.3).write(brief=BRIEF)

    assert caught.value.provider == "openai"
    if mode == "429":
        assert caught.value.retry_after_s == RETRY_AFTER_S
    assert len(openai_server.posts()) == 1  # the SDK's own retries are off: jobs retry


def test_no_key_and_no_base_url_fails_before_sending():
    with pytest.raises(PermanentProviderError, match="set OPENAI_API_KEY"):
        OpenAIWriter(model="gpt-4o-mini").write(brief=BRIEF)


@pytest.mark.django_db
def test_get_writer_reports_tokens_that_billing_prices_from_the_price_table(fake_openai, prices):
    plan = get_writer().write(brief=BRIEF)

    assert plan.usage.billed == (("input_tokens", 1200), ("output_tokens", 300))

    # gpt-4o-mini $0.15 / 1M input, $0.60 / 1M output; the fake reports 1200 + 300.
    assert usage_cost(plan.usage) == Decimal("0.000360")
    assert fake_openai.posts()[0].headers["authorization"] == "Bearer sk-test-writer"


@pytest.mark.django_db
def test_plan_job_fails_with_external_api_error_after_two_bad_plans_and_keeps_nothing(
    fake_openai,
):
    fake_openai.modes[:] = ["bad_plan", "bad_plan"]
    story = StoryFactory(duration_s=8)
    pipeline.plan_story(story_id=story.pk, inline=True)

    inline.run_inline(story_id=story.pk)

    story.refresh_from_db()
    job = Job.objects.get(story=story, kind=Job.Kind.PLAN)
    assert story.status == Status.FAILED
    assert job.error_code == "EXTERNAL_API_ERROR"
    assert "broke a rule twice" in job.error_detail
    assert story.title == ""
    assert not story.scenes.exists()


@pytest.mark.django_db
def test_plan_job_with_bad_arithmetic_completes_and_the_story_says_it_was_repaired(fake_openai):
    fake_openai.plan = valid_plan(duration_s=25, title="Latte art at dawn")
    story = StoryFactory(duration_s=15)
    pipeline.plan_story(story_id=story.pk, inline=True)

    inline.run_inline(story_id=story.pk)

    story.refresh_from_db()
    assert story.status == Status.PLANNED
    assert story.title == "Latte art at dawn"
    assert sum(story.scenes.values_list("duration_ms", flat=True)) == 15_000
    assert story.is_degraded is True
    assert story.degradation == [
        {
            "step": "plan",
            "scene": None,
            "reason": "scene durations summed to 25 s for a 15 s reel; rescaled from the narration",
        }
    ]
    assert story.events.filter(kind="degraded").count() == 1


@pytest.mark.django_db
def test_plan_job_needing_repair_fails_when_the_story_asked_to_fail_and_keeps_nothing(
    fake_openai,
):
    fake_openai.plan = valid_plan(duration_s=25)
    story = StoryFactory(duration_s=15, on_fallback="fail")
    pipeline.plan_story(story_id=story.pk, inline=True)

    inline.run_inline(story_id=story.pk)

    story.refresh_from_db()
    job = Job.objects.get(story=story, kind=Job.Kind.PLAN)
    assert story.status == Status.FAILED
    assert job.error_code == story.error_code == "FALLBACK_REFUSED"
    assert "the plan step would have fallen back" in job.error_message
    assert "scene durations summed to 25 s for a 15 s reel" in job.error_message
    assert not story.scenes.exists()
    assert story.is_degraded is False
    assert story.usage.get().provider == "openai"  # the call was paid for all the same


@pytest.mark.django_db
def test_plan_job_after_a_rate_limit_retries_and_writes_the_plan(fake_openai, monkeypatch):
    waits = []
    monkeypatch.setattr("time.sleep", waits.append)
    fake_openai.modes[:] = ["429"]
    story = StoryFactory(duration_s=8)
    pipeline.plan_story(story_id=story.pk, inline=True)

    inline.run_inline(story_id=story.pk)

    story = Story.objects.get(pk=story.pk)
    assert story.status == Status.PLANNED
    assert story.title == "Fake plan title"
    assert waits == [RETRY_AFTER_S]
    assert Job.objects.get(story=story).attempts == 2
    assert story.usage.get().provider == "openai"


def test_a_local_compatible_server_needs_no_key(openai_server):
    openai_server.reset()

    plan = OpenAIWriter(model="local-llama", base_url=f"{openai_server.url}/v1").write(brief=BRIEF)

    assert plan.usage.model == "local-llama"
    assert openai_server.posts()[0].body["model"] == "local-llama"


LONG_NARRATION = (
    "Every morning the roaster fires up before sunrise. "
    "Beans from three farms crackle in the drum. "
    "The smell fills the whole street by seven. "
    "Regulars line up with their own cups."
)


def overlong_plan(duration_s: int) -> dict:
    """A plan keeping every rule but pace: each scene says ~11 s for a `duration_s` reel."""
    plan = valid_plan(duration_s=duration_s)
    for scene in plan["scenes"]:
        scene["narration"] = LONG_NARRATION
    return plan


def test_narration_too_long_to_say_is_asked_again_once_naming_the_room(openai_server):
    # Issue #12: the reel ran long when the model wrote more than the reel can say.
    openai_server.reset()
    openai_server.bad_plan = overlong_plan(8)
    openai_server.modes[:] = ["bad_plan", "ok"]

    plan = writer_for(openai_server).write(brief=BRIEF)

    _, second = openai_server.posts()
    fix = second.body["messages"][3]["content"]
    assert "length: the narration takes about" in fix
    assert "a 8 s reel has room for about 6 s of speech" in fix
    assert [s.narration for s in plan.scenes] == [
        s["narration"] for s in openai_server.plan["scenes"]
    ]
    assert plan.repairs == ()
    spoken = sum(estimate_speech_ms(s.narration, language="en") for s in plan.scenes)
    assert spoken <= speech_budget_ms(duration_s=8, scenes=4, end_card=False)


def test_narration_still_too_long_after_asking_again_is_cut_at_sentences_to_fit(openai_server):
    openai_server.reset()
    openai_server.plan = openai_server.bad_plan = overlong_plan(15)
    brief = Brief(keyword="morning coffee", language="en", duration_s=15)

    plan = writer_for(openai_server).write(brief=brief)

    assert len(openai_server.posts()) == 2
    room = speech_budget_ms(duration_s=15, scenes=len(plan.scenes), end_card=False)
    spoken = sum(estimate_speech_ms(s.narration, language="en") for s in plan.scenes)
    assert spoken <= room
    for scene in plan.scenes:
        assert LONG_NARRATION.startswith(scene.narration)  # whole sentences, openings kept
        assert scene.narration.endswith(".")
    assert plan.repairs[0].startswith("the narration takes 44 s to say, too long for a 15 s reel")
    assert plan.duration_ms == 15_000


def test_a_business_brief_sends_offer_and_contact_and_asks_for_them_in_the_last_scene(
    openai_server,
):
    openai_server.reset()
    brief = Brief(
        keyword="used books",
        language="en",
        duration_s=15,
        business={"name": "Blue Door Books", "offer": "2 for $10", "contact": "@bluedoor"},
    )

    writer_for(openai_server).write(brief=brief)

    system, user = (m["content"] for m in openai_server.posts()[0].body["messages"])
    assert "- Offer: 2 for $10" in user
    assert "- Contact: @bluedoor" in user
    assert "names the business, its offer and its contact" in system
    assert "at most 10 seconds to say" in system  # 15 s less pauses and the end card
