"""The story's timeline: its scenes' lengths and its end card, fitted to the length asked for.

Voicing makes each scene last as long as its voice plus a pause (media.make_scene_voice);
the clips and the audio are then made to `story_timeline`, which adds an end card and longer
holds to reach `duration_s`, or shortens pauses when the speech runs long (render.timeline;
speech is never cut). A business story always closes on a card naming the business, its
offer, place and contact; any other story gets a card with its title when the gap is big
enough for one. A story written from the user's own script keeps its own length (the card,
when there is a business, comes after it).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext

from media.services import stored_file_path
from render.cache import RENDERER_VERSION, LeadInKey, lead_in_payload
from render.end_card import EndCard, render_end_card
from render.profiles import RenderProfile, profile_for
from render.runner import Timeouts
from render.timeline import END_CARD_MIN_MS, Timeline, fit_timeline
from scenes.models import Scene
from scenes.services.clip_specs import lead_in_for
from scenes.services.media import SCENE_PAUSE_MS
from stories.models import Story


def _speech_ms(scene: Scene) -> int:
    voice = scene.voice
    if voice is not None and voice.duration_ms:
        return int(voice.duration_ms)
    return max(0, scene.duration_ms - SCENE_PAUSE_MS)


def has_business(story: Story) -> bool:
    return bool(str((story.business or {}).get("name") or "").strip())


def story_timeline(story: Story, scenes: Sequence[Scene], *, fps: int) -> Timeline:
    """The lengths of `scenes` (the story's, in order, voices loaded) and of the end card."""
    natural = [scene.duration_ms for scene in scenes]
    speech = [_speech_ms(scene) for scene in scenes]
    business = has_business(story)
    target_ms = story.duration_s * 1000
    if story.script:
        target_ms = sum(natural) + (END_CARD_MIN_MS if business else 0)
    return fit_timeline(
        natural_ms=natural, speech_ms=speech, target_ms=target_ms, fps=fps, end_card=business
    )


def fitted_scene_ms_for(stories: Sequence[Story]) -> dict[int, dict[int, int]]:
    """Each scene's length (ms, by story id, then scene id) on its story's timeline: what the
    reel gives it, holds and shortened pauses included, at the frame rate every profile
    renders at. One query for the stories' scenes, none where they are prefetched."""
    scenes_of: dict[int, list[Scene]] = {}
    for story in stories:
        if "scenes" in getattr(story, "_prefetched_objects_cache", {}):
            scenes_of[story.pk] = sorted(story.scenes.all(), key=lambda s: (s.position, s.pk))
    missing = [story.pk for story in stories if story.pk not in scenes_of]
    if missing:
        for pk in missing:
            scenes_of[pk] = []
        found = Scene.objects.filter(story_id__in=missing).select_related("voice")
        for scene in found.order_by("position", "pk"):
            scenes_of[scene.story_id].append(scene)
    fitted: dict[int, dict[int, int]] = {}
    for story in stories:
        scenes = scenes_of[story.pk]
        if not scenes:
            fitted[story.pk] = {}
            continue
        fps = profile_for("final", story.aspect).fps
        timeline = story_timeline(story, scenes, fps=fps)
        fitted[story.pk] = {s.pk: ms for s, ms in zip(scenes, timeline.scene_ms, strict=True)}
    return fitted


def end_card_for(story: Story) -> EndCard:
    """The business's name with its offer, place and contact; else the story's title and a
    line asking to follow, in the story's language."""
    business = {k: str(v or "").strip() for k, v in (story.business or {}).items()}
    style = story.style or "modern"
    if business.get("name"):
        lines = tuple(business[k] for k in ("offer", "place", "contact") if business.get(k))
        return EndCard(headline=business["name"], lines=lines, style=style)
    with translation.override(story.language):
        follow = gettext("Save this and follow for more")
    return EndCard(headline=story.title or story.keyword, lines=(follow,), style=style)


def end_card_name(
    card: EndCard,
    *,
    duration_ms: int,
    profile: RenderProfile,
    encoder: str,
    lead_in: LeadInKey | None = None,
) -> str:
    """The stored name of the end card clip: a hash of everything that shapes it, the last
    scene's picture it dissolves from included."""
    parts = [
        RENDERER_VERSION,
        card.key(),
        str(duration_ms),
        repr(profile),
        encoder,
        json.dumps(lead_in_payload(lead_in), sort_keys=True),
    ]
    return f"clips/end-{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()}.mp4"


def scan_name(clip: str) -> str:
    """Where a stored clip's black and frozen spans are kept (render.qc_scan.ClipScan JSON)."""
    return f"{clip}.scan.json"


def end_card_clip(
    story: Story,
    timeline: Timeline,
    *,
    scenes: Sequence[Scene],
    profile: RenderProfile,
    encoder: str,
    tmp: Path,
    threads: int = 0,
    cancel: threading.Event | None = None,
    timeouts: Timeouts,
) -> tuple[Path, str] | None:
    """A local path to the story's end card clip and its stored name (rendered and stored,
    with its QC scan, unless it is already), or None when the timeline has no end card. It
    dissolves in from the last of `scenes` (the story's, in order, visuals loaded). Safe to
    repeat; raises RenderError."""
    if not timeline.end_card_ms:
        return None
    card = end_card_for(story)
    last = scenes[-1] if scenes else None
    lead_in, lead_in_key = lead_in_for(last, tmp, timeline.scene_ms[-1] if scenes else 0)
    name = end_card_name(
        card,
        duration_ms=timeline.end_card_ms,
        profile=profile,
        encoder=encoder,
        lead_in=lead_in_key,
    )
    if not default_storage.exists(name):
        out = render_end_card(
            card,
            out_path=tmp / "end-card.mp4",
            profile=profile,
            encoder=encoder,
            duration_ms=timeline.end_card_ms,
            threads=threads,
            lead_in=lead_in,
            cancel=cancel,
            timeouts=timeouts,
            scan_path=tmp / "end-card.scan.json",
        )
        for stored, path in ((scan_name(name), tmp / "end-card.scan.json"), (name, out)):
            with path.open("rb") as fh:
                default_storage.save(stored, File(fh, name=path.name))
    return stored_file_path(name, tmp), name
