"""A lyric video: the song is the audio, scenes cut at line starts over the place's photos
(with motion and dissolves), the lyric words as captions with the sung word highlighted, and
an end card. Plain Python over the reel renderer (render.reel), no Django.

    cut = plan_lyric_video(song_ms=15000, line_starts_ms=[536, 4822, 9107], words=[...],
                           photos=[...], caption_style=style, fps=30)
    render_lyric_video(cut, song_path=..., end_card=card, out_path=..., profile=..., encoder=...)

Scenes start on whole frames, and the song is cut into per-scene pieces at exactly those
frames (the assembler pads each scene's audio to its clip), so the song plays on unbroken and
every word's highlight starts when it is sung.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import tempfile
import threading
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from render.captions import CaptionStyle, build_ass
from render.end_card import EndCard, render_end_card
from render.fonts import font_path
from render.glyphs import missing_glyphs
from render.profiles import RenderProfile
from render.qc import FAIL, PASS, Check, CheckFn
from render.reel import render_reel
from render.scene_clips import SceneClipSpec, with_lead_ins
from render.types import WordTiming

END_CARD_MS = 2500
SYNC_LIMIT_MS = 100


@dataclass(frozen=True)
class LyricCut:
    """The scenes of a lyric video and where each starts in the song (whole frames)."""

    specs: tuple[SceneClipSpec, ...]
    starts_ms: tuple[float, ...]
    starts_frame: tuple[int, ...]
    frames: tuple[int, ...]
    fps: int
    words: tuple[WordTiming, ...]  # in song time


def plan_lyric_video(
    *,
    song_ms: int,
    line_starts_ms: Sequence[int],
    words: Sequence[WordTiming],
    photos: Sequence[Path],
    caption_style: CaptionStyle,
    language: str,
    fps: int,
) -> LyricCut:
    """One scene per sung line (the first from 0), photos in turn; words relative to scenes.
    The song's last END_CARD_MS ring out under the end card."""
    if not photos:
        raise ValueError("a lyric video needs at least one photo")
    total = round((song_ms - END_CARD_MS) * fps / 1000)
    if any(w.start_ms >= song_ms - END_CARD_MS for w in words):
        raise ValueError("the song is still sung where the end card goes")
    # Down to a whole frame: a scene starts at or just before its line, never after its first word.
    cuts = sorted({0, *(int(ms * fps // 1000) for ms in line_starts_ms[1:])})
    cuts = [c for c in cuts if c < total - 1]
    bounds = [*cuts, total]
    specs, starts = [], []
    for i, (first, end) in enumerate(itertools.pairwise(bounds)):
        start_ms, end_ms = first * 1000 / fps, end * 1000 / fps
        scene_words = tuple(
            WordTiming(w.text, round(w.start_ms - start_ms), round(w.end_ms - start_ms))
            for w in words
            if start_ms <= w.start_ms < end_ms
        )
        specs.append(
            SceneClipSpec(
                index=i,
                visual_path=Path(photos[i % len(photos)]),
                visual_kind="image",
                duration_ms=_ms_for_frames(end - first, fps),
                words=scene_words,
                language=language,
                caption_style=caption_style,
            )
        )
        starts.append(start_ms)
    return LyricCut(
        specs=tuple(with_lead_ins(specs)),
        starts_ms=tuple(starts),
        starts_frame=tuple(bounds[:-1]),
        frames=tuple(b - a for a, b in itertools.pairwise(bounds)),
        fps=fps,
        words=tuple(words),
    )


def _ms_for_frames(frames: int, fps: int) -> int:
    """A duration in ms that render.motion.frames_for turns back into exactly `frames`."""
    return round(frames * 1000 / fps)


def render_lyric_video(
    cut: LyricCut,
    *,
    song_path: Path,
    end_card: EndCard,
    out_path: Path,
    profile: RenderProfile,
    encoder: str,
    workers: int = 2,
    cancel: threading.Event | None = None,
) -> Path:
    """Render the scenes and the end card, and assemble them over the song (atomic)."""
    with tempfile.TemporaryDirectory(prefix="lyric-video-") as tmp:
        work = Path(tmp)
        pieces = split_song(song_path, cut=cut, out_dir=work)
        specs = [
            dataclasses.replace(spec, narration_audio_path=piece)
            for spec, piece in zip(cut.specs, pieces[:-1], strict=True)
        ]
        card_clip = render_end_card(
            end_card,
            out_path=work / "end-card.mp4",
            profile=profile,
            encoder=encoder,
            duration_ms=END_CARD_MS,
            cancel=cancel,
        )
        end_spec = SceneClipSpec(
            index=len(specs),
            visual_path=card_clip,
            visual_kind="video",
            duration_ms=END_CARD_MS,
            narration_audio_path=pieces[-1],
        )
        clips = [work / f"scene{s.index}.mp4" for s in specs]
        return render_reel(
            [*specs, end_spec],
            clip_paths=[*clips, card_clip],
            music_path=None,
            out_path=out_path,
            profile=profile,
            encoder=encoder,
            workers=workers,
            cancel=cancel,
        )


def split_song(song_path: Path, *, cut: LyricCut, out_dir: Path) -> list[Path]:
    """The song as one WAV per scene, cut at the scenes' first frames (sample-exact), and
    the rest of it (for the end card) last."""
    with wave.open(str(song_path), "rb") as wav:
        rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
        data = wav.readframes(wav.getnframes())
    frame_bytes = channels * width
    paths = []
    ends = [first + count for first, count in zip(cut.starts_frame, cut.frames, strict=True)]
    bounds = [*zip(cut.starts_frame, ends, strict=True), (ends[-1], None)]
    for i, (first, last) in enumerate(bounds):
        begin = round(first * rate / cut.fps) * frame_bytes
        end = len(data) if last is None else round(last * rate / cut.fps) * frame_bytes
        path = out_dir / f"song{i}.wav"
        with wave.open(str(path), "wb") as piece:
            piece.setnchannels(channels)
            piece.setsampwidth(width)
            piece.setframerate(rate)
            piece.writeframes(data[begin:end])
        paths.append(path)
    return paths


_DIALOGUE = re.compile(r"^Dialogue: 0,(\d+):(\d\d):(\d\d)\.(\d\d),")


def caption_starts_ms(cut: LyricCut, *, width: int, height: int) -> list[float]:
    """When each caption word's highlight starts, in reel time, read back from the ASS
    scripts the scenes burn in (the first word of a page lights with the page)."""
    found: list[float] = []
    for spec, start in zip(cut.specs, cut.starts_ms, strict=True):
        ass = build_ass(
            words=spec.words,
            width=width,
            height=height,
            duration_ms=spec.duration_ms,
            style=spec.caption_style,
        )
        for line in ass.splitlines():
            match = _DIALOGUE.match(line)
            if match and ",Caption," in line:
                h, m, s, cs = (int(x) for x in match.groups())
                found.append(start + ((h * 60 + m) * 60 + s) * 1000 + cs * 10)
    return found


def caption_sync_check(cut: LyricCut, *, width: int, height: int) -> CheckFn:
    """A QC check: every caption word lights up within SYNC_LIMIT_MS of when it is sung."""
    shown = caption_starts_ms(cut, width=width, height=height)
    sung = [w.start_ms for w in cut.words if w.text.strip()]
    if len(shown) == len(sung):
        worst = max((abs(a - b) for a, b in zip(shown, sung, strict=True)), default=0.0)
        value = f"{worst:.0f} ms"
    else:
        worst, value = float("inf"), f"{len(shown)} highlights for {len(sung)} words"

    def check(_measurements, _expect) -> Check:
        ok = worst <= SYNC_LIMIT_MS
        return Check(
            name="caption_sync",
            status=PASS if ok else FAIL,
            value=value,
            limit=f"<= {SYNC_LIMIT_MS} ms from the sung word",
            message="" if ok else "Caption words do not light up when they are sung.",
        )

    return check


def glyph_check(texts: Sequence[str], *, family: str) -> CheckFn:
    """A QC check: the caption font has a glyph for every character drawn (no tofu)."""
    missing = missing_glyphs("".join(texts), font_path(bold=True, family=family), family=family)

    def check(_measurements, _expect) -> Check:
        return Check(
            name="glyph_coverage",
            status=FAIL if missing else PASS,
            value=f"missing {missing!r}" if missing else "all drawn",
            limit=f"every character in {family}",
            message=f"{family} has no glyph for {missing!r}." if missing else "",
        )

    return check
