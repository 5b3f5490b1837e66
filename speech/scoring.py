"""Per-word timing and acoustic similarity, the overall score and the rank.

Calibration of acoustic similarity (see `similarity_from_cost`): the DTW frame cost is the
Euclidean distance between utterance-normalised MFCC + delta vectors divided by
sqrt(26). Identical audio costs 0; two unrelated utterances settle near 1.0 once DTW has
picked the cheapest path (the table in the README was measured on the fixtures in
tests/speech). Costs map linearly onto 0-100 between FULL_MARKS_COST and ZERO_MARKS_COST,
and a frame where the reference speaks and the recording is silent scores 0 whatever its
cost, so silence can never earn points.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np

from render.types import WordTiming
from speech.dtw import Alignment
from speech.features import FRAME_S

FULL_MARKS_COST = 0.55
ZERO_MARKS_COST = 0.95

MIN_OVERLAP = 0.4
MAX_OFFSET_S = 0.5

WEIGHTS = {"similarity": 0.4, "timing": 0.25, "intonation": 0.2, "expressiveness": 0.15}
RANKS = ((0.95, "S"), (0.85, "A"), (0.70, "B"))


@dataclass(frozen=True)
class WordScore:
    """One word of the line: where the reference says it, where the recording does, and how
    alike they sound. Times are seconds from the start of each file."""

    text: str
    reference_start_s: float
    reference_end_s: float
    start_s: float
    end_s: float
    offset_s: float
    overlap: float
    is_time_match: bool
    similarity: float
    is_text_match: bool | None = None  # None: the words heard were not checked

    def to_json(self) -> dict:
        return {key: _rounded(value) for key, value in asdict(self).items()}


def _rounded(value: object) -> object:
    return round(value, 3) if isinstance(value, float) else value


def similarity_from_cost(cost: np.ndarray) -> np.ndarray:
    """Frame costs mapped linearly onto 0-100 between the calibration anchors."""
    span = ZERO_MARKS_COST - FULL_MARKS_COST
    return 100.0 * np.clip((ZERO_MARKS_COST - cost) / span, 0.0, 1.0)


def interval_overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Intersection over union of two time intervals (0 when either is empty)."""
    inter = max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def score_words(
    words: Sequence[WordTiming],
    *,
    alignment: Alignment,
    frame_similarity: np.ndarray,
    reference_frames: int,
) -> list[WordScore]:
    """Each word's recorded interval through the DTW path, its offset, overlap and similarity.

    `alignment.path` holds absolute frame indices of both files; `frame_similarity` is the
    0-100 similarity of each step of the path.
    """
    path = alignment.path
    scored = []
    for word in words:
        first = min(int(word.start_ms / 1000 / FRAME_S), reference_frames - 1)
        last = max(first + 1, int(np.ceil(word.end_ms / 1000 / FRAME_S)))
        steps = np.flatnonzero((path[:, 0] >= first) & (path[:, 0] < last))
        if len(steps) == 0:
            # the word lies outside the reference's speech: take the nearest step of the path
            steps = np.array([int(np.argmin(np.abs(path[:, 0] - first)))])
        reference = (word.start_ms / 1000, word.end_ms / 1000)
        recorded = (path[steps, 1].min() * FRAME_S, (path[steps, 1].max() + 1) * FRAME_S)
        offset = recorded[0] - reference[0]
        overlap = interval_overlap(reference, recorded)
        scored.append(
            WordScore(
                text=word.text,
                reference_start_s=reference[0],
                reference_end_s=reference[1],
                start_s=float(recorded[0]),
                end_s=float(recorded[1]),
                offset_s=float(offset),
                overlap=float(overlap),
                is_time_match=bool(overlap >= MIN_OVERLAP and abs(offset) <= MAX_OFFSET_S),
                similarity=float(frame_similarity[steps].mean()),
            )
        )
    return scored


def _normalised(token: str) -> str:
    folded = unicodedata.normalize("NFKC", token).casefold()
    return re.sub(r"[^\w]", "", folded)


def mark_heard(words: list[WordScore], heard: Sequence[str]) -> list[WordScore]:
    """Each word marked as heard or not, by an in-order match against the transcript."""
    expected = [_normalised(word.text) for word in words]
    got = [_normalised(token) for token in heard if _normalised(token)]
    matched: set[int] = set()
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    for block in matcher.get_matching_blocks():
        matched.update(range(block.a, block.a + block.size))
    return [replace(word, is_text_match=i in matched) for i, word in enumerate(words)]


def overall(parts: dict[str, float]) -> float:
    """The weighted mean of the parts (each 0-1)."""
    return float(sum(WEIGHTS[name] * parts[name] for name in WEIGHTS))


def rank(score: float) -> str:
    """S from 0.95, A from 0.85, B from 0.70, else C."""
    for floor, letter in RANKS:
        if score >= floor:
            return letter
    return "C"
