"""The rules lyrics from a model must keep before they are stored, and their JSON schema.

    problems = lyric_problems(lyrics, shape=song_shape(duration_s=15, bpm=112),
                              name="Harbor Bean", region="Busan")

The sections are the tempo's (song_lyrics.song_shape: names and line counts, in order); every
line is 8-12 sung syllables (song_lyrics.count_syllables: a Hangul block, a CJK character, a
kana mora, a Thai or Vietnamese syllable) and fits two caption lines, Japanese in kana; the
chorus names the business and the region.
"""

from __future__ import annotations

import re
from typing import cast

import jsonschema

from providers.base import PermanentProviderError
from providers.writer.song_lyrics import (
    MAX_SYLLABLES,
    MIN_SYLLABLES,
    SECTION_NAMES,
    Lyrics,
    SongShape,
    count_syllables,
)

LINE_MAX_CHARS = 60  # two caption lines; places.services.song_reels.MAX_LINE_CHARS is the same
# Japanese lyrics stay in kana: syllables are counted as kana morae, and the offline chant
# (eSpeak NG) reads a kanji as "Chinese letter".
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

LYRICS_SCHEMA: dict = {
    "type": "object",
    "required": ["sections"],
    "additionalProperties": False,
    "properties": {
        "sections": {
            "type": "array",
            "minItems": 1,
            "maxItems": 12,
            "items": {
                "type": "object",
                "required": ["name", "lines"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "enum": list(SECTION_NAMES)},
                    "lines": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 24,
                        "items": {"type": "string", "minLength": 1, "maxLength": LINE_MAX_CHARS},
                    },
                },
            },
        }
    },
}

# Keywords OpenAI's strict structured outputs do not take; jsonschema checks them afterwards.
_NOT_STRICT = frozenset({"$schema", "minLength", "maxLength", "uniqueItems"})


def strict_schema(schema: object) -> object:
    """`schema` without the keywords strict structured outputs refuse."""
    if isinstance(schema, dict):
        return {k: strict_schema(v) for k, v in schema.items() if k not in _NOT_STRICT}
    if isinstance(schema, list):
        return [strict_schema(v) for v in schema]
    return schema


def schema_problem(data: object, schema: dict) -> str:
    """The first way `data` breaks `schema`, naming the field; empty when it keeps it."""
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "answer"
        return f"{where}: {exc.message}"
    return ""


def lyric_problems(lyrics: Lyrics, *, shape: SongShape, name: str, region: str) -> list[str]:
    """Every rule the lyrics break, one plain sentence each (in English: the model reads them)."""
    problems = []
    expected = [(section, count) for section, count in shape.sections]
    found = [(s.name, len(s.lines)) for s in lyrics.sections]
    if found != expected:
        problems.append(f"the sections must be {_listed(expected)}, not {_listed(found)}")
    for section, line in lyrics.lines():
        syllables = count_syllables(line, lyrics.language)
        if not MIN_SYLLABLES <= syllables <= MAX_SYLLABLES:
            problems.append(
                f"{section} line {line!r} has {syllables} sung syllables, not "
                f"{MIN_SYLLABLES}-{MAX_SYLLABLES}"
            )
        if len(line) > LINE_MAX_CHARS:
            problems.append(f"{section} line {line!r} is over {LINE_MAX_CHARS} characters")
        if lyrics.language == "ja" and _KANJI.search(line):
            problems.append(f"{section} line {line!r} has kanji; write Japanese in kana")
    chorus = " ".join(line for s in lyrics.sections if s.name == "Chorus" for line in s.lines)
    for what, value in (("business", name), ("region", region)):
        if value.strip() and value.strip().casefold() not in chorus.casefold():
            problems.append(f"the chorus must name the {what} {value.strip()!r}")
    return problems


def checked_lyrics(data: object, *, language: str, bpm: int) -> Lyrics:
    """Lyrics from the model's JSON; PermanentProviderError when it breaks LYRICS_SCHEMA."""
    problem = schema_problem(data, LYRICS_SCHEMA)
    if problem:
        raise PermanentProviderError(f"lyrics: {problem}", provider="openai")
    sections = [
        {"name": s["name"], "lines": [" ".join(line.split()) for line in s["lines"]]}
        for s in cast(dict, data)["sections"]  # the schema says it is an object
    ]
    return Lyrics.from_json({"language": language, "bpm": bpm, "sections": sections})


def _listed(sections: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} ({count} lines)" for name, count in sections) or "none"
