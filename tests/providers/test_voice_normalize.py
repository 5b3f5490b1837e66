"""The text normaliser: written words read the way a Korean or English speaker says them, and
the voice's timings of the spoken words mapped back onto the written words."""

from __future__ import annotations

import itertools

import pytest

from providers.voice.normalize import Pronunciation, en, ko, to_spoken, written_timings
from render.types import WordTiming


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("3,500원", "삼천오백 원"),
        ("3,500원을", "삼천오백 원을"),  # the particle stays on its word
        ("1,000,000원", "백만 원"),
        ("15,000원", "만 오천 원"),
        ("₩5,000", "오천 원"),
        ("$3.50", "삼 달러 오십 센트"),
        ("10%", "십 퍼센트"),
        ("0.5%", "영 점 오 퍼센트"),
        ("3.14", "삼 점 일사"),
        ("-5도", "마이너스 오 도"),
        ("-3", "마이너스 삼"),
        ("0", "영"),
        ("2026년", "이천이십육 년"),
        ("12월", "십이 월"),
        ("6월", "유 월"),
        ("10월", "시 월"),
        ("7일", "칠 일"),
        ("2026.12.7", "이천이십육 년 십이 월 칠 일"),
        ("2026-12-07에", "이천이십육 년 십이 월 칠 일에"),
        ("2시", "두 시"),
        ("30분", "삼십 분"),
        ("15초", "십오 초"),
        ("2:30", "두 시 삼십 분"),
        ("12:00", "열두 시"),
        ("2시에", "두 시에"),
        ("3시즌", "삼시즌"),  # 시 counts hours only before a particle
        ("1시간", "한 시간"),
        ("3개", "세 개"),
        ("(3개)", "(세 개)"),
        ("약3개", "약 세 개"),
        ("4명이", "네 명이"),
        ("20살", "스무 살"),
        ("21명", "스물한 명"),
        ("150명", "백오십 명"),  # past 99 counters take Sino-Korean numbers
        ("1번째", "첫 번째"),
        ("2번째", "두 번째"),
        ("5개월", "오 개월"),
        ("5km", "오 킬로미터"),
        ("3kg", "삼 킬로그램"),
        ("30℃", "삼십 도"),
        ("100km/h", "시속 백 킬로미터"),
        ("010-1234-5678", "공일공 일이삼사 오육칠팔"),
        ("10~20", "십에서 이십"),
        ("10~20%", "십에서 이십 퍼센트"),
        ("3~5개", "세 개에서 다섯 개"),
        ("서울~부산", "서울에서 부산"),
        ("A&B", "에이 앤드 비"),
        ("1+1", "일 플러스 일"),
        ("AI가", "에이아이가"),
        ("SNS", "에스엔에스"),
        ("NASA", "나사"),
        ("GPT-4", "지피티- 사"),  # a hyphen inside a word is no minus sign
        ("#여행", "여행"),
        ("커피", "커피"),
    ],
)
def test_korean_words_are_read_as_spoken(written, spoken):
    assert ko.say(written) == spoken


@pytest.mark.parametrize(
    ("written", "previous", "spoken"),
    [
        ("$3.50", "", "three dollars and fifty cents"),
        ("$1", "", "one dollar"),
        ("$0.01", "", "zero dollars and one cent"),
        ("$5M", "", "five million dollars"),
        ("€20", "", "twenty euros"),
        ("10%", "", "ten percent"),
        ("0.5%", "", "zero point five percent"),
        ("3.14", "", "three point one four"),
        ("-5", "", "minus five"),
        ("1,000,000", "", "one million"),
        ("3,500", "", "three thousand five hundred"),
        ("2026", "", "twenty twenty-six"),
        ("2000", "", "two thousand"),
        ("1905", "", "nineteen oh-five"),
        ("1990s", "", "nineteen nineties"),
        ("1st", "", "first"),
        ("21st", "", "twenty-first"),
        ("7,", "december", "seventh,"),
        ("2:30", "", "two thirty"),
        ("7:05", "", "seven oh five"),
        ("12:00", "", "twelve o'clock"),
        ("pm,", "2:30", "pee em,"),
        ("12/7/2026", "", "December seventh, twenty twenty-six"),
        ("2026-12-07", "", "December seventh, twenty twenty-six"),
        ("5km", "", "five kilometers"),
        ("1km", "", "one kilometer"),
        ("kg", "3", "kilograms"),
        ("kg", "1", "kilogram"),
        ("10-20", "", "ten to twenty"),
        ("10~20%", "", "ten to twenty percent"),
        ("CEO", "", "see ee oh"),
        ("FBI", "", "eff bee eye"),
        ("AI", "", "ay eye"),
        ("NASA", "", "nasa"),
        ("FREE", "", "free"),  # capitals that read as a word are said as one
        ("CEOs", "", "see ee ohs"),
        ("&", "", "and"),
        ("R&D", "", "R and D"),
        ("#1", "", "number one"),
        ("#travel", "", "travel"),
        ("#", "", ""),
        ("10,000+", "", "ten thousand plus"),
        ("“$3.50,”", "", "“three dollars and fifty cents,”"),
        ("coffee.", "", "coffee."),
    ],
)
def test_english_words_are_read_as_spoken(written, previous, spoken):
    assert en.say(written, previous=previous) == spoken


def test_a_korean_line_is_voiced_in_its_spoken_form_word_by_word():
    spoken = to_spoken("커피 한 잔 3,500원, 오후 2시 30분까지 10% 할인!", language="ko")

    assert spoken.text == "커피 한 잔 삼천오백 원, 오후 두 시 삼십 분까지 십 퍼센트 할인!"
    assert spoken.counts == (1, 1, 1, 2, 1, 2, 2, 2, 1)
    assert sum(spoken.counts) == len(spoken.text.split())


def test_other_languages_only_take_the_lexicon():
    spoken = to_spoken(
        "Reelmaker 3,500", language="ja", lexicon=[Pronunciation("Reelmaker", "リールメーカー")]
    )

    assert spoken.text == "リールメーカー 3,500"


def _timed(spoken_text: str, *, step: int = 100) -> list[WordTiming]:
    return [
        WordTiming(text=w, start_ms=i * step, end_ms=(i + 1) * step)
        for i, w in enumerate(spoken_text.split())
    ]


def test_each_written_word_spans_the_spoken_words_it_became():
    spoken = to_spoken("가격은 3,500원 2시 30분", language="ko")

    timings = written_timings(spoken, _timed(spoken.text))

    assert [(t.text, t.start_ms, t.end_ms) for t in timings] == [
        ("가격은", 0, 100),
        ("3,500원", 100, 300),  # 삼천오백 + 원
        ("2시", 300, 500),  # 두 + 시
        ("30분", 500, 700),  # 삼십 + 분
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ko", "2026.12.7 오후 2:30, 1,000,000원 — 10~20% AI & NASA!"),
        ("en", "On 12/7/2026 at 2:30 pm — $3.50 & 10% off for CEOs, 1st come."),
    ],
)
def test_written_timings_are_monotonic_and_cover_the_spoken_words(language, text):
    spoken = to_spoken(text, language=language)
    words = _timed(spoken.text, step=90)

    timings = written_timings(spoken, words)

    assert [t.text for t in timings] == text.split()
    assert all(t.start_ms <= t.end_ms for t in timings)
    for a, b in itertools.pairwise(timings):
        assert a.end_ms <= b.start_ms  # no overlap
    assert timings[0].start_ms == words[0].start_ms
    assert timings[-1].end_ms == words[-1].end_ms  # every spoken word is covered


def test_a_word_with_nothing_to_say_takes_no_time_where_it_stands():
    spoken = to_spoken("안녕 # 하세요", language="ko")  # a lone '#' is silent

    timings = written_timings(spoken, _timed(spoken.text))

    assert spoken.counts == (1, 0, 1)
    assert [(t.start_ms, t.end_ms) for t in timings] == [(0, 100), (100, 100), (100, 200)]


def test_pronunciations_apply_before_the_normaliser_and_keep_particles():
    lexicon = [Pronunciation("ReelMaker", "릴메이커"), Pronunciation("서울", "쏘울")]

    spoken = to_spoken("ReelMaker는 서울은 AI로", language="ko", lexicon=lexicon)

    assert spoken.text == "릴메이커는 쏘울은 에이아이로"


def test_pronunciations_ignore_case_but_prefer_the_same_case():
    lexicon = [Pronunciation("ai", "아이"), Pronunciation("AI", "에이 아이")]

    assert to_spoken("AI", language="en", lexicon=lexicon).text == "에이 아이"
    assert to_spoken("Ai", language="en", lexicon=lexicon).text == "아이"


def test_a_latin_pronunciation_does_not_match_inside_a_longer_word():
    lexicon = [Pronunciation("AI", "artificial intelligence")]

    spoken = to_spoken("AIR AI, KAI", language="en", lexicon=lexicon)

    assert spoken.text == "air artificial intelligence, kai"


def test_a_pronunciation_spoken_form_is_not_normalised_again():
    lexicon = [Pronunciation("K8", "케이에이트")]

    assert to_spoken("K8과 3개", language="ko", lexicon=lexicon).text == "케이에이트과 세 개"


def test_a_voice_that_times_another_number_of_words_still_times_every_written_word():
    spoken = to_spoken("가격은 3,500원 입니다", language="ko")  # four spoken words
    words = [WordTiming("가격은", 0, 300), WordTiming("삼천오백원", 300, 900)]

    timings = written_timings(spoken, words)

    assert [t.text for t in timings] == ["가격은", "3,500원", "입니다"]
    assert [t.start_ms for t in timings] == sorted(t.start_ms for t in timings)
    assert timings[0].start_ms == 0
    assert timings[-1].end_ms == 900
