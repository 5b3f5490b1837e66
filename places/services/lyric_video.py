"""Renders a song reel's lyric video (render.lyric_video) and judges it with media QC plus
the lyric checks: caption words light up when sung, every character has a glyph, every text
box sits in the title-safe area."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from media.models import Asset
from media.services import local_copy, save_asset
from places.models import SongReel
from places.services import song_media
from places.services.briefs import brief_for
from places.services.places import photo_paths
from places.services.song_reels import song_ms, store_file
from reelmaker.errors import InvalidRequest
from render import linebreak
from render.caption_styles import caption_style
from render.encoder import probe_encoder
from render.end_card import EndCard
from render.fonts import family_for
from render.lyric_video import (
    END_CARD_MS,
    caption_sync_check,
    glyph_check,
    plan_lyric_video,
    render_lyric_video,
)
from render.profiles import profile_for
from render.qc import FAIL, QCFailed, run_qc
from render.qc_report import Expect
from render.scene_clips import text_layout_checks
from render.types import WordTiming
from scenes.services.reel_qc import text_layout_check

HASHTAGS_ON_CARD = 3


def hashtags(reel: SongReel) -> list[str]:
    """The first keywords of the place's brief as hashtags (spaces dropped)."""
    keywords = brief_for(place=reel.place, language=reel.language).data.get("keywords", [])
    return ["#" + re.sub(r"\s+", "", k) for k in keywords[:HASHTAGS_ON_CARD]]


def end_card(reel: SongReel, family: str) -> EndCard:
    place = reel.place
    lines = [place.offer.strip(), place.region.strip(), " ".join(hashtags(reel))]
    return EndCard(headline=place.name, lines=tuple(x for x in lines if x)[:3], font_family=family)


def render_song_reel(
    *, reel: SongReel, profile: str = "preview", aspect: str = "9:16", to_story: bool = False
) -> SongReel:
    """Render the lyric video of a reel whose song is made; store it with its QC report (and,
    `to_story`, as its story's preview or final with a thumbnail and captions). Raises
    InvalidRequest without a song or photos, QCFailed when QC fails (the reel is marked
    FAILED, its song kept)."""
    if reel.song is None or not reel.words:
        raise InvalidRequest(_("Make the song before rendering the lyric video."))
    if not reel.place.photos.exists():
        raise InvalidRequest(_("Add at least one photo to the place first."))
    family = family_for(reel.language)
    style = dataclasses.replace(
        caption_style("karaoke"), font_family=family, joiner=linebreak.joiner(reel.language)
    )
    render_profile = profile_for(profile, aspect)
    words = [WordTiming.from_json(w) for w in reel.words]
    card = end_card(reel, family)
    with tempfile.TemporaryDirectory(prefix="lyric-video-") as tmp:
        work = Path(tmp)
        cut = plan_lyric_video(
            song_ms=song_ms(reel),
            line_starts_ms=[int(line["start_ms"]) for line in reel.lines],
            words=words,
            photos=photo_paths(reel.place, work),
            caption_style=style,
            language=reel.language,
            fps=render_profile.fps,
        )
        out = render_lyric_video(
            cut,
            song_path=local_copy(reel.song, work),
            end_card=card,
            out_path=work / "reel.mp4",
            profile=render_profile,
            encoder=probe_encoder(None),
        )
        length_s = (sum(cut.frames) / cut.fps) + END_CARD_MS / 1000
        texts = [w.text for w in words] + [card.headline, *card.lines]
        report = run_qc(
            out,
            expect=Expect(
                profile=profile, aspect=aspect, duration_s=length_s, target_s=reel.duration_s
            ),
            extra_checks=[
                caption_sync_check(cut, width=render_profile.width, height=render_profile.height),
                glyph_check(texts, family=family),
                text_layout_check(text_layout_checks(cut.specs, render_profile)),
            ],
        )
        reel.qc = report.to_json()
        if report.status == FAIL:
            reel.status, reel.error = SongReel.Status.FAILED, "; ".join(report.failed)
            reel.save(update_fields=["qc", "status", "error", "updated_at"])
            raise QCFailed(report)
        reel.video = _store_video(reel, out, duration_ms=round(length_s * 1000))
        if to_story:
            song_media.attach_to_story(
                reel=reel,
                video_path=out,
                specs=cut.specs,
                profile=render_profile,
                final=profile == "final",
                work=work,
            )
    reel.status, reel.error = SongReel.Status.RENDERED, ""
    reel.save()
    return reel


def _store_video(reel: SongReel, path: Path, *, duration_ms: int) -> Asset:
    """The video as an asset of the reel's story (its final or preview), else of the owner."""
    if reel.story is not None:
        return save_asset(
            owner=reel.owner,
            story=reel.story,
            kind=Asset.Kind.VIDEO,
            path=path,
            mime_type="video/mp4",
            duration_ms=duration_ms,
            source_provider=reel.provider,
        )
    return store_file(
        owner=reel.owner,
        path=path,
        kind=Asset.Kind.VIDEO,
        mime_type="video/mp4",
        name=f"song-reels/{reel.pk}/reel",
        duration_ms=duration_ms,
        source_provider=reel.provider,
    )
