"""The offline song: a backing track from the music generator and a chanted vocal on top.

Each lyric line is chanted in its two-bar slot: every word (render.linebreak's units) is
spoken by eSpeak NG on one held pitch, tuned to the root of the chord under the line
(`asetrate`), fitted to its share of the slot by syllables (`atempo`, 0.5-2.0), and placed at
a start the slot decides. So the word timestamps are exact by construction: they are where
the words were put, not a guess from the audio. It is a sketch of the song, not singing.
"""

from __future__ import annotations

import math
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

from providers.base import PermanentProviderError, Usage
from providers.music.generated import SAMPLE_RATE, GeneratedMusicProvider, chord_root_hz
from providers.song.base import LineTiming, SongRequest, SongResult
from providers.voice import espeak
from providers.voice.audio import voiced_mask
from providers.writer.song_lyrics import count_syllables, song_shape
from render import linebreak, runner
from render.clip_commands import BASE
from render.types import WordTiming

PROVIDER = "chant"
SUNG_SHARE = 0.9  # of a line's slot; the rest is a breath before the next line
WORD_FILL = 0.92  # of a word's share, so the word ends before the next begins
MIN_TEMPO, MAX_TEMPO = 0.5, 2.0  # atempo's single-pass range
GAP_S = 0.03  # silence before the next word at least
FADE_S = 0.02  # the fade of a word cut short
RATE_WPM = 150
PITCH = {"female": 70, "male": 30}
VOCAL_PEAK = 0.7
MIX_PEAK_DBFS = -1.0


class ChantSongProvider:
    """The offline `song` provider: deterministic for the same request."""

    def make(
        self,
        request: SongRequest,
        *,
        out_dir: Path,
        task_id: str = "",
        on_task: Callable[[str], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
    ) -> SongResult:
        """Write song.wav (the mix) and vocal.wav under `out_dir` (made here: no task to keep
        or resume). Raises PermanentProviderError."""
        lyrics = request.lyrics
        shape = song_shape(duration_s=request.duration_ms / 1000, bpm=lyrics.bpm)
        lines = lyrics.lines()
        if not lines:
            raise PermanentProviderError("the lyrics have no lines", provider=PROVIDER)
        if len(lines) > shape.lines:
            raise PermanentProviderError(
                f"{len(lines)} lines do not fit {request.duration_ms / 1000:g} s at "
                f"{lyrics.bpm} BPM (at most {shape.lines})",
                provider=PROVIDER,
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        total = round(request.duration_ms * SAMPLE_RATE / 1000)
        vocal = np.zeros(total, dtype=np.float32)
        words: list[WordTiming] = []
        timings: list[LineTiming] = []
        notes: list[str] = []
        with tempfile.TemporaryDirectory(prefix="chant-") as tmp:
            for index, (section, text) in enumerate(lines):
                start_ms = shape.line_start_ms(index)
                slot_ms = shape.slot_ms
                root = chord_root_hz(request.mood, shape.bar_at(start_ms))
                samples, line_words = _chant_line(
                    text,
                    language=lyrics.language,
                    slot_ms=slot_ms,
                    root_hz=root,
                    vocal=request.vocal,
                    work=Path(tmp) / f"line{index}",
                    notes=notes,
                )
                at = round(start_ms * SAMPLE_RATE / 1000)
                end = min(total, at + len(samples))
                vocal[at:end] += samples[: end - at]
                words += [
                    WordTiming(w.text, w.start_ms + start_ms, w.end_ms + start_ms)
                    for w in line_words
                ]
                timings.append(
                    LineTiming(section, text, start_ms, round(start_ms + slot_ms * SUNG_SHARE))
                )
            backing = GeneratedMusicProvider().make(
                mood=request.mood,
                duration_ms=request.duration_ms,
                bpm=lyrics.bpm,
                out_path=Path(tmp) / "backing.wav",
            )
            music = _read_wav(backing.path)
        vocal_path = _write_wav(out_dir / "vocal.wav", np.stack([vocal, vocal], axis=1))
        mix = music[:total] + VOCAL_PEAK * np.stack([vocal, vocal], axis=1)[: len(music)]
        peak = float(np.abs(mix).max()) or 1.0
        mix *= min(1.0, 10 ** (MIX_PEAK_DBFS / 20) / peak)
        audio_path = _write_wav(out_dir / "song.wav", mix)
        return SongResult(
            audio_path=audio_path,
            duration_ms=request.duration_ms,
            provider=PROVIDER,
            words=words,
            lines=timings,
            sketch=True,
            vocal_path=vocal_path,
            notes=notes,
            usage=Usage(
                provider=PROVIDER,
                model=f"espeak-ng:{lyrics.language}+generated-music",
                units=request.duration_ms / 1000,
                unit="seconds",
            ),
        )


def _chant_line(
    text: str,
    *,
    language: str,
    slot_ms: float,
    root_hz: float,
    vocal: str,
    work: Path,
    notes: list[str],
) -> tuple[np.ndarray, list[WordTiming]]:
    """The line's vocal at SAMPLE_RATE (mono) from the slot's start, and its words' timings."""
    units = linebreak.units(text, language)
    if not units:
        raise PermanentProviderError(f"the line {text!r} has no words", provider=PROVIDER)
    weights = [max(1, count_syllables(u, language)) for u in units]
    sung_ms = slot_ms * SUNG_SHARE
    shares = [sung_ms * w / sum(weights) for w in weights]
    voice_rate = espeak.sample_rate()
    spoken = [
        _trimmed(
            espeak.speak_monotone(
                text=u, language=language, rate_wpm=RATE_WPM, pitch=PITCH.get(vocal, 50)
            ),
            voice_rate,
        )
        for u in units
    ]
    voiced = [s for s in spoken if s.size]
    if not voiced:
        raise PermanentProviderError(
            f"eSpeak NG said nothing for {text!r} in '{language}'", provider=PROVIDER
        )
    ratio = _tuning_ratio(np.concatenate(voiced), voice_rate, root_hz)
    work.mkdir(parents=True, exist_ok=True)
    inputs: list[str] = []
    chains: list[str] = []
    words: list[WordTiming] = []
    at_ms = 0.0
    for k, (unit, samples, share) in enumerate(zip(units, spoken, shares, strict=True)):
        share_s = share / 1000
        if samples.size == 0:
            notes.append(f"eSpeak NG said nothing for {unit!r}; its share is silent")
            chains.append(f"aevalsrc=0:s={SAMPLE_RATE}:d={share_s:.4f}[w{k}]")
            # Still shown in the captions, in its place.
            words.append(WordTiming(unit, round(at_ms), round(at_ms + share * WORD_FILL)))
        else:
            path = _write_wav(work / f"w{k}.wav", samples, rate=voice_rate)
            length_s = samples.size / voice_rate / ratio
            tempo = min(MAX_TEMPO, max(MIN_TEMPO, length_s / (share_s * WORD_FILL)))
            if length_s / tempo > share_s - GAP_S:
                notes.append(f"{unit!r} is cut to its share at the fastest tempo")
            gap_at = share_s - GAP_S  # a breath between words, so each onset stands clear
            sung_ms = min(gap_at * 1000, length_s / tempo * 1000)
            inputs += ["-i", str(path)]
            n = len(inputs) // 2 - 1
            chains.append(
                f"[{n}:a]asetrate={voice_rate * ratio:.3f},aresample={SAMPLE_RATE},"
                f"atempo={tempo:.5f},atrim=end={gap_at:.4f},"
                # A word cut at its share's end fades, so it never runs into the next word.
                f"afade=t=out:st={max(0.0, gap_at - FADE_S):.4f}:d={FADE_S},"
                f"apad=whole_dur={share_s:.4f}[w{k}]"
            )
            words.append(WordTiming(unit, round(at_ms), round(at_ms + sung_ms)))
        at_ms += share
    joined = "".join(f"[w{k}]" for k in range(len(units)))
    graph = ";".join([*chains, f"{joined}concat=n={len(units)}:v=0:a=1[out]"])
    out = work / "line.wav"
    runner.run_to_file(
        lambda tmp_out: [
            *BASE,
            *inputs,
            "-filter_complex",
            graph,
            "-map",
            "[out]",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-c:a",
            "pcm_s16le",
            "-f",
            "wav",
            str(tmp_out),
        ],
        out,
        step="song vocal",
        media_s=slot_ms / 1000,
    )
    samples = _read_wav(out)[:, 0]
    peak = float(np.abs(samples).max()) or 1.0
    return samples / peak, words


def _trimmed(samples: np.ndarray, rate: int) -> np.ndarray:
    """The samples from the first voiced 10 ms to the last, at full scale, so every chanted
    word is as loud as the next (empty when nothing is voiced)."""
    mask = voiced_mask(samples, sample_rate=rate)
    if samples.size == 0 or not mask.any():
        return np.zeros(0, dtype=np.float32)
    frame = rate // 100
    first = int(np.argmax(mask)) * frame
    last = (len(mask) - int(np.argmax(mask[::-1]))) * frame
    word = samples[first:last].astype(np.float32)
    return word / (float(np.abs(word).max()) or 1.0)


def estimate_f0(samples: np.ndarray, rate: int) -> float:
    """The held pitch of a monotone voice, in Hz, by autocorrelation (60-500 Hz)."""
    frame = samples[: rate // 2] if samples.size > rate // 2 else samples
    frame = frame - float(frame.mean())
    corr = np.correlate(frame, frame, mode="full")[frame.size - 1 :]
    low, high = rate // 500, rate // 60
    if corr.size <= high:
        return 120.0
    lag = low + int(np.argmax(corr[low:high]))
    return rate / lag


def _tuning_ratio(samples: np.ndarray, rate: int, root_hz: float) -> float:
    """How much to raise (or lower) the voice so it holds the chord's root, by the octave of
    the root nearest to the voice (never more than half an octave up or down)."""
    f0 = estimate_f0(samples, rate)
    target = root_hz * 2.0 ** round(math.log2(f0 / root_hz))
    return target / f0


def _read_wav(path: Path) -> np.ndarray:
    """Float samples, shape (frames, channels)."""
    with wave.open(str(path), "rb") as wav:
        channels = wav.getnchannels()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return (data.astype(np.float32) / 32768.0).reshape(-1, channels)


def _write_wav(path: Path, samples: np.ndarray, *, rate: int = SAMPLE_RATE) -> Path:
    data = np.asarray(samples, dtype=np.float32)
    channels = 1 if data.ndim == 1 else data.shape[1]
    pcm = np.clip(data * 32767.0, -32768, 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return path
