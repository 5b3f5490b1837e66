"""The OpenAI writer's song mode: a place's marketing brief and its lyrics through structured
outputs (json_schema), checked here by the same rules as the offline writer's.

Switched on by the writer's own configuration (REELMAKER_WRITER=openai or an admin row), with
its key, model, base URL and API (chat or responses). An answer that breaks a rule (the
brief's JSON schema; the lyrics' schema, sections from the tempo, 8-12 syllables a line, a
chorus naming the business and the region) is sent back once with the rules it broke; a second
failure is a PermanentProviderError saying both. Usage is the tokens of every call, priced by
billing like the narrated writer's. Prompts live in prompts/song.<version>.txt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from string import Template
from typing import TypeVar, cast

from providers.base import PermanentProviderError, Usage
from providers.writer.marketing import BRIEF_SCHEMA, PlaceInfo
from providers.writer.openai_prompts import PROMPTS_DIR
from providers.writer.openai_writer import PROVIDER, OpenAIWriter
from providers.writer.song_lyrics import (
    MAX_SYLLABLES,
    MIN_SYLLABLES,
    Lyrics,
    PlaceFacts,
    song_shape,
)
from providers.writer.song_rules import (
    LINE_MAX_CHARS,
    LYRICS_SCHEMA,
    checked_lyrics,
    lyric_problems,
    schema_problem,
    strict_schema,
)

PROMPT_VERSION = "v1"
BRIEF_SCHEMA_NAME = "marketing_brief"
LYRICS_SCHEMA_NAME = "song_lyrics"
LANGUAGE_NAMES = {
    "ko": "Korean",
    "en": "English",
    "zh": "Simplified Chinese",
    "ja": "Japanese",
    "th": "Thai",
    "vi": "Vietnamese",
}
SYLLABLE_RULES = {
    "ko": "one Hangul block is one syllable",
    "en": "count vowel sounds",
    "zh": "one Chinese character is one syllable",
    "ja": "one kana mora is one syllable; write in hiragana and katakana only, no kanji",
    "th": "one Thai syllable is one",
    "vi": "one Vietnamese word is one syllable",
}

T = TypeVar("T")


class SongRulesBroken(PermanentProviderError):
    """The model's brief or lyrics broke a rule twice; `usage` is what both answers cost,
    since they are paid for all the same."""

    usage: Usage | None = None


@cache
def _prompts(version: str = PROMPT_VERSION) -> dict[str, Template]:
    text = (PROMPTS_DIR / f"song.{version}.txt").read_text(encoding="utf-8")
    parts = re.split(r"^\[(\w+)\]\n", text, flags=re.MULTILINE)
    return {
        name: Template(body.strip()) for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }


class OpenAISongWriter(OpenAIWriter):
    """The marketing brief and the lyrics of a place, over the official `openai` SDK."""

    def write_brief(self, *, place: PlaceInfo, language: str) -> tuple[dict, Usage]:
        """A report valid against BRIEF_SCHEMA, and the tokens it took. Raises
        TransientProviderError (timeouts, 429, 5xx) or PermanentProviderError."""
        prompts = _prompts()
        values = {
            "language_name": LANGUAGE_NAMES.get(language, "English"),
            "name": place.name,
            "category": place.category,
            "region": place.region,
            "detail": place.detail or "-",
            "description": place.description or "-",
            "facilities": ", ".join(place.facilities) or "-",
            "offer": place.offer or "-",
        }
        messages = [
            {"role": "system", "content": prompts["brief_system"].safe_substitute(values)},
            {"role": "user", "content": prompts["brief_user"].safe_substitute(values)},
        ]

        def check(data: object) -> dict:
            problem = schema_problem(data, BRIEF_SCHEMA)
            if problem:
                raise SongRulesBroken(f"marketing brief: {problem}", provider=PROVIDER)
            return cast(dict, data)  # the schema says it is an object

        return self._write(messages, strict_schema(BRIEF_SCHEMA), BRIEF_SCHEMA_NAME, check)

    def write_lyrics(
        self,
        *,
        place: PlaceFacts,
        language: str,
        duration_s: float,
        bpm: int,
        brief: dict | None = None,
    ) -> tuple[Lyrics, Usage]:
        """Lyrics in the tempo's sections that keep song_rules.lyric_problems, and the tokens
        they took. Raises TransientProviderError or PermanentProviderError."""
        shape = song_shape(duration_s=duration_s, bpm=bpm)
        prompts = _prompts()
        values = {
            "language_name": LANGUAGE_NAMES.get(language, "English"),
            "syllable_rule": SYLLABLE_RULES.get(language, SYLLABLE_RULES["en"]),
            "min_syllables": MIN_SYLLABLES,
            "max_syllables": MAX_SYLLABLES,
            "max_chars": LINE_MAX_CHARS,
            "name": place.name.strip(),
            "region": place.region.strip(),
            "category": place.category,
            "feature": place.feature or "-",
            "offer": place.offer or "-",
            "duration_s": f"{duration_s:g}",
            "bpm": bpm,
            "sections": "\n".join(f"[{name}] {count} lines" for name, count in shape.sections),
            "brief": _brief_lines(brief),
        }
        messages = [
            {"role": "system", "content": prompts["lyrics_system"].safe_substitute(values)},
            {"role": "user", "content": prompts["lyrics_user"].safe_substitute(values)},
        ]

        def check(data: object) -> Lyrics:
            lyrics = checked_lyrics(data, language=language, bpm=bpm)
            problems = lyric_problems(lyrics, shape=shape, name=place.name, region=place.region)
            if problems:
                raise SongRulesBroken("lyrics: " + "; ".join(problems), provider=PROVIDER)
            return lyrics

        return self._write(messages, strict_schema(LYRICS_SCHEMA), LYRICS_SCHEMA_NAME, check)

    def _write(
        self, messages: list[dict], schema, name: str, check: Callable[[object], T]
    ) -> tuple[T, Usage]:
        """Ask; when the answer breaks a rule, ask once more with the rules it broke."""
        client = self._client()
        answers = [self._ask(client, messages, schema, name)]
        try:
            return check(_parsed(answers[0].content)), self._usage(answers)
        except PermanentProviderError as first:
            fix = _prompts()["fix"].safe_substitute(problems=first.message)
            messages = [
                *messages,
                {"role": "assistant", "content": answers[0].content},
                {"role": "user", "content": fix},
            ]
            answers.append(self._ask(client, messages, schema, name))
            try:
                return check(_parsed(answers[1].content)), self._usage(answers)
            except PermanentProviderError as second:
                error = SongRulesBroken(
                    f"the model's answer broke a rule twice (first: {first.message}; "
                    f"then: {second.message})",
                    provider=PROVIDER,
                )
                error.usage = self._usage(answers)
                raise error from None


def _parsed(content: str) -> object:
    try:
        return json.loads(content)
    except (TypeError, ValueError) as exc:
        raise PermanentProviderError(f"the answer is not JSON ({exc})", provider=PROVIDER) from None


def _brief_lines(brief: dict | None) -> str:
    if not brief:
        return ""
    keywords = ", ".join(str(k) for k in brief.get("keywords", [])[:6])
    return (
        f"Its promise: {brief.get('emotional_promise', '')}. "
        f"For: {brief.get('target_persona', '')}. Keywords to weave in: {keywords}."
    )
