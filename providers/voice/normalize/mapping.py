"""From written text to what the voice says, word by word, and from the voice's word timings
back to the written words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from providers.voice.normalize.en import plain
from providers.voice.normalize.en import say as say_en
from providers.voice.normalize.ko import say as say_ko
from render.types import WordTiming


@dataclass(frozen=True)
class Pronunciation:
    """A user's lexicon entry: the written `word` is said as `spoken`."""

    word: str
    spoken: str


@dataclass(frozen=True)
class SpokenText:
    """What the voice is asked to say, and how many of its words each written word became."""

    text: str
    written: tuple[str, ...]
    counts: tuple[int, ...]

    def pairs(self) -> list[tuple[str, str]]:
        """Each written word with what is said for it ('' for nothing)."""
        said = self.text.split()
        result, k = [], 0
        for written, count in zip(self.written, self.counts, strict=True):
            result.append((written, " ".join(said[k : k + count])))
            k += count
        return result


def to_spoken(text: str, *, language: str, lexicon: Iterable[Pronunciation] = ()) -> SpokenText:
    """The spoken form of `text`: per written (whitespace) word, the user's pronunciations
    first, then the language's reading of numbers, units, symbols and acronyms. Languages
    other than Korean and English only get the pronunciations."""
    match_word = _lexicon_matcher(lexicon)
    written = tuple(text.split())
    spoken: list[str] = []
    previous = ""
    for word in written:
        # Pieces of one word join back without a space ('릴메이커' + '는' -> '릴메이커는').
        said = "".join(
            piece if fixed else _say(piece, language=language, previous=previous)
            for piece, fixed in _pieces(word, match_word)
        )
        spoken.append(" ".join(said.split()))
        previous = plain(word)
    counts = tuple(len(s.split()) for s in spoken)
    return SpokenText(text=" ".join(s for s in spoken if s), written=written, counts=counts)


def written_timings(spoken: SpokenText, words: Sequence[WordTiming]) -> list[WordTiming]:
    """One timing per written word, spanning the spoken words it became: from the first one's
    start to the last one's end. A word that became nothing takes no time where it stands.
    When the voice timed another number of words than it was given (it should not), written
    words take the spoken words at proportional positions."""
    total = sum(spoken.counts)
    if len(words) != total:
        return _proportional(spoken, words)
    timings: list[WordTiming] = []
    k = 0
    clock = words[0].start_ms if words else 0
    for written, count in zip(spoken.written, spoken.counts, strict=True):
        if count:
            start, end = words[k].start_ms, max(words[k + count - 1].end_ms, words[k].start_ms)
            k += count
        else:
            start = end = clock
        timings.append(WordTiming(text=written, start_ms=start, end_ms=end))
        clock = end
    return timings


def _say(piece: str, *, language: str, previous: str) -> str:
    if language == "ko":
        return say_ko(piece)
    if language == "en":
        return say_en(piece, previous=previous)
    return piece


def _lexicon_matcher(lexicon: Iterable[Pronunciation]):
    """A function finding the next pronunciation in a word: (start, end, spoken) or None.

    A written entry matches where it is not glued to letters or digits before it; one ending
    in a Latin letter or digit must not run on into more of them (AI in AIR is no match),
    one ending in Hangul may take a particle (서울 in 서울은). Matching ignores case; an entry
    in the same case as the text wins over one that differs only in case.
    """
    entries = [entry for entry in lexicon if entry.word.strip()]
    if not entries:
        return lambda _word, _start: None
    exact = {entry.word: entry.spoken for entry in entries}
    folded: dict[str, str] = {}
    for entry in entries:
        folded.setdefault(entry.word.casefold(), entry.spoken)
    alternatives = "|".join(
        re.escape(w) + (r"(?![A-Za-z0-9])" if w[-1].isascii() and w[-1].isalnum() else "")
        for w in sorted(exact, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})", re.IGNORECASE)

    def find(word: str, start: int):
        match = pattern.search(word, start)
        if match is None:
            return None
        found = match.group()
        spoken = exact.get(found) or folded.get(found.casefold(), found)
        return match.start(), match.end(), spoken

    return find


def _pieces(word: str, find) -> list[tuple[str, bool]]:
    """The word cut into (text, is_pronunciation) pieces, pronunciations already spoken."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    while (found := find(word, position)) is not None:
        start, end, spoken = found
        if start > position:
            pieces.append((word[position:start], False))
        pieces.append((spoken, True))
        position = end
    if position < len(word) or not pieces:
        pieces.append((word[position:], False))
    return pieces


def _proportional(spoken: SpokenText, words: Sequence[WordTiming]) -> list[WordTiming]:
    if not words:
        return [WordTiming(text=w, start_ms=0, end_ms=0) for w in spoken.written]
    n = len(spoken.written)
    timings = []
    for i, written in enumerate(spoken.written):
        first = words[min(len(words) - 1, i * len(words) // n)]
        last = words[min(len(words) - 1, max(i * len(words) // n, (i + 1) * len(words) // n - 1))]
        timings.append(WordTiming(text=written, start_ms=first.start_ms, end_ms=last.end_ms))
    return timings
