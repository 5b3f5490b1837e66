"""Cache keys for scene clips: equal keys mean an identical clip, so it can be reused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from render.captions import CaptionStyle
from render.motion import MOTIONS, TRANSITION_S
from render.profiles import RenderProfile
from render.types import WordTiming


@dataclass(frozen=True)
class LeadInKey:
    """What of the previous scene shows in a clip's opening dissolve."""

    index: int
    visual_sha256: str
    visual_kind: str
    duration_ms: int


# Bump when a change to the builders alters pixels, so every cached clip is rendered again.
RENDERER_VERSION = "8"


def file_sha256(path: Path) -> str:
    """The sha256 hex of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def scene_render_key(
    *,
    index: int,
    narration_text: str,
    words: Sequence[WordTiming],
    visual_sha256: str,
    visual_kind: str,
    duration_ms: int,
    style: str,
    caption_style: CaptionStyle,
    profile: RenderProfile,
    encoder: str,
    headline: str = "",
    lead_in: LeadInKey | None = None,
) -> str:
    """sha256 hex over everything that shapes a scene clip (the index picks its motion).

    `lead_in` is the previous scene's picture that the clip dissolves from; its narration,
    captions and (for a still) length do not show, so editing them leaves this key alone."""
    payload = {
        "version": RENDERER_VERSION,
        "motion": index % len(MOTIONS),
        "narration_text": narration_text,
        "words": [[w.text, w.start_ms, w.end_ms] for w in words],
        "visual": [visual_kind, visual_sha256],
        "duration_ms": duration_ms,
        "style": style,
        "captions": asdict(caption_style),
        "headline": headline,
        "profile": asdict(profile),
        "encoder": encoder,
        "lead_in": lead_in_payload(lead_in),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def lead_in_payload(lead_in: LeadInKey | None) -> dict | None:
    """What of the previous scene's picture shapes a clip that dissolves from it (a scene's
    or the end card's), as plain values for a key."""
    if lead_in is None:
        return None
    return {
        "motion": lead_in.index % len(MOTIONS),
        "visual": [lead_in.visual_kind, lead_in.visual_sha256],
        # A still's motion ends the same whatever its length (render.motion.MOTION_FRAMES); a
        # video goes on from wherever its scene stopped.
        "duration_ms": lead_in.duration_ms if lead_in.visual_kind == "video" else None,
        "transition_s": TRANSITION_S,
    }


def story_audio_key(
    *,
    voices: Sequence[str | None],
    scene_durations_ms: Sequence[int],
    music: str | None,
    profile: RenderProfile,
) -> str:
    """sha256 hex over everything that shapes a story's mixed audio track.

    `voices` and `music` identify the inputs' bytes (a content hash, or a stored name that
    never changes its bytes); None is a silent scene or no music.
    """
    payload = {
        "version": RENDERER_VERSION,
        "voices": list(voices),
        "durations_ms": list(scene_durations_ms),
        "music": music,
        "audio": [profile.name, profile.fps, profile.audio_bitrate],
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()
