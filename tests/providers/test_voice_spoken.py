"""A real offline voice speaks the spoken form; captions keep the written words, timed by it."""

from __future__ import annotations

import itertools
import re

import pytest

from providers.voice.espeak import EspeakVoice
from providers.voice.normalize import to_spoken
from providers.voice.offline import OfflineVoiceProvider
from providers.voice.speak import speak_written
from render.captions import build_ass
from scenes.models import PronunciationEntry
from scenes.services.media import make_scene_voice
from tests.factories import SceneFactory, StoryFactory

HIGHLIGHT = "{\\c&H0000D4FF}"
DIALOGUE = re.compile(r"^Dialogue: 0,(\d+):(\d\d):(\d\d)\.(\d\d),[^,]*,Caption,,0,0,0,,(.*)$")


class RecordingVoice:
    """A real voice that keeps what it was asked to say and what it answered."""

    def __init__(self, voice):
        self.voice = voice
        self.calls: list[tuple[str, object]] = []

    def synthesize(self, *, text, language, voice, out_path):
        result = self.voice.synthesize(text=text, language=language, voice=voice, out_path=out_path)
        self.calls.append((text, result))
        return result


def test_korean_money_is_spoken_in_full(tmp_path):
    long = speak_written(
        EspeakVoice(), text="3,500원", language="ko", voice="", out_path=tmp_path / "a.wav"
    )
    short = speak_written(
        EspeakVoice(), text="3원", language="ko", voice="", out_path=tmp_path / "b.wav"
    )
    said = EspeakVoice().synthesize(
        text="삼천오백 원", language="ko", voice="", out_path=tmp_path / "c.wav"
    )

    assert long.duration_ms > short.duration_ms + 300
    assert abs(long.duration_ms - said.duration_ms) <= 30  # the voice said exactly this
    assert [w.text for w in long.words] == ["3,500원"]
    assert [w.text for w in short.words] == ["3원"]


def test_english_money_is_spoken_in_full_by_piper(tmp_path):
    dollars_and_cents = speak_written(
        OfflineVoiceProvider(),
        text="It costs $3.50.",
        language="en",
        voice="en-piper-joe",
        out_path=tmp_path / "a.wav",
    )
    dollars = speak_written(
        OfflineVoiceProvider(),
        text="It costs $3.",
        language="en",
        voice="en-piper-joe",
        out_path=tmp_path / "b.wav",
    )

    assert dollars_and_cents.duration_ms > dollars.duration_ms + 400
    assert [w.text for w in dollars_and_cents.words] == ["It", "costs", "$3.50."]


def test_captions_show_the_written_korean_while_the_spoken_form_is_heard(tmp_path):
    text = "커피 한 잔은 3,500원입니다. 오후 2시 30분까지!"
    voice = RecordingVoice(EspeakVoice())

    speech = speak_written(voice, text=text, language="ko", voice="", out_path=tmp_path / "v.wav")

    [(said, raw)] = voice.calls
    assert said == "커피 한 잔은 삼천오백 원입니다. 오후 두 시 삼십 분까지!"
    assert [w.text for w in speech.words] == text.split()
    spoken = [w.text for w in raw.words]
    money = speech.words[3]
    # 3,500원입니다 spans exactly 삼천오백 and 원입니다 as the voice timed them.
    assert money.start_ms == raw.words[spoken.index("삼천오백")].start_ms
    assert money.end_ms == raw.words[spoken.index("원입니다.")].end_ms
    assert money.end_ms - money.start_ms > 400

    ass = build_ass(words=speech.words, width=540, height=960, duration_ms=speech.duration_ms)

    lit = []
    for line in ass.splitlines():
        if match := DIALOGUE.match(line):
            h, m, s, cs, body = match.groups()
            start = ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(cs) * 10
            lit.append((start, body.split(HIGHLIGHT)[1].split("{\\r}")[0]))
    assert [word for _, word in lit] == text.split()
    start_of_money = next(start for start, word in lit if word == "3,500원입니다.")
    assert abs(start_of_money - money.start_ms) <= 10
    assert "삼천오백" not in ass


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_real_voice_times_every_written_word_in_order(tmp_path, language):
    text = {
        "ko": "2026년 12월 7일, AI로 10~20% 빠르게!",
        "en": "On 12/7/2026 at 2:30 pm, AI made it 10% faster.",
    }[language]

    speech = speak_written(
        EspeakVoice(), text=text, language=language, voice="", out_path=tmp_path / "v.wav"
    )

    assert [w.text for w in speech.words] == text.split()
    spoken = to_spoken(text, language=language)
    assert len(spoken.text.split()) > len(text.split())
    for a, b in zip(speech.words, speech.words[1:], strict=False):
        assert a.start_ms <= a.end_ms <= b.start_ms
    assert speech.words[-1].end_ms <= speech.duration_ms


@pytest.mark.django_db
def test_elevenlabs_receives_the_spoken_form_with_the_owners_pronunciations(fake_elevenlabs):
    story = StoryFactory(language="en")
    PronunciationEntry.objects.create(
        user=story.owner, language="en", word="Reelmaker", spoken="reel maker"
    )
    scene = SceneFactory(story=story, narration="Reelmaker costs $3.50 at 2:30 pm.")

    make_scene_voice(scene_id=scene.pk)

    (sent,) = fake_elevenlabs.posts()
    assert (
        sent.body["text"] == "reel maker costs three dollars and fifty cents at two thirty pee em."
    )
    scene.refresh_from_db()
    timings = scene.word_timings
    assert [w["text"] for w in timings] == scene.narration.split()
    assert all(a["end_ms"] <= b["start_ms"] for a, b in itertools.pairwise(timings))
    # The fake times character i at i * 50 ms: "$3.50" spans "three dollars and fifty cents".
    money = timings[2]
    assert money["end_ms"] - money["start_ms"] >= len("three dollars and fifty") * 50 - 60
