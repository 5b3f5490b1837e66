"""Compare a recording of a line with its reference: the one entry point of `speech`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from render.types import WordTiming
from speech import features as feats
from speech import pitch, prosody, scoring
from speech.audio import decode
from speech.dtw import align

# Speech spans are widened by this much so word edges cut by the energy gate still align.
SPAN_MARGIN_FRAMES = 5


# Vocal tract length normalisation: the recording's filterbank is stretched by each factor
# and the one that aligns cheapest is kept, so a higher or lower voice is not marked down
# for the length of its vocal tract (about +-3 semitones of formant shift).
VTLN_WARPS = (0.84, 0.89, 0.94, 1.0, 1.06, 1.12, 1.19)


class NoSpeech(ValueError):
    """The recording (or the reference) holds no speech; `reason` is "no_speech"."""

    reason = "no_speech"


@dataclass(frozen=True)
class Analysis:
    words: list[scoring.WordScore]
    similarity: float  # 0-100
    timing: float  # share of words on time, 0-1
    intonation: prosody.Intonation
    tempo: prosody.Tempo
    expressiveness: prosody.Expressiveness
    score: float  # 0-1
    rank: str
    is_text_checked: bool

    def to_json(self) -> dict:
        return {
            "score": round(self.score, 3),
            "rank": self.rank,
            "similarity": round(self.similarity, 1),
            "timing": round(self.timing, 3),
            "intonation": self.intonation.to_json(),
            "tempo": self.tempo.to_json(),
            "expressiveness": self.expressiveness.to_json(),
            "is_text_checked": self.is_text_checked,
            "words": [word.to_json() for word in self.words],
        }


def _span(features: feats.Features, *, what: str) -> tuple[int, int]:
    span = features.speech_span()
    if span is None:
        raise NoSpeech(f"no speech was found in the {what}")
    return max(0, span[0] - SPAN_MARGIN_FRAMES), min(
        features.n_frames, span[1] + SPAN_MARGIN_FRAMES
    )


def compare(
    *,
    reference: np.ndarray,
    recording: np.ndarray,
    words: Sequence[WordTiming],
    heard: Sequence[str] | None = None,
) -> Analysis:
    """Score `recording` (mono 16 kHz samples) against `reference` whose `words` are timed.

    `heard` is what speech recognition made of the recording, if anything ran; without it
    the words' text is not checked. Raises NoSpeech when either holds no speech.
    """
    (ref,) = feats.extract(reference)
    warped = feats.extract(recording, warps=VTLN_WARPS)
    ref_lo, ref_hi = _span(ref, what="reference")
    rec_lo, rec_hi = _span(warped[0], what="recording")
    rec, local = min(
        ((rec, align(ref.mfcc[ref_lo:ref_hi], rec.mfcc[rec_lo:rec_hi])) for rec in warped),
        key=lambda pair: pair[1].mean_cost,
    )
    path = local.path + np.array([ref_lo, rec_lo])
    alignment = type(local)(path=path, mean_cost=local.mean_cost)
    step_costs = np.sqrt(((ref.mfcc[path[:, 0]] - rec.mfcc[path[:, 1]]) ** 2).mean(axis=1))
    step_similarity = scoring.similarity_from_cost(step_costs)
    # the reference speaks and the recording is silent: nothing to credit
    step_similarity[ref.is_speech[path[:, 0]] & ~rec.is_speech[path[:, 1]]] = 0.0
    words_scored = scoring.score_words(
        words, alignment=alignment, frame_similarity=step_similarity, reference_frames=ref.n_frames
    )
    if heard is not None:
        words_scored = scoring.mark_heard(words_scored, heard)
    ref_st = pitch.semitones(pitch.yin(reference, n_frames=ref.n_frames), ref.is_speech)
    rec_st = pitch.semitones(pitch.yin(recording, n_frames=rec.n_frames), rec.is_speech)
    tone = prosody.intonation(ref_st, rec_st, alignment)
    lively = prosody.expressiveness(ref, ref_st, rec, rec_st)
    if words_scored:
        similarity = float(np.mean([w.similarity for w in words_scored]))
        timing = float(np.mean([w.is_time_match for w in words_scored]))
    else:
        on_speech = ref.is_speech[path[:, 0]]
        similarity = float(step_similarity[on_speech].mean()) if on_speech.any() else 0.0
        timing = 0.0
    score = scoring.overall(
        {
            "similarity": similarity / 100.0,
            "timing": timing,
            "intonation": tone.score,
            "expressiveness": lively.score,
        }
    )
    return Analysis(
        words=words_scored,
        similarity=similarity,
        timing=timing,
        intonation=tone,
        tempo=prosody.tempo(ref, rec, alignment),
        expressiveness=lively,
        score=score,
        rank=scoring.rank(score),
        is_text_checked=heard is not None,
    )


def compare_files(
    *,
    reference: Path,
    recording: Path,
    words: Sequence[WordTiming],
    heard: Sequence[str] | None = None,
) -> Analysis:
    """`compare` on two files FFmpeg can decode. Raises UnreadableAudio or NoSpeech."""
    return compare(
        reference=decode(reference), recording=decode(recording), words=words, heard=heard
    )


__all__ = ["Analysis", "NoSpeech", "compare", "compare_files"]
