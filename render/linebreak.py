"""Caption words for every script: where a lyric or caption line may break.

    units("ร้านกาแฟริมทะเล", "th")   # ['ร้านกาแฟ', 'ริมทะเล']  (dictionary words)
    units("海边的咖啡馆。", "zh")      # ['海', '边', '的', '咖', '啡', '馆。']
    joiner("th")                     # '' : the words are drawn without spaces

Spaced scripts (Korean, English, Vietnamese) break between space-separated words. Chinese and
Japanese break between characters except where kinsoku forbids it: no line starts with closing
punctuation or a small kana, and none ends with opening punctuation, so those stick to their
neighbour. Thai has no spaces between words; pythainlp's dictionary segmenter (newmm) finds
them (chosen over PyICU: pure Python wheels with the dictionary inside, no ICU build).
Each unit keeps its span in the text, so a voice's word events map back to it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

UNSPACED = frozenset({"zh", "ja", "th"})
# Kinsoku shori (JIS X 4051): characters that may not start a line...
NO_START = set(
    "、。，．・：；？！゛゜ヽヾゝゞ々ー’”）〕］｝〉》」』】〙〗〟｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    ",.!?:;)]}%…‥〜～"
)
# ... and that may not end one.
NO_END = set("‘“（〔［｛〈《「『【〘〖〝｟«([{")


@dataclass(frozen=True)
class Unit:
    """One unbreakable piece of a line and its span [start, end) in the line's text."""

    text: str
    start: int
    end: int


def joiner(language: str) -> str:
    """What goes between two units on a drawn line."""
    return "" if language in UNSPACED else " "


def units(text: str, language: str) -> list[str]:
    """The line's unbreakable pieces, in order (spaces dropped)."""
    return [unit.text for unit in spans(text, language)]


def spans(text: str, language: str) -> list[Unit]:
    """The line's unbreakable pieces with their character spans."""
    out: list[Unit] = []
    for chunk in re.finditer(r"\S+", text):
        if language == "th":
            pieces = _thai_words(chunk.group())
        elif language in ("zh", "ja"):
            pieces = _kinsoku(chunk.group())
        else:
            pieces = [chunk.group()]
        at = chunk.start()
        for piece in pieces:
            out.append(Unit(piece, at, at + len(piece)))
            at += len(piece)
    return out


def _kinsoku(run: str) -> list[str]:
    """Characters as units; Latin words and digits stay whole; kinsoku characters join the
    unit they must stay with."""
    pieces: list[str] = []
    for token in re.findall(r"[A-Za-z0-9]+|.", run):
        if pieces and (token in NO_START or pieces[-1][-1] in NO_END):
            pieces[-1] += token
        else:
            pieces.append(token)
    return pieces


@functools.cache
def _thai_tokenize():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def _thai_words(run: str) -> list[str]:
    words = [w for w in _thai_tokenize()(run, engine="newmm", keep_whitespace=False) if w]
    # Thai never starts a line with a combining mark; the segmenter keeps clusters whole.
    return words or [run]
