"""A user's own recording as a scene's narration: word timings carried over from a reading
whose timings are known (the TTS reading of the same text), and the audio cleaned.

Timings: both readings are aligned with the same banded DTW as the practice analysis
(utterance-normalised MFCC, the best of the VTLN warps); each word starts where the path
first reaches its first reference frame and ends where it leaves its last one.
A whole story read at once: the TTS readings of its scenes are joined and the recording aligned
to them in one pass; each scene's part of the recording ends halfway between the last word of
that scene and the first word of the next (so a breath between scenes is split, not lost).
Cleaning: an 80 Hz high-pass (handling noise and hum), a gate that lowers the room between
phrases (-40 dBFS threshold), then one measured gain to the mix target (-14 LUFS, with the
mix's limiter only where that gain would clip).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from render.assembly_commands import TARGET_LUFS, normalise_filter
from render.inspection import UNTRUSTED_INPUT
from render.runner import run_ffmpeg
from render.types import WordTiming
from speech import features as feats
from speech.analyze import VTLN_WARPS, NoSpeech
from speech.audio import SAMPLE_RATE
from speech.dtw import align
from speech.features import FRAME_S

FRAME_MS = round(FRAME_S * 1000)
HIGH_PASS_HZ = 80
GATE_THRESHOLD = 0.01  # linear amplitude: -40 dBFS
CLEAN_SAMPLE_RATE = 48_000


def transfer_words(
    *, reference: np.ndarray, words: Sequence[WordTiming], recording: np.ndarray
) -> list[WordTiming]:
    """`words` (timed on `reference`) timed on `recording` instead; both mono 16 kHz. Raises
    NoSpeech when either holds no speech."""
    (ref,) = feats.extract(reference)
    warped = feats.extract(recording, warps=VTLN_WARPS)
    ref_span, rec_span = ref.speech_span(), warped[0].speech_span()
    if ref_span is None or rec_span is None:
        raise NoSpeech("no speech was found in the recording")
    (r0, r1), (c0, c1) = ref_span, rec_span
    best = min(
        (align(ref.mfcc[r0:r1], rec.mfcc[c0:c1]) for rec in warped), key=lambda a: a.mean_cost
    )
    path = best.path + np.array([r0, c0])
    moved = []
    for word in words:
        first = round(word.start_ms / FRAME_MS)
        last = max(first, round(word.end_ms / FRAME_MS) - 1)
        start_frame = path[np.searchsorted(path[:, 0], min(max(first, r0), r1 - 1)), 1]
        end_index = np.searchsorted(path[:, 0], min(max(last, r0), r1 - 1), side="right") - 1
        end_frame = path[max(0, end_index), 1] + 1
        start_ms = int(start_frame) * FRAME_MS
        moved.append(
            WordTiming(
                text=word.text,
                start_ms=start_ms,
                end_ms=max(start_ms, int(end_frame) * FRAME_MS),
            )
        )
    return moved


@dataclass(frozen=True)
class Part:
    """One scene's part of a whole recording: where it is, and its words timed from its start."""

    start_ms: int
    end_ms: int
    words: list[WordTiming]


def split_reading(
    *, readings: Sequence[tuple[np.ndarray, Sequence[WordTiming]]], recording: np.ndarray
) -> list[Part]:
    """Cut `recording` (mono 16 kHz, all the parts read in order) into one part per reading;
    each reading is (its audio, its words), mono 16 kHz, with at least one word. The parts
    tile the recording from 0 to its end. Raises NoSpeech."""
    offsets, words, owner = [0], [], []
    for index, (audio, timed) in enumerate(readings):
        shift = round(offsets[-1] * 1000 / SAMPLE_RATE)
        words += [
            WordTiming(text=w.text, start_ms=w.start_ms + shift, end_ms=w.end_ms + shift)
            for w in timed
        ]
        owner += [index] * len(timed)
        offsets.append(offsets[-1] + len(audio))
    reference = np.concatenate([audio for audio, _words in readings])
    moved = transfer_words(reference=reference, words=words, recording=recording)
    total_ms = round(len(recording) * 1000 / SAMPLE_RATE)
    firsts = [owner.index(n) for n in range(len(readings))]
    cuts = [0]
    for n in range(1, len(readings)):
        before, after = moved[firsts[n] - 1], moved[firsts[n]]
        cut = (before.end_ms + after.start_ms) // 2
        cuts.append(min(max(cut, cuts[-1]), total_ms))
    cuts.append(total_ms)
    parts = []
    for n in range(len(readings)):
        start, end = cuts[n], cuts[n + 1]
        own = [w for w, o in zip(moved, owner, strict=True) if o == n]
        parts.append(
            Part(
                start_ms=start,
                end_ms=end,
                words=[
                    WordTiming(
                        text=w.text,
                        start_ms=min(max(0, w.start_ms - start), end - start),
                        end_ms=min(max(0, w.end_ms - start), end - start),
                    )
                    for w in own
                ],
            )
        )
    return parts


def cut(source: Path, out_path: Path, *, start_ms: int, end_ms: int) -> Path:
    """`source` from `start_ms` to `end_ms` as a mono WAV at `out_path` (for clean)."""
    run_ffmpeg(
        ["ffmpeg", "-nostdin", "-y", "-v", "error", *UNTRUSTED_INPUT, "-i", str(source),
         "-af", f"atrim=start={start_ms / 1000:.3f}:end={end_ms / 1000:.3f},asetpts=PTS-STARTPTS",
         "-ac", "1", "-ar", str(CLEAN_SAMPLE_RATE), "-c:a", "pcm_s16le", str(out_path)],
        step="cut narration",
        media_s=end_ms / 1000,
    )  # fmt: skip
    return out_path


def clean(source: Path, out_path: Path, *, duration_s: float) -> Path:
    """High-pass, gate and bring `source` to the mix loudness in a mono WAV at `out_path`.
    Raises render.runner.RenderError when FFmpeg fails."""
    gated = out_path.with_name(f".{out_path.stem}.gated.wav")
    base = ["ffmpeg", "-nostdin", "-y", "-v", "error"]
    run_ffmpeg(
        [
            *base,
            *UNTRUSTED_INPUT,
            "-i",
            str(source),
            "-af",
            f"highpass=f={HIGH_PASS_HZ},"
            f"agate=threshold={GATE_THRESHOLD}:ratio=4:attack=5:release=200",
            "-ac",
            "1",
            "-ar",
            str(CLEAN_SAMPLE_RATE),
            "-c:a",
            "pcm_s16le",
            str(gated),
        ],
        step="clean narration",
        media_s=duration_s,
    )
    # One measured gain (as the reel's mix does), not loudnorm's dynamic mode, which misses
    # the target on a short reading and pumps on a long one.
    summary = run_ffmpeg(
        ["ffmpeg", "-nostdin", "-v", "info", "-i", str(gated), "-af", "ebur128=peak=true",
         "-f", "null", "-"],
        step="measure narration",
        media_s=duration_s,
    )  # fmt: skip
    level = _loudness(summary)
    run_ffmpeg(
        [*base, "-i", str(gated), "-af", normalise_filter(**level), "-c:a", "pcm_s16le",
         str(out_path)],
        step="level narration",
        media_s=duration_s,
    )  # fmt: skip
    gated.unlink(missing_ok=True)
    return out_path


def _loudness(ebur128_summary: str) -> dict[str, float]:
    integrated = re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", ebur128_summary)
    peak = re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", ebur128_summary)
    if not integrated or integrated[-1] == "-inf" or float(integrated[-1]) < -70:
        # silence (or no summary): no gain can reach the target, leave the level alone
        return {"integrated_lufs": TARGET_LUFS, "true_peak_dbtp": -100.0}
    true_peak = float(peak[-1]) if peak and peak[-1] != "-inf" else -100.0
    return {"integrated_lufs": float(integrated[-1]), "true_peak_dbtp": true_peak}
