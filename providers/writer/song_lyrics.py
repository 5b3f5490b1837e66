"""The writer's song mode: lyrics in sections sized from the tempo, in six languages.

    shape = song_shape(duration_s=15, bpm=112)     # 3 lines of one [Chorus]
    lyrics = write_lyrics(place=PlaceFacts(...), language="th", duration_s=15, bpm=112)

A bar is 240/BPM seconds; a lyric line takes two bars and 8-12 syllables, counting a Hangul
block, a CJK character, a kana mora, or a Thai/Vietnamese syllable as one. 15 s is a chorus;
30 s a verse and a chorus; 60 s intro, verse, chorus, bridge, chorus, outro. The chorus names
the business and the region. The song starts after one beat of pickup, and a short tail
(under a bar and a half) rings out after the last line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from providers.base import PermanentProviderError
from providers.writer import song_templates

LANGUAGES = ("ko", "en", "zh", "ja", "th", "vi")
MIN_SYLLABLES, MAX_SYLLABLES = 8, 12
BARS_PER_LINE = 2
MIN_BPM, MAX_BPM = 60, 180
SECTION_NAMES = ("Intro", "Verse", "Chorus", "Bridge", "Outro")
# Small kana fuse with the kana before them into one mora.
_SMALL_KANA = set("ゃゅょぁぃぅぇぉゎャュョァィゥェォヮ")


@dataclass(frozen=True)
class SongShape:
    """Timing of a song of `lines` two-bar lines at `bpm`, in milliseconds."""

    bpm: int
    lines: int
    sections: tuple[tuple[str, int], ...]  # (name, number of lines), in order

    @property
    def beat_ms(self) -> float:
        return 60_000 / self.bpm

    @property
    def bar_ms(self) -> float:
        return 4 * self.beat_ms

    @property
    def slot_ms(self) -> float:
        return BARS_PER_LINE * self.bar_ms

    @property
    def lead_ms(self) -> int:
        return round(self.beat_ms)

    def line_start_ms(self, index: int) -> int:
        return round(self.lead_ms + index * self.slot_ms)

    def bar_at(self, ms: float) -> int:
        """The bar of the backing track playing at `ms` (bar 0 starts at 0)."""
        return int(ms // self.bar_ms)


@dataclass(frozen=True)
class Section:
    name: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Lyrics:
    """Sections of lines in one language, at a tempo; stored as JSON by the places app."""

    language: str
    bpm: int
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def lines(self) -> list[tuple[str, str]]:
        """(section name, line) for every sung line, in order."""
        return [(s.name, line) for s in self.sections for line in s.lines]

    def to_json(self) -> dict:
        return {
            "language": self.language,
            "bpm": self.bpm,
            "sections": [{"name": s.name, "lines": list(s.lines)} for s in self.sections],
        }

    @classmethod
    def from_json(cls, data: dict) -> Lyrics:
        return cls(
            language=str(data["language"]),
            bpm=int(data["bpm"]),
            sections=tuple(
                Section(name=str(s["name"]), lines=tuple(str(x) for x in s["lines"]))
                for s in data["sections"]
            ),
        )

    def as_text(self) -> str:
        """The lyrics with [Section] markers, as song gateways take them."""
        return "\n\n".join(f"[{s.name}]\n" + "\n".join(s.lines) for s in self.sections)


@dataclass(frozen=True)
class PlaceFacts:
    """What the lyrics sing about: the place's name and region, its category, a feature and
    the offer (empty: a generic call)."""

    name: str
    region: str
    category: str = "cafe"
    feature: str = ""
    offer: str = ""


def song_shape(*, duration_s: float, bpm: int) -> SongShape:
    """How many lines fit `duration_s` at `bpm`, and the sections they make."""
    if not MIN_BPM <= bpm <= MAX_BPM:
        raise PermanentProviderError(f"tempo {bpm} BPM is outside {MIN_BPM}-{MAX_BPM}")
    probe = SongShape(bpm=bpm, lines=0, sections=())
    room = duration_s * 1000 - probe.lead_ms - probe.bar_ms / 2
    lines = int(room // probe.slot_ms)
    if lines < 1:
        raise PermanentProviderError(f"{duration_s} s is too short for a line at {bpm} BPM")
    return SongShape(bpm=bpm, lines=lines, sections=_sections(duration_s, lines))


def _sections(duration_s: float, lines: int) -> tuple[tuple[str, int], ...]:
    if duration_s <= 20 or lines < 2:
        return (("Chorus", lines),)
    if duration_s <= 45 or lines < 6:
        verse = lines // 2
        return (("Verse", verse), ("Chorus", lines - verse))
    bridge = max(1, lines // 8)
    rest = lines - 2 - bridge
    chorus = max(1, round(rest * 0.3))
    verse = max(1, rest - 2 * chorus)
    outro = max(1, lines - 1 - verse - 2 * chorus - bridge)
    return (
        ("Intro", 1),
        ("Verse", verse),
        ("Chorus", chorus),
        ("Bridge", bridge),
        ("Chorus", chorus),
        ("Outro", outro),
    )


def count_syllables(text: str, language: str) -> int:
    """Sung syllables: a Hangul block, a CJK character, a kana mora, a Thai or Vietnamese
    syllable, an English vowel group; digits one each."""
    if language == "vi":
        # Vietnamese writes one syllable per space-separated word.
        return sum(1 for word in text.split() if any(ch.isalnum() for ch in word))
    count = 0
    for run in re.finditer(r"[A-Za-z']+|[\u0e00-\u0e7f]+|\d|\S", text):
        piece = run.group()
        if piece[0].isascii() and piece[0].isalpha():
            count += _english_syllables(piece)
        elif "\u0e00" <= piece[0] <= "\u0e7f":
            count += len(_thai_syllables(piece))
        elif piece in _SMALL_KANA or not (piece.isalnum() or piece == "ー"):
            continue
        else:
            count += 1
    return count


def _english_syllables(word: str) -> int:
    word = word.lower().strip("'")
    groups = re.findall(r"[aeiouy]+", word)
    n = len(groups)
    if word.endswith("e") and n > 1 and not word.endswith(("le", "ee")):
        n -= 1
    return max(1, n)


@functools.cache
def _thai_syllable_tokenize():
    from pythainlp.tokenize import syllable_tokenize

    return syllable_tokenize


def _thai_syllables(run: str) -> list[str]:
    return [s for s in _thai_syllable_tokenize()(run, engine="dict") if s.strip()]


def write_lyrics(*, place: PlaceFacts, language: str, duration_s: float, bpm: int) -> Lyrics:
    """Offline lyrics from templates: the shape's sections, each line 8-12 syllables where a
    template allows it; the chorus names the business and the region."""
    if language not in LANGUAGES:
        raise PermanentProviderError(f"no lyric templates for '{language}'")
    if not place.name.strip() or not place.region.strip():
        raise PermanentProviderError("the place needs a name and a region for its lyrics")
    shape = song_shape(duration_s=duration_s, bpm=bpm)
    roles = song_templates.TEMPLATES[language]
    things = song_templates.THINGS.get(place.category, song_templates.THINGS["cafe"])
    values = {
        "name": place.name.strip(),
        "region": place.region.strip(),
        "thing": things[language],
        "feature": place.feature.strip() or song_templates.FEATURES[language],
        "offer": place.offer.strip() or song_templates.OFFERS[language],
    }
    chorus: tuple[str, ...] = ()
    sections = []
    for name, count in shape.sections:
        if name == "Chorus" and chorus:
            sections.append(Section(name, chorus))  # the chorus comes back word for word
            continue
        lines = _pick(roles[name.lower()], values, count, language, chorus=name == "Chorus")
        if name == "Chorus":
            chorus = lines
        sections.append(Section(name, lines))
    return Lyrics(language=language, bpm=bpm, sections=tuple(sections))


def _pick(
    templates: list[str], values: dict[str, str], count: int, language: str, *, chorus: bool
) -> tuple[str, ...]:
    filled = [" ".join(t.format(**values).split()) for t in templates]

    def score(line: str) -> tuple[int, int]:
        syllables = count_syllables(line, language)
        off = max(0, MIN_SYLLABLES - syllables, syllables - MAX_SYLLABLES)
        names = (values["name"] in line) + (values["region"] in line) if chorus else 0
        return (off, -names)

    ranked = sorted(filled, key=score)
    if chorus:
        # The chorus opens with the line naming the business and the region, when one does.
        both = [x for x in ranked if values["name"] in x and values["region"] in x]
        ranked = both[:1] + [x for x in ranked if x not in both[:1]]
    return tuple(ranked[i % len(ranked)] for i in range(count))
