"""The OpenAI writer's song mode against the local OpenAI server: a place's marketing brief
and its lyrics through structured outputs, checked by the offline writer's rules, asked again
once, then a clear error; the tokens priced from ProviderPrice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from billing.models import UsageRecord
from places.models import MarketingBrief, Place, SongReel
from providers.base import PermanentProviderError, TransientProviderError
from providers.writer.marketing import PlaceInfo, offline_brief
from providers.writer.openai_song import (
    BRIEF_SCHEMA_NAME,
    LYRICS_SCHEMA_NAME,
    OpenAISongWriter,
    SongRulesBroken,
)
from providers.writer.song_lyrics import Lyrics, PlaceFacts, song_shape
from providers.writer.song_rules import lyric_problems

FACTS = PlaceFacts(name="Harbor Bean", region="Busan", category="cafe", offer="2-for-1 lattes")
# 15 s at 112 BPM: one chorus of three lines, each 8-12 syllables, naming business and region.
GOOD_LYRICS = {
    "sections": [
        {
            "name": "Chorus",
            "lines": [
                "Come to Harbor Bean in sunny Busan",
                "Warm cups of coffee by the ocean view",
                "Two lattes for one, so come on through",
            ],
        }
    ]
}
# Two sections where the tempo makes one, a line too short, and no region in the chorus.
BAD_LYRICS = {
    "sections": [
        {"name": "Verse", "lines": ["Coffee time"]},
        {"name": "Chorus", "lines": ["Harbor Bean is where the good cups are"]},
    ]
}
PLACE = {
    "name": "Harbor Bean",
    "category": "cafe",
    "region": "Busan",
    "facilities": ["ocean view", "parking"],
    "offer": "2-for-1 lattes",
    "language": "en",
}


def writer_for(fake, **kwargs) -> OpenAISongWriter:
    defaults = {"model": "gpt-4o-mini", "api_key": "sk-test", "base_url": f"{fake.url}/v1"}
    return OpenAISongWriter(**{**defaults, **kwargs})


def _walk_keys(schema) -> set[str]:
    if isinstance(schema, dict):
        return set(schema) | {k for v in schema.values() for k in _walk_keys(v)}
    if isinstance(schema, list):
        return {k for v in schema for k in _walk_keys(v)}
    return set()


def test_the_rules_count_each_scripts_syllables_and_want_the_names_in_the_chorus():
    shape = song_shape(duration_s=15, bpm=112)
    good = Lyrics.from_json({"language": "en", "bpm": 112, **GOOD_LYRICS})
    korean = Lyrics.from_json(
        {"language": "ko", "bpm": 112, "sections": [{"name": "Chorus", "lines": [
            "강릉 바다정원 파도가 불러요",  # 12 blocks
            "창가에 앉아 커피 한잔해요",  # 11
            "바다",  # 2: too short
        ]}]}
    )  # fmt: skip

    assert lyric_problems(good, shape=shape, name="Harbor Bean", region="Busan") == []
    problems = lyric_problems(korean, shape=shape, name="바다정원", region="강릉")
    assert problems == ["Chorus line '바다' has 2 sung syllables, not 8-12"]
    assert lyric_problems(korean, shape=shape, name="바다정원", region="속초")[-1] == (
        "the chorus must name the region '속초'"
    )


@pytest.mark.parametrize(
    ("language", "name", "region", "lines"),
    [
        ("zh", "海风咖啡", "厦门", [
            "厦门海风咖啡等你来", "海风咖啡香气飘满街", "开业九折快来尝一尝"
        ]),
        ("th", "บ้านทะเล", "หัวหิน", [
            "บ้านทะเลที่หัวหินรอคุณอยู่", "กาแฟหอมกรุ่นริมทะเลสวย", "ลดสิบเปอร์เซ็นต์มาเลยวันนี้"
        ]),
        ("vi", "Quán Gió Biển", "Đà Nẵng", [
            "Quán Gió Biển Đà Nẵng chờ bạn đến", "Cà phê thơm ngát bên bờ biển xanh",
            "Giảm mười phần trăm tuần đầu tiên nhé",
        ]),
    ],
)  # fmt: skip
def test_the_rules_read_chinese_thai_and_vietnamese_syllables(language, name, region, lines):
    shape = song_shape(duration_s=15, bpm=112)
    good = Lyrics.from_json(
        {"language": language, "bpm": 112, "sections": [{"name": "Chorus", "lines": lines}]}
    )
    short = Lyrics.from_json(
        {"language": language, "bpm": 112,
         "sections": [{"name": "Chorus", "lines": [*lines[:2], lines[2][: len(lines[2]) // 3]]}]}
    )  # fmt: skip

    assert lyric_problems(good, shape=shape, name=name, region=region) == []
    (problem,) = lyric_problems(short, shape=shape, name=name, region=region)
    assert "sung syllables, not 8-12" in problem


def test_japanese_lyrics_stay_in_kana_which_the_chant_can_say():
    shape = song_shape(duration_s=15, bpm=112)
    lines = ["かまくらのうみかぜカフェへ", "海風カフェでひとやすみ", "きょうもあいにきてね"]
    lyrics = Lyrics.from_json(
        {"language": "ja", "bpm": 112, "sections": [{"name": "Chorus", "lines": lines}]}
    )

    problems = lyric_problems(lyrics, shape=shape, name="うみかぜカフェ", region="かまくら")

    assert problems == ["Chorus line '海風カフェでひとやすみ' has kanji; write Japanese in kana"]


def test_lyrics_are_asked_with_the_strict_schema_and_the_tempos_sections(openai_server):
    openai_server.reset()
    openai_server.plan = GOOD_LYRICS

    lyrics, usage = writer_for(openai_server).write_lyrics(
        place=FACTS, language="en", duration_s=15, bpm=112
    )

    assert lyrics.to_json() == {"language": "en", "bpm": 112, **GOOD_LYRICS}
    assert (usage.provider, usage.units) == ("openai", 1500)
    (sent,) = openai_server.posts()
    response_format = sent.body["response_format"]
    assert response_format["json_schema"]["name"] == LYRICS_SCHEMA_NAME
    assert response_format["json_schema"]["strict"] is True
    schema_keys = _walk_keys(response_format["json_schema"]["schema"])
    assert "minLength" not in schema_keys  # strict structured outputs refuse it
    user = sent.body["messages"][1]["content"]
    assert "[Chorus] 3 lines" in user
    assert '"Harbor Bean" and "Busan"' in user


def test_lyrics_breaking_the_rules_are_asked_again_once_with_the_rules(openai_server):
    openai_server.reset()
    openai_server.bad_plan = BAD_LYRICS
    openai_server.plan = GOOD_LYRICS
    openai_server.modes[:] = ["bad_plan", "ok"]

    lyrics, usage = writer_for(openai_server).write_lyrics(
        place=FACTS, language="en", duration_s=15, bpm=112
    )

    assert lyrics.sections[0].lines[0] == "Come to Harbor Bean in sunny Busan"
    assert usage.units == 3000  # both calls are paid for
    first, second = openai_server.posts()
    fix = second.body["messages"][-1]["content"]
    assert second.body["messages"][:2] == first.body["messages"]
    assert "the sections must be Chorus (3 lines), not Verse (1 lines)" in fix
    assert "'Coffee time' has 3 sung syllables" in fix
    assert "the chorus must name the region 'Busan'" in fix


def test_lyrics_breaking_the_rules_twice_are_a_clear_permanent_error(openai_server):
    openai_server.reset()
    openai_server.bad_plan = BAD_LYRICS
    openai_server.modes[:] = ["bad_plan", "bad_plan", "ok"]

    with pytest.raises(SongRulesBroken, match="broke a rule twice") as caught:
        writer_for(openai_server).write_lyrics(place=FACTS, language="en", duration_s=15, bpm=112)

    assert isinstance(caught.value, PermanentProviderError)
    assert len(openai_server.posts()) == 2
    assert caught.value.usage is not None
    assert caught.value.usage.units == 3000


def test_lyrics_through_the_responses_api(openai_server):
    openai_server.reset()
    openai_server.plan = GOOD_LYRICS

    lyrics, usage = writer_for(openai_server, api="responses").write_lyrics(
        place=FACTS, language="en", duration_s=15, bpm=112
    )

    assert lyrics.sections[0].name == "Chorus"
    assert usage.units == 1250
    (sent,) = openai_server.posts()
    assert sent.path == "/v1/responses"
    assert sent.body["text"]["format"]["name"] == LYRICS_SCHEMA_NAME


@pytest.mark.parametrize(
    ("mode", "error", "says"),
    [
        ("429", TransientProviderError, "retry after 7 s"),
        ("401", PermanentProviderError, "check OPENAI_API_KEY"),
        ("garbage", PermanentProviderError, "the body is not JSON"),
        ("insufficient_quota", PermanentProviderError, "no quota left"),
        ("slow", TransientProviderError, "did not answer within 0.3 s"),
    ],
)
def test_faults_are_mapped_like_the_narrated_writers(openai_server, mode, error, says):
    openai_server.reset()
    openai_server.modes[:] = [mode]

    with pytest.raises(error, match=says):
        writer_for(openai_server, timeout_s=0.3).write_brief(
            place=PlaceInfo(name="Harbor Bean", category="cafe", region="Busan"), language="en"
        )

    assert len(openai_server.posts()) == 1


@pytest.mark.django_db
def test_brief_api_writes_with_openai_when_configured_and_prices_the_tokens(
    api, user, fake_openai, prices
):
    report = offline_brief(PlaceInfo(name="Harbor Bean", category="cafe", region="Busan"),
                           language="en")  # fmt: skip
    fake_openai.plan = {**report, "brand_concept": "Harbor Bean: the sea in a cup"}
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]

    answer = api.post(f"/api/v1/places/{place_id}/brief", {"language": "en"}, format="json")

    assert answer.status_code == 200, answer.json()
    assert answer.json()["provider"] == "openai"
    assert answer.json()["report"]["brand_concept"] == "Harbor Bean: the sea in a cup"
    (sent,) = fake_openai.posts()
    assert sent.body["response_format"]["json_schema"]["name"] == BRIEF_SCHEMA_NAME
    assert "Harbor Bean" in sent.body["messages"][1]["content"]
    record = UsageRecord.objects.get(user=user)
    assert (record.provider, record.model, record.units) == ("openai", "gpt-4o-mini", 1500)
    assert record.cost_usd == Decimal("0.000360")  # 1200 in at $0.15/M + 300 out at $0.60/M


@pytest.mark.django_db
def test_a_brief_breaking_its_schema_twice_is_502_and_keeps_the_stored_one(api, fake_openai):
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]
    kept = MarketingBrief.objects.create(
        place_id=place_id, language="en", data={"brand_concept": "kept"}, provider="template"
    )
    fake_openai.bad_plan = {"brand_concept": "only this"}
    fake_openai.modes[:] = ["bad_plan", "bad_plan"]

    answer = api.post(f"/api/v1/places/{place_id}/brief", {"language": "en"}, format="json")

    assert answer.status_code == 502
    error = answer.json()["error"]
    assert error["code"] == "EXTERNAL_API_ERROR"
    assert "broke a rule twice" in error["details"]["reason"]
    assert "'emotional_promise' is a required property" in error["details"]["reason"]
    kept.refresh_from_db()
    assert kept.data == {"brand_concept": "kept"}
    (record,) = UsageRecord.objects.all()  # both broken answers were paid for
    assert record.units == 3000


@pytest.mark.django_db
def test_song_reel_lyrics_come_from_openai_when_configured(api, user, fake_openai, prices):
    fake_openai.plan = GOOD_LYRICS
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]

    answer = api.post(
        "/api/v1/song-reels", {"place": place_id, "duration_s": 20, "tempo": 112}, format="json"
    )  # 17.5 s sung before the end card: GOOD_LYRICS' three lines

    assert answer.status_code == 201, answer.json()
    assert answer.json()["lyrics"]["sections"] == GOOD_LYRICS["sections"]
    assert UsageRecord.objects.filter(user=user, provider="openai").count() == 1


@pytest.mark.django_db
def test_song_reel_whose_lyrics_break_the_rules_twice_is_502_and_not_made(api, fake_openai):
    fake_openai.bad_plan = BAD_LYRICS
    fake_openai.modes[:] = ["bad_plan", "bad_plan"]
    place_id = api.post("/api/v1/places/", PLACE, format="json").json()["id"]

    answer = api.post(
        "/api/v1/song-reels", {"place": place_id, "duration_s": 15, "tempo": 112}, format="json"
    )

    assert answer.status_code == 502
    assert answer.json()["error"]["details"]["provider"] == "openai"
    assert not SongReel.objects.exists()
    assert Place.objects.filter(pk=place_id).exists()
