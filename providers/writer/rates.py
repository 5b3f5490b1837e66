"""How long narration takes to say, from measured offline-voice speaking rates.

Korean counts syllables (one Hangul block = one); English counts words; digits count as read
aloud. The rates include the pauses at punctuation and were measured on TemplateWriter
narration (90+ scenes, 15/30/60 s briefs) with the offline voices:
espeak-ng Korean at 175 wpm: 4.84 syllables/s; English: Piper joe at length_scale 1.2 and
espeak-ng en-us at 150 wpm: 2.7-2.9 words/s.
"""

from __future__ import annotations

import re

KO_SYLLABLES_PER_S = 4.8
EN_WORDS_PER_S = 2.8

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_NUMBER = re.compile(r"\d+")


def spoken_units(text: str, *, language: str) -> float:
    """Syllables (ko) or words (en) as the voice will say them."""
    numbers = _NUMBER.findall(text)
    if language == "ko":
        hangul = len(_HANGUL.findall(text))
        latin = sum(max(1.0, len(w) / 2.5) for w in _LATIN_WORD.findall(text))
        # A Korean number says about 1.3 syllables per digit ("2024" -> 이천이십사).
        return hangul + latin + sum(1.3 * len(n) for n in numbers)
    words = len(_LATIN_WORD.findall(text)) + len(_HANGUL.findall(text)) / 3
    # An English number says about one word per digit ("2024" -> twenty twenty four).
    return words + sum(len(n) for n in numbers)


def estimate_speech_ms(text: str, *, language: str) -> int:
    """Milliseconds the offline voice needs to say `text`, pauses included."""
    rate = KO_SYLLABLES_PER_S if language == "ko" else EN_WORDS_PER_S
    return round(spoken_units(text, language=language) / rate * 1000)


# Written characters per spoken unit, spaces and punctuation included (TemplateWriter text).
CHARS_PER_UNIT = {"ko": 1.45, "en": 5.4}


def characters_for(seconds: float, *, language: str) -> float:
    """About how many written characters of narration fill `seconds` of speech."""
    rate = KO_SYLLABLES_PER_S if language == "ko" else EN_WORDS_PER_S
    return seconds * rate * CHARS_PER_UNIT.get(language, CHARS_PER_UNIT["en"])


# Pacing: what a reel's length leaves for speech. Each voiced scene is followed by a pause
# (scenes.services.media.SCENE_PAUSE_MS); a business reel closes on an end card
# (render.timeline.END_CARD_MIN_MS to END_CARD_MAX_MS). The writer aims a little under the
# rest (PACE): the timeline fills a short reel with holds and a longer end card, but it
# never cuts speech, so text that runs long would make the reel run long.
SCENE_PAUSE_MS = 350
END_CARD_RESERVE_MS = 2500
SHORT_END_CARD_RESERVE_MS = 1500  # reels of 10 s or less
PACE = 0.92


def speech_budget_ms(*, duration_s: int, scenes: int, end_card: bool) -> int:
    """Milliseconds of speech a reel of `duration_s` with `scenes` scenes has room for."""
    reserve = 0
    if end_card:
        reserve = SHORT_END_CARD_RESERVE_MS if duration_s <= 10 else END_CARD_RESERVE_MS
    room = duration_s * 1000 - reserve - scenes * SCENE_PAUSE_MS
    return max(1000, round(room * PACE))
